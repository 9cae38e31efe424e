"""shared.gateway_event: the gateway call -> action-group envelope mapping, read from each tool's OpenAPI."""

from __future__ import annotations

import json

from shared.gateway_event import (
    Route,
    arguments_session_key,
    is_gateway_call,
    operation_of,
    response_body,
    routes_from_openapi,
    to_action_group_event,
)
from shared.tool_runtime import action_group_event_problems
from ticket_create.api import app as create_app
from ticket_lookup.api import app as lookup_app

from tests.functions.fakes import LambdaContext, gateway_context


def test_routes_come_from_the_resolvers_own_openapi_document():
    # GIVEN both tools' generated documents
    lookup = routes_from_openapi(json.loads(lookup_app.get_openapi_json_schema()))
    create = routes_from_openapi(json.loads(create_app.get_openapi_json_schema()))

    # THEN each operationId maps to its method, path template and argument places
    assert lookup == {"getTicket": Route("GET", "/tickets/{ticket_id}", frozenset({"ticket_id"}), frozenset(), False)}
    assert create == {"createTicket": Route("POST", "/tickets", frozenset(), frozenset(), True)}


def test_the_rebuilt_envelope_is_a_valid_action_group_event():
    # GIVEN a body route and a path route
    create = Route("POST", "/tickets", frozenset(), frozenset(), True)
    lookup = Route("GET", "/tickets/{ticket_id}", frozenset({"ticket_id"}), frozenset(), False)

    # WHEN gateway arguments (typed JSON) are rebuilt
    body_event = to_action_group_event(
        {"title": "VPN", "count": 3, "tags": ["a"]}, create, session_id="s-1", target="ticket-create"
    )
    path_event = to_action_group_event({"ticket_id": "TCK-1"}, lookup, session_id="s-1", target="ticket-lookup")

    # THEN values travel as Bedrock sends them (strings, JSON for the rest) and the event passes the
    # same structural check a classic event must pass
    assert body_event["requestBody"]["content"]["application/json"]["properties"] == [
        {"name": "title", "type": "string", "value": "VPN"},
        {"name": "count", "type": "string", "value": "3"},
        {"name": "tags", "type": "string", "value": '["a"]'},
    ]
    assert path_event["parameters"] == [{"name": "ticket_id", "type": "string", "value": "TCK-1"}]
    assert path_event["apiPath"] == "/tickets/{ticket_id}" and "requestBody" not in path_event
    assert action_group_event_problems(body_event) == action_group_event_problems(path_event) == []


def test_gateway_calls_are_told_from_classic_events():
    assert is_gateway_call({"a": 1}, gateway_context("t___op"))
    assert not is_gateway_call({"a": 1}, LambdaContext())
    assert not is_gateway_call({"messageVersion": "1.0"}, gateway_context("t___op"))
    assert operation_of("ticket-create___createTicket") == "createTicket"
    assert operation_of("createTicket") == "createTicket"


def test_the_argument_key_is_stable_and_order_free():
    assert arguments_session_key({"a": 1, "b": "x"}) == arguments_session_key({"b": "x", "a": 1})
    assert arguments_session_key({"a": 1}) != arguments_session_key({"a": 2})


def test_the_envelopes_body_is_what_the_gateway_gets():
    envelope = {"response": {"responseBody": {"application/json": {"body": '{"ok": true}'}}}}
    assert response_body(envelope) == {"ok": True}
    broken = {"response": {"responseBody": {"application/json": {"body": "<html>"}}}}
    assert response_body(broken)["statusCode"] == 502
