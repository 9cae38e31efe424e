"""SQS batch -> SNS notifications with partial batch failure reporting.

A message leaves the queue only after SNS accepted its notification. A malformed message (not an
EscalationMessage) or a failed publish is reported in `batchItemFailures`, stays in the queue and
reaches the dead-letter queue after maxReceiveCount; a later fix can redrive it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from pydantic import ValidationError
from shared.aws import describe_error
from shared.errors import InvalidInputError
from shared.escalation_message import EscalationMessage
from shared.observability import log_error
from shared.pii import scrub

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext


def new_processor() -> BatchProcessor:
    # A batch where every record failed is still a partial-failure report, not an exception.
    # No parser model: Powertools' parser package imports every event model at cold start; the body is
    # validated by `parse_message` inside the record handler, which fails just that record.
    return BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class MalformedEscalationError(InvalidInputError):
    """The body is not an EscalationMessage: the producer's error. It fails this record only (the
    message reaches the dead-letter queue); the message names the fields, never their values."""


def parse_message(record: SQSRecord) -> EscalationMessage:
    """The record's body as an EscalationMessage; raises (failing only this record) when malformed."""
    try:
        return EscalationMessage.model_validate_json(record.body)
    except ValidationError as error:
        # pydantic's own text quotes the input (the user's redacted message among it): locations only.
        fields = sorted({scrub(".".join(map(str, e["loc"])) or "body", 60) for e in error.errors()})
        raise MalformedEscalationError(f"not an escalation message; check: {', '.join(fields)}") from None


def process_batch(
    event: Any,
    context: LambdaContext,
    *,
    processor: BatchProcessor,
    record_handler: Callable[[SQSRecord], Any],
    logger: logging.Logger | Any,
) -> dict[str, list[dict[str, str]]]:
    if not isinstance(event, dict) or not isinstance(event.get("Records"), list):
        # Only an SQS event source mapping invokes this function, and it always sends Records.
        logger.error("not an SQS batch; nothing to process")
        return {"batchItemFailures": []}
    try:
        response = process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    except Exception as error:
        # The batch could not even be walked: keep every message we can name in the queue.
        log_error(logger, "batch processing failed; reporting every record as failed", error)
        return {"batchItemFailures": _all_message_ids(event["Records"])}
    for record, (error_type, error, _) in zip(processor.fail_messages, processor.exceptions, strict=False):
        logger.error(
            "escalation not notified; it stays in the queue",
            extra={
                "message_id": _message_id(record),
                "error_type": getattr(error_type, "__name__", ""),
                "error": str(error) if isinstance(error, InvalidInputError) else describe_error(error),
            },
        )
    return {"batchItemFailures": list(response.get("batchItemFailures", []))}


def _message_id(record: Any) -> str:
    try:
        return str(record.message_id)
    except (AttributeError, KeyError):
        return ""


def _all_message_ids(records: list[Any]) -> list[dict[str, str]]:
    return [{"itemIdentifier": str(r["messageId"])} for r in records if isinstance(r, dict) and r.get("messageId")]
