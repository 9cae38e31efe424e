"""Human escalation: the reasons, and the SQS producer the orchestrator uses.

The queue exists in the walk and run tiers only; in crawl the orchestrator has no queue and says so
in its answer instead of promising a human. A message that cannot be sent is logged in full at ERROR
level (`"replay": "escalation"`), so it can still reach a human. The message contract itself
(pydantic) is `shared.escalation_message.EscalationMessage`, imported only when a message is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from shared.escalation_message import EscalationMessage

REPLAY_MARKER = "escalation"
# Bounds of an escalation message's free text (EscalationMessage enforces them; producers clip to them).
MAX_REDACTED_INPUT_CHARS = 25_000
MAX_DETAIL_CHARS = 2_000


class EscalationReason(StrEnum):
    GUARD_BLOCKED = "guard_blocked"
    OUTPUT_BLOCKED = "output_blocked"
    AGENT_FAILED = "agent_failed"
    CIRCUIT_OPEN = "circuit_open"
    FALLBACK_FAILED = "fallback_failed"


class EscalationQueue:
    def __init__(self, sqs: Callable[[], Any], queue_url: str, logger: logging.Logger | Any) -> None:
        # A provider, not a client: the SQS client is only built when something is escalated.
        self._sqs = sqs
        self._queue_url = queue_url
        self._logger = logger

    def send(self, message: EscalationMessage) -> bool:
        """Queue the message; on failure log it whole (never raises: escalation is the last resort)."""
        try:
            self._sqs().send_message(
                QueueUrl=self._queue_url,
                MessageBody=message.to_json(),
                MessageAttributes={
                    "reason": {"DataType": "String", "StringValue": message.reason.value},
                    "agent": {"DataType": "String", "StringValue": message.agent},
                    "correlationId": {"DataType": "String", "StringValue": message.correlation_id},
                },
            )
        except (ClientError, BotoCoreError) as error:
            self._logger.error(
                "escalation not queued; a human must pick it up from this record",
                extra={
                    "replay": REPLAY_MARKER,
                    "escalation": message.model_dump(mode="json", by_alias=True),
                    "error": repr(error),
                },
            )
            return False
        return True
