"""Lambda entry point: `escalation.handler.lambda_handler` (SQS event source mapping with
ReportBatchItemFailures). Every message either reaches SNS or is reported in `batchItemFailures`;
nothing escapes the handler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from shared.aws import ClientSettings, client
from shared.config import env_str
from shared.lazy import Lazy
from shared.metrics import MetricName, emit
from shared.observability import TRACED_MODULES, start_request

from escalation.consumer import new_processor, parse_message, process_batch
from escalation.notifier import Notifier

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

SNS = ClientSettings(max_attempts=3, connect_timeout=2.0, read_timeout=5.0)

logger = Logger()
tracer = Tracer(patch_modules=TRACED_MODULES)
metrics = Metrics()
processor = new_processor()
notifier: Lazy[Notifier] = Lazy(lambda: Notifier(client("sns", SNS), env_str("ESCALATION_TOPIC_ARN")))


def record_handler(record: SQSRecord) -> str:
    message = parse_message(record)
    message_id = notifier().notify(message)
    logger.info(
        "escalation notified",
        extra={
            "escalation_correlation_id": message.correlation_id,
            "reason": message.reason.value,
            "sns_message_id": message_id,
        },
    )
    emit(metrics, MetricName.ESCALATIONS_NOTIFIED)
    return message_id


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_request(event, context, logger=logger, tracer=tracer, metrics=metrics)
    response = process_batch(event, context, processor=processor, record_handler=record_handler, logger=logger)
    if response["batchItemFailures"]:
        emit(metrics, MetricName.ESCALATION_FAILURES, len(response["batchItemFailures"]))
    return response
