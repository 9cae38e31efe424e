"""Lambda entry point: `kb_sync.handler.lambda_handler` (async: EventBridge rule and Scheduler).

Failures raise after counting IngestionFailures, so Lambda's async retries and the on-failure
destination (an SQS queue the infrastructure configures) keep the event. A malformed trigger is the
caller's error: it raises too (the destination keeps it) but is not counted as an ingestion failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from shared.aws import ClientSettings, client
from shared.errors import InvalidInputError
from shared.lazy import Lazy
from shared.metrics import MetricName, emit
from shared.observability import TRACED_MODULES, detach, log_error, start_request

from kb_sync.config import KbSyncConfig
from kb_sync.ingestion import IngestionStarter
from kb_sync.service import KbSyncService

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

BEDROCK_AGENT = ClientSettings(max_attempts=5, connect_timeout=2.0, read_timeout=10.0)

logger = Logger()
tracer = Tracer(patch_modules=TRACED_MODULES)
metrics = Metrics()

service: Lazy[KbSyncService] = Lazy(
    lambda: KbSyncService(
        KbSyncConfig.from_env(), IngestionStarter(client("bedrock-agent", BEDROCK_AGENT)), metrics, logger
    )
)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_request(event, context, logger=logger, tracer=tracer, metrics=metrics)
    try:
        return service().handle(event, context.aws_request_id)
    except InvalidInputError as error:
        logger.warning("not a knowledge-base sync trigger", extra={"error": str(detach(error))})
        raise detach(error) from None
    except Exception as error:
        emit(metrics, MetricName.INGESTION_FAILURES)
        log_error(logger, "knowledge base sync failed", error)
        raise detach(error) from None
