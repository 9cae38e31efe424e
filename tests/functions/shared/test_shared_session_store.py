"""SessionStore against moto DynamoDB: turn numbering, state, conditional writes, spill sink."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from shared.session_store import LogTurnSink, PendingConfirmation, SessionStore, SessionStoreError, Turn

from tests.functions.fakes import JsonLog


def make_turn(session_id: str = "s-1", **overrides: Any) -> Turn:
    fields: dict[str, Any] = dict(
        session_id=session_id,
        correlation_id="c-1",
        agent="support-assistant",
        user_message="hi",
        answer="hello",
        outcome="answered",
        created_at=1_000.0,
    )
    return Turn(**{**fields, **overrides})


@pytest.fixture
def store(dynamodb: Any, session_table: str) -> tuple[SessionStore, JsonLog]:
    log = JsonLog("store")
    return SessionStore(dynamodb, session_table, ttl_hours=2, sink=LogTurnSink(log.logger), clock=lambda: 1_000.0), log


def test_turns_are_numbered_and_the_state_follows(store, dynamodb, session_table):
    session, _ = store
    # WHEN two turns are stored
    assert session.record_turn(make_turn()).turn_number == 1
    assert session.record_turn(make_turn(answer="again")).turn_number == 2

    # THEN both items exist with the TTL, and the state counts them
    state = session.load_state("s-1")
    assert (state.turn_count, state.agent, state.pending_confirmation) == (2, "support-assistant", None)
    item = dynamodb.get_item(TableName=session_table, Key={"session_id": {"S": "s-1"}, "turn": {"S": "turn#000002"}})
    assert item["Item"]["expires_at"]["N"] == str(1_000 + 2 * 3600)


def test_pending_confirmation_is_kept_until_the_next_turn(store):
    session, _ = store
    pending = PendingConfirmation("inv-1", "ticket-create", "/tickets", "POST")
    session.record_turn(make_turn(outcome="confirmation_requested", pending_confirmation=pending))
    assert session.load_state("s-1").pending_confirmation == pending
    session.record_turn(make_turn())
    assert session.load_state("s-1").pending_confirmation is None


def test_an_existing_turn_is_never_overwritten(store, dynamodb, session_table):
    # GIVEN turn#000001 exists while the state item is gone (TTL deleted it first)
    session, _ = store
    session.record_turn(make_turn(answer="original"))
    dynamodb.delete_item(TableName=session_table, Key={"session_id": {"S": "s-1"}, "turn": {"S": "state"}})

    # WHEN the next turn is stored
    receipt = session.record_turn(make_turn(answer="newer"))

    # THEN it takes the next free number and the original stays
    assert receipt.turn_number == 2
    first = dynamodb.get_item(TableName=session_table, Key={"session_id": {"S": "s-1"}, "turn": {"S": "turn#000001"}})
    assert first["Item"]["answer"]["S"] == "original"


def test_unknown_sessions_have_no_state(store):
    assert store[0].load_state("nobody") is None


def test_a_failed_write_spills_the_whole_turn(dynamodb):
    # GIVEN a table that does not exist
    log = JsonLog("store")
    session = SessionStore(dynamodb, "missing", ttl_hours=1, sink=LogTurnSink(log.logger))

    # WHEN a turn is stored
    receipt = session.record_turn(make_turn(citations=({"text": "t", "uri": "s3://b/k"},)))

    # THEN it is not lost: the ERROR record holds all of it, in replayable form
    assert not receipt.stored
    (record,) = log.records()
    assert record["level"] == "ERROR" and record["replay"] == "session-turn"
    assert Turn.from_record(record["turn"]) == make_turn(citations=({"text": "t", "uri": "s3://b/k"},))


def test_state_read_failures_are_named(dynamodb):
    with pytest.raises(SessionStoreError):
        SessionStore(dynamodb, "missing", ttl_hours=1, sink=LogTurnSink(JsonLog().logger)).load_state("s")


def test_replay_raises_when_dynamodb_still_refuses(dynamodb):
    session = SessionStore(dynamodb, "missing", ttl_hours=1, sink=LogTurnSink(JsonLog().logger))
    with pytest.raises(ClientError):
        session.replay(make_turn().to_record())
