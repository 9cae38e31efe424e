"""Conversation turns and session state in DynamoDB, without ever losing a turn.

Table layout (the SessionStore component creates it): partition key `session_id` (S), sort key
`turn` (S), TTL attribute `expires_at` (epoch seconds).
- `turn = "state"`: one item per session: agent, turn_count, created_at, updated_at, expires_at,
  last_correlation_id and, while the agent waits for the user to confirm an action,
  pending_confirmation.
- `turn = "turn#000001"`, `"turn#000002"`, ...: one item per turn, written with
  `attribute_not_exists(turn)` so a stored turn is never overwritten.

Whole-call retries (throttling, 5xx, timeouts) are botocore's standard mode on the client the store
is given; when a write still fails, the turn goes to the fallback sink instead of being dropped. The
sink here is the function's log: one ERROR record carrying `"replay": "session-turn"` and the full
turn, which `SessionStore.replay(record["turn"])` writes back (see functions/README.md).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

STATE_SORT_KEY = "state"
REPLAY_MARKER = "session-turn"
_MAX_TURN_NUMBER_ATTEMPTS = 3


class SessionStoreError(RuntimeError):
    """Session state could not be read."""


@dataclass(frozen=True)
class PendingConfirmation:
    """An action the agent wants to run once the user confirms it (Bedrock returnControl)."""

    invocation_id: str
    action_group: str
    api_path: str
    http_method: str


@dataclass(frozen=True)
class Turn:
    session_id: str
    correlation_id: str
    agent: str
    user_message: str  # already redacted by the guard: raw PII is never stored
    answer: str
    outcome: str  # answered | fallback | escalated | blocked | confirmation_requested
    citations: tuple[dict[str, str], ...] = ()
    input_tokens: int = 0
    output_tokens: int = 0
    created_at: float = field(default_factory=time.time)
    pending_confirmation: PendingConfirmation | None = None

    def to_record(self) -> dict[str, Any]:
        """JSON-serialisable form: what the fallback sink logs and `replay` accepts."""
        record = asdict(self)
        record["citations"] = [dict(c) for c in self.citations]
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Turn:
        pending = record.get("pending_confirmation")
        return cls(
            **{k: v for k, v in record.items() if k not in ("citations", "pending_confirmation")},
            citations=tuple(dict(c) for c in record.get("citations", ())),
            pending_confirmation=PendingConfirmation(**pending) if pending else None,
        )


@dataclass(frozen=True)
class SessionState:
    session_id: str
    agent: str
    turn_count: int
    pending_confirmation: PendingConfirmation | None


@dataclass(frozen=True)
class TurnReceipt:
    stored: bool
    turn_number: int | None = None


class TurnSink(Protocol):
    def spill(self, turn: Turn, error: BaseException) -> None: ...


class LogTurnSink:
    """Fallback sink: one structured ERROR log record with the whole turn, found with the Logs
    Insights query `filter replay = "session-turn"` and replayed with `SessionStore.replay`."""

    def __init__(self, logger: logging.Logger | Any) -> None:
        self._logger = logger

    def spill(self, turn: Turn, error: BaseException) -> None:
        self._logger.error(
            "session turn not stored in DynamoDB; replay it from this record",
            extra={"replay": REPLAY_MARKER, "turn": turn.to_record(), "error": repr(error)},
        )


class SessionStore:
    def __init__(
        self,
        dynamodb: Any,
        table_name: str,
        ttl_hours: int,
        sink: TurnSink,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._dynamodb = dynamodb
        self._table = table_name
        self._ttl_seconds = ttl_hours * 3600
        self._sink = sink
        self._clock = clock

    def record_turn(self, turn: Turn) -> TurnReceipt:
        """Store the turn and update the session state; on failure hand the turn to the sink."""
        try:
            return self._write(turn)
        except (ClientError, BotoCoreError) as error:
            self._sink.spill(turn, error)
            return TurnReceipt(stored=False)

    def replay(self, turn_record: dict[str, Any]) -> TurnReceipt:
        """Write a turn taken from a sink record; raises if DynamoDB still refuses it."""
        return self._write(Turn.from_record(turn_record))

    def load_state(self, session_id: str) -> SessionState | None:
        try:
            item = self._dynamodb.get_item(
                TableName=self._table,
                Key={"session_id": {"S": session_id}, "turn": {"S": STATE_SORT_KEY}},
                ConsistentRead=True,
            ).get("Item")
        except (ClientError, BotoCoreError) as error:
            raise SessionStoreError(f"reading session {session_id} failed: {error}") from error
        if not item:
            return None
        pending = item.get("pending_confirmation", {}).get("M")
        return SessionState(
            session_id=session_id,
            agent=item.get("agent", {}).get("S", ""),
            turn_count=int(item.get("turn_count", {}).get("N", "0")),
            pending_confirmation=PendingConfirmation(**{k: v["S"] for k, v in pending.items()}) if pending else None,
        )

    def _write(self, turn: Turn) -> TurnReceipt:
        for _ in range(_MAX_TURN_NUMBER_ATTEMPTS):
            number = self._next_turn_number(turn)
            try:
                self._put_turn(turn, number)
            except ClientError as error:
                # The number is taken when TTL deleted the state item before older turns and the
                # counter restarted: take the next number rather than overwrite history.
                if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    continue
                raise
            return TurnReceipt(stored=True, turn_number=number)
        raise SessionStoreError(f"no free turn number for session {turn.session_id}")

    def _next_turn_number(self, turn: Turn) -> int:
        now = int(self._clock())
        values: dict[str, Any] = {
            ":agent": {"S": turn.agent},
            ":now": {"N": str(now)},
            ":expires": {"N": str(now + self._ttl_seconds)},
            ":cid": {"S": turn.correlation_id},
            ":one": {"N": "1"},
        }
        update = (
            "SET #agent = if_not_exists(#agent, :agent), created_at = if_not_exists(created_at, :now), "
            "updated_at = :now, expires_at = :expires, last_correlation_id = :cid"
        )
        if turn.pending_confirmation:
            update += ", pending_confirmation = :pending"
            values[":pending"] = {"M": {k: {"S": v} for k, v in asdict(turn.pending_confirmation).items()}}
        update += " ADD turn_count :one"
        if not turn.pending_confirmation:
            update += " REMOVE pending_confirmation"
        response = self._dynamodb.update_item(
            TableName=self._table,
            Key={"session_id": {"S": turn.session_id}, "turn": {"S": STATE_SORT_KEY}},
            UpdateExpression=update,
            ExpressionAttributeNames={"#agent": "agent"},
            ExpressionAttributeValues=values,
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["turn_count"]["N"])

    def _put_turn(self, turn: Turn, number: int) -> None:
        now = int(self._clock())
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                "session_id": {"S": turn.session_id},
                "turn": {"S": f"turn#{number:06d}"},
                "expires_at": {"N": str(now + self._ttl_seconds)},
                "created_at": {"N": str(int(turn.created_at))},
                "correlation_id": {"S": turn.correlation_id},
                "agent": {"S": turn.agent},
                "user_message": {"S": turn.user_message},
                "answer": {"S": turn.answer},
                "outcome": {"S": turn.outcome},
                "citations": {"S": json.dumps([dict(c) for c in turn.citations], ensure_ascii=False)},
                "input_tokens": {"N": str(turn.input_tokens)},
                "output_tokens": {"N": str(turn.output_tokens)},
            },
            ConditionExpression="attribute_not_exists(#turn)",
            ExpressionAttributeNames={"#turn": "turn"},
        )
