"""Parked turns: `record` step payloads the state machine could not store (its Catch on the Record
states sends the payload to the turn-replay queue, whose event source mapping invokes this function).

Each SQS message body is the record payload, stored as the `record` step stores it, except that a
failure raises: the message stays in the queue, is retried with the queue's visibility timeout and
reaches its dead-letter queue after maxReceiveCount (a malformed body at once goes the same way).
At least once: a turn that was stored just before the Lambda timed out may be stored twice, both
copies carrying the same correlation_id.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from shared.aws import describe_error

from orchestrator.steps import RecordInput, turn_from, validation_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from orchestrator.service import ChatService


def is_sqs_batch(event: Any) -> bool:
    records = event.get("Records") if isinstance(event, dict) else None
    return (
        isinstance(records, list)
        and bool(records)
        and all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records)
    )


def replay_batch(event: dict[str, Any], context: LambdaContext, service: ChatService, logger: Any) -> dict[str, Any]:
    # Powertools' batch utility is imported here: only this path needs it.
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from pydantic import ValidationError

    def store(record: SQSRecord) -> int | None:
        try:
            payload = RecordInput.model_validate(json.loads(record.body))
        except (ValueError, ValidationError) as error:
            problems = validation_problems(error) if isinstance(error, ValidationError) else "not JSON"
            logger.error("parked turn is malformed; it goes to the dead-letter queue", extra={"problems": problems})
            raise
        return service.store.write(turn_from(payload, service.agent_name)).turn_number

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    response = process_partial_response(event=event, record_handler=store, processor=processor, context=context)
    for record, (error_type, error, _) in zip(processor.fail_messages, processor.exceptions, strict=False):
        logger.error(
            "parked turn not stored; it stays in the queue",
            extra={
                "message_id": record.message_id,
                "error_type": getattr(error_type, "__name__", ""),
                "error": describe_error(error),
            },
        )
    return {"batchItemFailures": list(response.get("batchItemFailures", []))}
