"""The human-escalation message: the contract between the orchestrator (producer, via
`shared.escalation.EscalationQueue`) and the escalation function (consumer).

Kept apart from the producer so that the orchestrator imports pydantic only when it actually escalates.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.escalation import MAX_DETAIL_CHARS, MAX_REDACTED_INPUT_CHARS, EscalationReason


class EscalationMessage(BaseModel):
    """SQS message body (JSON, camelCase keys). Unknown keys are ignored so that a newer producer
    never sends an older consumer's messages to the dead-letter queue."""

    model_config = ConfigDict(frozen=True, extra="ignore", alias_generator=to_camel, populate_by_name=True)

    schema_version: Literal[1] = 1
    correlation_id: Annotated[str, Field(min_length=1, max_length=256)]
    session_id: Annotated[str, Field(min_length=1, max_length=100)]
    agent: Annotated[str, Field(min_length=1, max_length=100)]
    stage: Annotated[str, Field(min_length=1, max_length=32)]
    reason: EscalationReason
    # Already redacted by the guard; bounded by the orchestrator's MAX_INPUT_CHARS (<= 25,000).
    redacted_input: Annotated[str, Field(max_length=MAX_REDACTED_INPUT_CHARS)]
    detail: Annotated[str, Field(max_length=MAX_DETAIL_CHARS)] = ""
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)
