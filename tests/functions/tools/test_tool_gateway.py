"""Both shipped tools through an AgentCore Gateway call (flat arguments, tool name in the client context),
next to the classic action-group event: one handler, one set of routes and validations, two answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared.gateway_event import arguments_session_key
from ticket_create.handler import lambda_handler as create_handler
from ticket_create.repository import ticket_id_for
from ticket_lookup.handler import lambda_handler as lookup_handler

from tests.events import load_event
from tests.functions.fakes import LambdaContext, emitted_metrics, gateway_context

LOOKUP_TOOL = "ticket-lookup___getTicket"
CREATE_TOOL = "ticket-create___createTicket"
TICKET = {
    "ticket_id": "TCK-3F2A9C01B7DE",
    "title": "VPN drops every 10 minutes",
    "description": "Since Monday the VPN client disconnects every ten minutes.",
    "priority": "high",
    "requester": "Kim Minji",
    "status": "open",
    "created_at": "2025-03-10T13:40:52+00:00",
}


@pytest.fixture
def stored_ticket(dynamodb: Any, tickets_table: str) -> dict[str, str]:
    item = {**TICKET, "session_id": "session-1234"}
    dynamodb.put_item(TableName=tickets_table, Item={k: {"S": v} for k, v in item.items()})
    return TICKET


def classic_body(response: dict[str, Any]) -> tuple[int, Any]:
    body = response["response"]["responseBody"]["application/json"]["body"]
    return response["response"]["httpStatusCode"], json.loads(body)


def test_lookup_answers_a_gateway_call_with_the_same_json_as_the_classic_envelope(stored_ticket, capsys):
    # GIVEN the same ticket asked for by a classic agent and through the gateway
    classic = lookup_handler(load_event("bedrock_agent_get_ticket"), LambdaContext())
    gateway = lookup_handler(load_event("agentcore_gateway_get_ticket"), gateway_context(LOOKUP_TOOL))

    # THEN the gateway gets the plain JSON body, identical to the classic envelope's body
    assert classic_body(classic) == (200, TICKET)
    assert gateway == TICKET
    assert emitted_metrics(capsys.readouterr().out) == {"ToolInvocations": 2}


def test_lookup_validates_gateway_arguments_like_classic_parameters(stored_ticket, capsys):
    # GIVEN an id that breaks the route's pattern, and a missing id
    # WHEN both arrive through the gateway
    bad = lookup_handler({"ticket_id": "TCK-nope"}, gateway_context(LOOKUP_TOOL))
    missing = lookup_handler({}, gateway_context(LOOKUP_TOOL))

    # THEN the resolver's own validation answers 422 and names the parameter, before the table is read
    assert bad["statusCode"] == missing["statusCode"] == 422
    assert {"ticket_id"} <= {str(p) for e in bad["detail"] for p in e["loc"]}
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 2


def test_a_business_outcome_reaches_the_gateway_as_json(tickets_table):
    # GIVEN no such ticket, WHEN the gateway asks, THEN the 404 body tells the agent what to do
    answer = lookup_handler({"ticket_id": "TCK-000000000000"}, gateway_context(LOOKUP_TOOL))
    assert answer["statusCode"] == 404 and "check the id" in answer["message"]


def test_create_uses_the_confirmed_session_as_its_idempotency_key(dynamodb, tickets_table):
    # GIVEN the orchestrator runs a confirmed createTicket for session-1234 (the gateway event shape)
    arguments = load_event("agentcore_gateway_create_ticket")
    first = create_handler(arguments, gateway_context(CREATE_TOOL, session_id="session-1234"))

    # WHEN the same call is repeated (a retry) and the classic envelope of the same session arrives too
    again = create_handler(arguments, gateway_context(CREATE_TOOL, session_id="session-1234"))
    status, classic = classic_body(create_handler(load_event("bedrock_agent_create_ticket"), LambdaContext()))

    # THEN one ticket exists, its id derived from the session exactly as on the classic path
    assert first["created"] is True and again["created"] is False
    assert first["ticket"]["ticket_id"] == ticket_id_for("session-1234", arguments["title"])
    assert (status, classic["ticket"]) == (200, first["ticket"])
    assert dynamodb.scan(TableName=tickets_table)["Count"] == 1


def test_create_without_a_session_keys_on_its_arguments(dynamodb, tickets_table):
    # GIVEN a gateway call without bedrockAgentCoreSessionId, sent twice
    arguments = load_event("agentcore_gateway_create_ticket")
    first = create_handler(arguments, gateway_context(CREATE_TOOL))
    second = create_handler(dict(arguments), gateway_context(CREATE_TOOL))

    # THEN the arguments are the key: the retry returns the same ticket
    assert first["ticket"]["ticket_id"] == ticket_id_for(arguments_session_key(arguments), arguments["title"])
    assert second == {"ticket": first["ticket"], "created": False}
    assert dynamodb.scan(TableName=tickets_table)["Count"] == 1


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"priority": "whenever"}, "priority"),
        ({"title": "x"}, "title"),
        ({"assignee": "root"}, "assignee"),
        ({"requester": None}, "requester"),
    ],
)
def test_create_refuses_bad_gateway_arguments_before_writing(dynamodb, tickets_table, arguments, field):
    # GIVEN a call that breaks the body schema (a wrong value, an unknown argument, a missing one)
    call = {**load_event("agentcore_gateway_create_ticket"), **arguments}
    if arguments.get("requester", "") is None:
        del call["requester"]

    # WHEN it arrives through the gateway
    answer = create_handler(call, gateway_context(CREATE_TOOL, session_id="s-1"))

    # THEN 422 names the field and nothing was written
    assert answer["statusCode"] == 422
    assert field in {str(part) for error in answer["detail"] for part in error["loc"]}
    assert dynamodb.scan(TableName=tickets_table)["Count"] == 0


@pytest.mark.parametrize(
    ("event", "context", "status"),
    [
        (["not", "an", "object"], gateway_context(CREATE_TOOL), 400),
        ({"title": "x"}, gateway_context(CREATE_TOOL, session_id="s" * 257), 400),
        (load_event("agentcore_gateway_create_ticket"), gateway_context("ticket-create___deleteEverything"), 404),
    ],
)
def test_malformed_gateway_calls_are_refused_before_anything_runs(
    dynamodb, tickets_table, capsys, event, context, status
):
    # GIVEN a call the tool cannot read (not an object, an oversized session id, an operation it lacks)
    # WHEN it arrives
    answer = create_handler(event, context)

    # THEN a 4xx JSON answer, a counted failure, nothing written
    assert answer["statusCode"] == status and answer["message"]
    assert dynamodb.scan(TableName=tickets_table)["Count"] == 0
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 1


def test_the_tool_name_key_is_matched_case_insensitively(stored_ticket):
    # GIVEN the spelling one AWS tutorial uses (bedrockagentcoreToolName)
    context = LambdaContext()
    context.client_context = gateway_context(LOOKUP_TOOL).client_context
    context.client_context.custom = {"bedrockagentcoreToolName": LOOKUP_TOOL}

    # WHEN the call arrives, THEN it is still routed
    assert lookup_handler({"ticket_id": TICKET["ticket_id"]}, context) == TICKET


def test_a_classic_event_is_never_mistaken_for_a_gateway_call(stored_ticket):
    # GIVEN a classic envelope delivered with a gateway-looking client context
    response = lookup_handler(load_event("bedrock_agent_get_ticket"), gateway_context(LOOKUP_TOOL))

    # THEN the envelope wins (messageVersion/actionGroup), and the answer is an envelope
    assert classic_body(response) == (200, TICKET)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    arguments=st.dictionaries(
        st.sampled_from(["title", "description", "priority", "requester", "ticket_id"]) | st.text(max_size=10),
        json_values,
        max_size=6,
    ),
    tool=st.sampled_from([CREATE_TOOL, LOOKUP_TOOL, "createTicket", "x___getTicket"]) | st.text(max_size=20),
)
def test_any_gateway_call_gets_a_json_answer(tickets_table, arguments, tool):
    # GIVEN any flat JSON arguments and any tool name
    context = gateway_context(tool) if tool else LambdaContext()
    handler = create_handler if "create" in tool.lower() else lookup_handler

    # WHEN the tool answers, THEN it is JSON-serialisable and errors carry a status and a message
    answer = handler(arguments, context)
    json.dumps(answer)
    if isinstance(answer, dict) and "statusCode" in answer:
        assert 400 <= answer["statusCode"] < 600 and answer["message"]
