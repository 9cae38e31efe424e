"""Hypothesis: any action-group event gets a well-formed Bedrock response from every tool."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as record_outcome
from hypothesis import strategies as st
from ticket_create.handler import lambda_handler as create_handler
from ticket_lookup.handler import lambda_handler as lookup_handler

from tests.events import load_event
from tests.functions.fakes import LambdaContext

KNOWN_TICKET = "TCK-3F2A9C01B7DE"

values = st.text(max_size=50) | st.from_regex(r"TCK-[0-9A-F]{12}", fullmatch=True)
names = st.sampled_from(["ticket_id", "title", "description", "priority", "requester", "status", ""]) | st.text(
    max_size=8
)
properties = st.lists(st.fixed_dictionaries({"name": names, "type": st.just("string"), "value": values}), max_size=6)
lookup_parameters = st.builds(
    lambda value: [{"name": "ticket_id", "type": "string", "value": value}],
    st.sampled_from([KNOWN_TICKET, KNOWN_TICKET.lower()]) | values,
)
# Plausible bodies (right names, sometimes wrong values) so the fuzzer reaches validation and the table.
ticket_bodies = st.fixed_dictionaries(
    {"title": st.text(min_size=3, max_size=130), "description": st.text(min_size=1, max_size=60)},
    optional={
        "priority": st.sampled_from(["low", "normal", "high", "urgent", "HIGH", ""]),
        "requester": st.text(min_size=1, max_size=30),
    },
).map(lambda body: [{"name": k, "type": "string", "value": v} for k, v in body.items()])
other_routes = st.tuples(
    st.sampled_from(["/tickets/{ticket_id}", "/tickets", "/", "/tickets/{id}/x"]) | st.text(max_size=20),
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "get"]),
)


def events(fixture: str, route: tuple[str, str]) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly the tool's own operation (so calls reach validation and the table), sometimes any other."""

    def build(route: tuple[str, str], parameters: list, body: list | None, session: str) -> dict[str, Any]:
        event = load_event(fixture)
        event.update(apiPath=route[0], httpMethod=route[1], parameters=parameters, sessionId=session)
        if body is None:
            event.pop("requestBody", None)
        else:
            event["requestBody"] = {"content": {"application/json": {"properties": body}}}
        return event

    routes = st.sampled_from([route] * 4) | other_routes
    bodies = st.none() | ticket_bodies | properties
    return st.builds(build, routes, lookup_parameters | properties, bodies, st.text(min_size=1, max_size=20))


@pytest.fixture
def known_ticket(dynamodb: Any, tickets_table: str) -> str:
    fields = {"title": "VPN drops", "description": "d", "priority": "high", "requester": "r", "status": "open"}
    item = {"ticket_id": KNOWN_TICKET, "created_at": "2025-03-10T13:40:52+00:00", **fields}
    dynamodb.put_item(TableName=tickets_table, Item={k: {"S": v} for k, v in item.items()})
    return KNOWN_TICKET


def assert_well_formed(event: dict[str, Any], response: dict[str, Any]) -> None:
    assert response["messageVersion"] == "1.0"
    inner = response["response"]
    assert (inner["actionGroup"], inner["apiPath"], inner["httpMethod"]) == (
        event["actionGroup"],
        event["apiPath"],
        event["httpMethod"],
    )
    assert isinstance(inner["httpStatusCode"], int) and 200 <= inner["httpStatusCode"] <= 599
    assert isinstance(json.loads(inner["responseBody"]["application/json"]["body"]), dict)
    record_outcome(f"status {inner['httpStatusCode']} {event['httpMethod']} {event['apiPath'][:12]}")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=events("bedrock_agent_get_ticket", ("/tickets/{ticket_id}", "GET")))
def test_ticket_lookup_answers_any_event(known_ticket, event):
    # GIVEN an arbitrary action-group call, WHEN ticket-lookup handles it, THEN a well-formed envelope
    assert_well_formed(event, lookup_handler(event, LambdaContext()))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=events("bedrock_agent_create_ticket", ("/tickets", "POST")))
def test_ticket_create_answers_any_event(tickets_table, event):
    # GIVEN an arbitrary action-group call, WHEN ticket-create handles it, THEN a well-formed envelope
    assert_well_formed(event, create_handler(event, LambdaContext()))


def _break(event: dict[str, Any], how: str, junk: Any) -> dict[str, Any]:
    """One malformation of a valid action-group event."""
    broken = json.loads(json.dumps(event))
    if how == "drop":
        broken.pop(junk, None)
    elif how == "retype":
        field, value = junk
        broken[field] = value
    elif how == "property":
        broken["requestBody"]["content"]["application/json"]["properties"][0] = junk
    elif how == "parameters":
        broken["parameters"] = junk
    return broken


fields = st.sampled_from(["messageVersion", "agent", "sessionId", "actionGroup", "apiPath", "httpMethod"])
non_strings = st.none() | st.integers() | st.lists(st.text(max_size=3), max_size=2) | st.booleans()
malformations = st.one_of(
    st.tuples(st.just("drop"), fields),
    st.tuples(st.just("retype"), st.tuples(fields, non_strings)),
    st.tuples(
        st.just("retype"),
        st.tuples(
            st.sampled_from(["sessionAttributes", "promptSessionAttributes", "requestBody"]),
            st.integers() | st.lists(st.text(max_size=3), max_size=2) | st.booleans() | st.text(max_size=3),
        ),
    ),
    st.tuples(
        st.just("property"), st.dictionaries(st.sampled_from(["name", "type", "value"]), non_strings, min_size=1)
    ),
    st.tuples(st.just("parameters"), st.text(max_size=5) | st.lists(st.integers(), min_size=1, max_size=2)),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(malformation=malformations)
def test_a_malformed_event_is_the_callers_400_and_writes_nothing(dynamodb, tickets_table, malformation):
    # GIVEN a ticket-create event with one field missing or of the wrong shape
    event = _break(load_event("bedrock_agent_create_ticket"), *malformation)

    # WHEN the tool handles it
    response = create_handler(event, LambdaContext())

    # THEN the answer is the documented 400 naming the field, and no ticket was written first
    assert response["response"]["httpStatusCode"] == 400
    assert "malformed action group event" in response["response"]["responseBody"]["application/json"]["body"]
    assert dynamodb.scan(TableName=tickets_table)["Count"] == 0
