"""Conversation turns and session state in DynamoDB, without ever losing or overwriting a turn.

Table layout (the SessionStore component creates it): partition key `session_id` (S), sort key
`turn` (S), TTL attribute `expires_at` (epoch seconds).
- `turn = "state"`: one item per session: agent, turn_count, created_at, updated_at, expires_at,
  last_correlation_id and, while the agent waits for the user to confirm an action,
  pending_confirmation.
- `turn = "turn#000001"`, `"turn#000002"`, ...: one item per turn, written with
  `attribute_not_exists(turn)` so a stored turn is never overwritten.

Every item expires on its own: DynamoDB's TTL deletes expired items in the background, typically
within a few days and in no particular order ("Using time to live (TTL) in DynamoDB"; a changed
SESSION_TTL_HOURS also leaves older items outliving newer ones). So any subset of a session's items
may be gone: the state item before its turns, turns between others. Turn numbering holds whatever
was removed: when the counter starts afresh (first turn, or the state item is gone) or is behind the
stored turns (the number is taken), the highest stored turn is read (one Query, so the first turn of
a session costs one more read) and the counter moves past it; an expired state item that
TTL has not deleted yet is treated as gone (AWS: filter expired items out of reads), so a stale
pending confirmation is never resumed.

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
from enum import StrEnum
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from shared.aws import CONDITIONAL_CHECK_FAILED, describe_error, error_code
from shared.observability import REPLAY_FIELD

STATE_SORT_KEY = "state"
TURN_PREFIX = "turn#"
REPLAY_MARKER = "session-turn"
_MAX_WRITE_ATTEMPTS = 5


class TurnOutcome(StrEnum):
    """How a turn ended: stored with the turn, returned by the Step Functions steps, accepted by `record`."""

    ANSWERED = "answered"
    CONFIRMATION_REQUESTED = "confirmation_requested"
    BLOCKED = "blocked"
    FALLBACK = "fallback"  # the light model answered
    ESCALATED = "escalated"  # nobody answered; a human was told
    UNAVAILABLE = "unavailable"  # nobody answered; no queue to tell a human (crawl)


class SessionStoreError(RuntimeError):
    """Session state could not be read, or a turn could not be written."""


@dataclass(frozen=True)
class PendingConfirmation:
    """An action the agent wants to run once the user confirms it (Bedrock returnControl, or an AgentCore
    harness's inline tool call)."""

    invocation_id: str
    action_group: str
    api_path: str
    http_method: str
    # AgentCore engine: JSON the orchestrator resumes the harness with (the tool call and which harness
    # asked); "" for Bedrock Agents, which keep that state themselves. Items written before it load as "".
    resume: str = ""


@dataclass(frozen=True)
class Turn:
    session_id: str
    correlation_id: str
    agent: str
    user_message: str  # already redacted by the guard: raw PII is never stored
    answer: str
    outcome: TurnOutcome
    citations: tuple[dict[str, str], ...] = ()
    input_tokens: int = 0
    output_tokens: int = 0
    created_at: float = field(default_factory=time.time)
    pending_confirmation: PendingConfirmation | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", TurnOutcome(self.outcome))  # refuses an outcome nobody defined

    def to_record(self) -> dict[str, Any]:
        """JSON-serialisable form: what the fallback sink logs and `replay` accepts."""
        record = asdict(self)
        record["outcome"] = self.outcome.value
        record["citations"] = [dict(c) for c in self.citations]
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Turn:
        pending = record.get("pending_confirmation")
        return cls(
            **{k: v for k, v in record.items() if k not in ("citations", "pending_confirmation", "outcome")},
            outcome=TurnOutcome(record["outcome"]),
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
            extra={REPLAY_FIELD: REPLAY_MARKER, "turn": turn.to_record(), "error": describe_error(error)},
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
            return self.write(turn)
        except (ClientError, BotoCoreError, SessionStoreError) as error:
            self._sink.spill(turn, error)
            return TurnReceipt(stored=False)

    def replay(self, turn_record: dict[str, Any]) -> TurnReceipt:
        """Write a turn taken from a sink record; raises if DynamoDB still refuses it."""
        return self.write(Turn.from_record(turn_record))

    def load_state(self, session_id: str) -> SessionState | None:
        """The session's state, or None when it has none or it has expired (TTL not yet applied)."""
        try:
            item = self._dynamodb.get_item(
                TableName=self._table,
                Key={"session_id": {"S": session_id}, "turn": {"S": STATE_SORT_KEY}},
                ConsistentRead=True,
            ).get("Item")
        except (ClientError, BotoCoreError) as error:
            raise SessionStoreError(f"reading session {session_id} failed ({type(error).__name__})") from error
        if not item or int(item.get("expires_at", {}).get("N", "0")) <= int(self._clock()):
            return None
        pending = item.get("pending_confirmation", {}).get("M")
        return SessionState(
            session_id=session_id,
            agent=item.get("agent", {}).get("S", ""),
            turn_count=int(item.get("turn_count", {}).get("N", "0")),
            pending_confirmation=PendingConfirmation(**{k: v["S"] for k, v in pending.items()}) if pending else None,
        )

    def write(self, turn: Turn) -> TurnReceipt:
        """Store the turn and count it in the session state, or raise (ClientError, BotoCoreError,
        SessionStoreError): for callers that keep the turn themselves when it fails (a queue)."""
        now = int(self._clock())
        floor: int | None = None
        for _ in range(_MAX_WRITE_ATTEMPTS):
            number = self._claim_number(turn, now, floor)
            if number is None:  # another writer moved the counter past the floor: take the next one
                floor = None
                continue
            if number == 1 and floor is None:
                # A counter that starts at 1 is new, or TTL removed the state item before turns that are
                # still stored: number after them, so the session's turns stay in order.
                highest = self._highest_turn(turn.session_id, required=False)
                if highest:
                    floor = highest + 1
                    continue
            try:
                self._put_turn(turn, number, now)
            except ClientError as error:
                if error_code(error) != CONDITIONAL_CHECK_FAILED:
                    raise
                # The number is taken: the counter is behind the stored turns (TTL removed the state
                # item, or part of the session). Move it past the highest turn still stored.
                floor = self._highest_turn(turn.session_id) + 1
                continue
            return TurnReceipt(stored=True, turn_number=number)
        raise SessionStoreError(f"no free turn number for session {turn.session_id} after {_MAX_WRITE_ATTEMPTS} tries")

    def _claim_number(self, turn: Turn, now: int, floor: int | None) -> int | None:
        """Count the turn in the state item: the next number, or `floor` when the counter must jump
        (None when a concurrent writer already moved it past `floor`)."""
        values: dict[str, Any] = {
            ":agent": {"S": turn.agent},
            ":now": {"N": str(now)},
            ":expires": {"N": str(now + self._ttl_seconds)},
            ":cid": {"S": turn.correlation_id},
        }
        update = (
            "SET #agent = if_not_exists(#agent, :agent), created_at = if_not_exists(created_at, :now), "
            "updated_at = :now, expires_at = :expires, last_correlation_id = :cid"
        )
        if turn.pending_confirmation:
            update += ", pending_confirmation = :pending"
            values[":pending"] = {"M": {k: {"S": v} for k, v in asdict(turn.pending_confirmation).items()}}
        condition = None
        if floor is None:
            update += " ADD turn_count :one"
            values[":one"] = {"N": "1"}
        else:
            update += ", turn_count = :floor"
            values[":floor"] = {"N": str(floor)}
            condition = "attribute_not_exists(turn_count) OR turn_count < :floor"
        if not turn.pending_confirmation:
            update += " REMOVE pending_confirmation"
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": {"session_id": {"S": turn.session_id}, "turn": {"S": STATE_SORT_KEY}},
            "UpdateExpression": update,
            "ExpressionAttributeNames": {"#agent": "agent"},
            "ExpressionAttributeValues": values,
            "ReturnValues": "UPDATED_NEW",
        }
        if condition:
            request["ConditionExpression"] = condition
        try:
            response = self._dynamodb.update_item(**request)
        except ClientError as error:
            if condition and error_code(error) == CONDITIONAL_CHECK_FAILED:
                return None
            raise
        return int(response["Attributes"]["turn_count"]["N"])

    def _highest_turn(self, session_id: str, *, required: bool = True) -> int:
        """The highest turn number stored for the session (0 when none is). Not `required` (a new
        counter), a role without dynamodb:Query reads as 0: the conditional put still protects every
        stored turn, and a collision then asks again, required."""
        try:
            return self._query_highest_turn(session_id)
        except ClientError as error:
            if required or error_code(error) != "AccessDeniedException":
                raise
            return 0

    def _query_highest_turn(self, session_id: str) -> int:
        items = self._dynamodb.query(
            TableName=self._table,
            KeyConditionExpression="session_id = :session AND begins_with(#turn, :prefix)",
            ExpressionAttributeNames={"#turn": "turn"},
            ExpressionAttributeValues={":session": {"S": session_id}, ":prefix": {"S": TURN_PREFIX}},
            ProjectionExpression="#turn",
            ScanIndexForward=False,  # zero-padded numbers sort as strings: the first item is the highest
            Limit=1,
            ConsistentRead=True,
        ).get("Items", [])
        return int(items[0]["turn"]["S"].removeprefix(TURN_PREFIX)) if items else 0

    def _put_turn(self, turn: Turn, number: int, now: int) -> None:
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                "session_id": {"S": turn.session_id},
                "turn": {"S": f"{TURN_PREFIX}{number:06d}"},
                "expires_at": {"N": str(now + self._ttl_seconds)},
                "created_at": {"N": str(int(turn.created_at))},
                "correlation_id": {"S": turn.correlation_id},
                "agent": {"S": turn.agent},
                "user_message": {"S": turn.user_message},
                "answer": {"S": turn.answer},
                "outcome": {"S": turn.outcome.value},
                "citations": {"S": json.dumps([dict(c) for c in turn.citations], ensure_ascii=False)},
                "input_tokens": {"N": str(turn.input_tokens)},
                "output_tokens": {"N": str(turn.output_tokens)},
            },
            ConditionExpression="attribute_not_exists(#turn)",
            ExpressionAttributeNames={"#turn": "turn"},
        )
