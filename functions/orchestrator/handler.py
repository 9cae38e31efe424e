"""Lambda entry point: `orchestrator.handler.lambda_handler`.

API Gateway proxy events go to the REST resolver (crawl); `{"step": ...}` payloads from Step
Functions go to the step runner (walk, run); SQS batches from the turn-replay queue store parked
turns (walk, run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from shared.lazy import Lazy
from shared.observability import TRACED_MODULES, detach, start_request

from orchestrator import api, runtime
from orchestrator.errors import UnsupportedEventError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from orchestrator.service import ChatService
    from orchestrator.steps import StepRunner

logger = Logger()
tracer = Tracer(patch_modules=TRACED_MODULES)
metrics = Metrics()

service: Lazy[ChatService] = Lazy(lambda: runtime.build_service(runtime.config(), metrics=metrics, logger=logger))


def _step_runner() -> StepRunner:
    # Step payloads are validated with pydantic: imported on the first step, not on API cold starts.
    from orchestrator.steps import StepRunner

    return StepRunner(service())


steps: Lazy[StepRunner] = Lazy(_step_runner)


def _time_left(context: LambdaContext) -> float:
    return context.get_remaining_time_in_millis() / 1000


@logger.inject_lambda_context(clear_state=True)  # log_event stays off: events carry user text
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return _handle(event, context)
    except Exception as error:
        # Step errors are the state machine's contract (named types); their texts and causes are
        # not the log's business beyond what the recogniser lets through.
        raise detach(error) from None


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlation_id = start_request(event, context, logger=logger, tracer=tracer, metrics=metrics)
    logger.append_keys(agent=runtime.config().agent_name)
    if isinstance(event, dict) and "step" in event:
        logger.append_keys(step=event["step"])
        return steps().run(event, _time_left(context))
    if isinstance(event, dict) and "httpMethod" in event and "requestContext" in event:
        api.app.append_context(
            service=service(), config=runtime.config(), correlation_id=correlation_id, time_left=_time_left(context)
        )
        return api.app.resolve(event, context)
    from orchestrator.replay import is_sqs_batch, replay_batch

    if is_sqs_batch(event):
        return replay_batch(event, context, service(), logger)
    raise UnsupportedEventError(
        "expected an API Gateway REST proxy event, a Step Functions {'step': ...} payload or an SQS batch"
    )
