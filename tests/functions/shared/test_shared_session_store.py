"""SessionStore against moto DynamoDB: turn numbering, state, conditional writes, spill sink."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


# -- pieces of a session expire independently (DynamoDB TTL deletes in no particular order) --------

history = st.integers(min_value=1, max_value=8).flatmap(
    lambda turns: st.tuples(
        st.just(turns),
        # the items TTL removed: any subset of the state item and the turns
        st.sets(st.sampled_from(["state", *(f"turn#{n:06d}" for n in range(1, turns + 1))])),
        st.integers(min_value=1, max_value=3),  # turns written after the expiry
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=history)
def test_no_turn_is_lost_or_overwritten_whatever_ttl_removed(store, dynamodb, session_table, case):
    # GIVEN a session with some turns, of which TTL removed an arbitrary subset of items
    turns, expired, later = case
    session, log = store
    session_id = f"s-{uuid.uuid4().hex}"
    for n in range(turns):
        assert session.record_turn(make_turn(session_id, answer=f"answer {n + 1}")).turn_number == n + 1
    for key in expired:
        dynamodb.delete_item(TableName=session_table, Key={"session_id": {"S": session_id}, "turn": {"S": key}})
    survivors = items(dynamodb, session_table, session_id)

    # WHEN the session is resumed and more turns are recorded
    numbers = [session.record_turn(make_turn(session_id, answer=f"later {n}")).turn_number for n in range(later)]

    # THEN every new turn is stored (none spilled), numbered after every surviving turn, in order
    assert None not in numbers and log.records() == []
    stored = [int(key.removeprefix("turn#")) for key in survivors if key.startswith("turn#")]
    assert numbers == sorted(numbers) and len(set(numbers)) == later and min(numbers) > max(stored, default=0)
    # AND no surviving turn was touched
    after = items(dynamodb, session_table, session_id)
    assert all(after[key] == item for key, item in survivors.items() if key != "state")
    assert [after[f"turn#{n:06d}"]["answer"]["S"] for n in numbers] == [f"later {n}" for n in range(later)]


def items(dynamodb: Any, table: str, session_id: str) -> dict[str, dict[str, Any]]:
    found = dynamodb.query(
        TableName=table,
        KeyConditionExpression="session_id = :s",
        ExpressionAttributeValues={":s": {"S": session_id}},
        ConsistentRead=True,
    )["Items"]
    return {item["turn"]["S"]: item for item in found}


def test_a_state_item_past_its_expiry_is_not_resumed(dynamodb, session_table):
    # GIVEN a session whose state (with a pending confirmation) expired, but TTL has not deleted it yet
    clock = [1_000.0]
    session = SessionStore(
        dynamodb, session_table, ttl_hours=1, sink=LogTurnSink(JsonLog().logger), clock=lambda: clock[0]
    )
    pending = PendingConfirmation("inv-1", "ticket-create", "/tickets", "POST")
    session.record_turn(make_turn(outcome="confirmation_requested", pending_confirmation=pending))
    assert session.load_state("s-1").pending_confirmation == pending
    clock[0] += 3_600

    # WHEN it is read, THEN it is gone: a stale confirmation is never resumed
    assert session.load_state("s-1") is None


def test_a_store_that_cannot_number_a_turn_spills_it_instead_of_raising(dynamodb, session_table):
    # GIVEN DynamoDB keeps refusing every turn number (as under a concurrent writer storm)
    log = JsonLog("store")
    session = SessionStore(dynamodb, session_table, ttl_hours=1, sink=LogTurnSink(log.logger))
    refused = ClientError({"Error": {"Code": "ConditionalCheckFailedException", "Message": "taken"}}, "PutItem")

    def put_item(**_: Any) -> None:
        raise refused

    original = dynamodb.put_item
    dynamodb.put_item = put_item
    try:
        # WHEN a turn is recorded
        receipt = session.record_turn(make_turn())
    finally:
        dynamodb.put_item = original

    # THEN it is kept in the replayable log record, and nothing raised
    assert not receipt.stored
    (record,) = log.records()
    assert record["replay"] == "session-turn" and record["error"] == "SessionStoreError"


def test_a_role_without_query_still_stores_a_new_sessions_turns(dynamodb, session_table):
    # GIVEN a role that may not Query the table (deployed before the IAM grant)
    session = SessionStore(dynamodb, session_table, ttl_hours=1, sink=LogTurnSink(JsonLog().logger))
    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "Query")

    def query(**_: Any) -> None:
        raise denied

    original = dynamodb.query
    dynamodb.query = query
    try:
        # WHEN a new session's turns are recorded, THEN they are stored and numbered as before
        assert [session.record_turn(make_turn("s-new")).turn_number for _ in range(2)] == [1, 2]
    finally:
        dynamodb.query = original
