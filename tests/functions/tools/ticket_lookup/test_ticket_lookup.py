"""ticket-lookup through its Lambda handler, with the tickets table in moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ticket_lookup.handler import lambda_handler

from tests.events import load_event
from tests.functions.fakes import LambdaContext, emitted_metrics

TICKET = {
    "ticket_id": "TCK-3F2A9C01B7DE",
    "title": "VPN drops every 10 minutes",
    "description": "Since Monday the VPN client disconnects every ten minutes.",
    "priority": "high",
    "requester": "Kim Minji",
    "status": "open",
    "created_at": "2025-03-10T13:40:52+00:00",
    "session_id": "session-1234",
}


@pytest.fixture
def stored_ticket(dynamodb: Any, tickets_table: str) -> dict[str, str]:
    dynamodb.put_item(TableName=tickets_table, Item={k: {"S": v} for k, v in TICKET.items()})
    return TICKET


def lookup(ticket_id: str | None) -> tuple[int, dict[str, Any], dict[str, Any]]:
    event = load_event("bedrock_agent_get_ticket")
    event["parameters"] = [] if ticket_id is None else [{"name": "ticket_id", "type": "string", "value": ticket_id}]
    response = lambda_handler(event, LambdaContext())
    body = json.loads(response["response"]["responseBody"]["application/json"]["body"])
    return response["response"]["httpStatusCode"], body, response


def test_a_known_ticket_is_returned_in_the_bedrock_envelope(stored_ticket, capsys):
    # GIVEN a stored ticket
    # WHEN the agent looks it up with the documented event
    status, body, response = lookup("TCK-3F2A9C01B7DE")

    # THEN the envelope echoes the call and carries the ticket (without internal fields)
    assert response["messageVersion"] == "1.0"
    assert response["response"]["actionGroup"] == "ticket-lookup"
    assert response["response"]["apiPath"] == "/tickets/{ticket_id}"
    assert response["response"]["httpMethod"] == "GET"
    assert status == 200
    assert body == {k: v for k, v in TICKET.items() if k != "session_id"}
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics == {"ToolInvocations": 1}


def test_ticket_ids_are_case_insensitive(stored_ticket):
    # GIVEN the agent lower-cased the id
    # WHEN it looks the ticket up, THEN it is found
    assert lookup("tck-3f2a9c01b7de")[0] == 200


def test_an_unknown_ticket_is_a_404_not_a_tool_failure(tickets_table, capsys):
    # GIVEN an empty table
    # WHEN the agent looks up a ticket
    status, body, _ = lookup("TCK-000000000000")

    # THEN 404 with a message the agent can relay; this is a business outcome, not a failure
    assert status == 404
    assert "no ticket with id TCK-000000000000" in body["message"]
    assert "ToolFailures" not in emitted_metrics(capsys.readouterr().out)


@pytest.mark.parametrize("ticket_id", ["12345", "TCK-XYZ", "", None])
def test_malformed_or_missing_ids_are_422_tool_failures(tickets_table, capsys, ticket_id):
    # GIVEN a call that breaks the OpenAPI contract
    # WHEN the agent makes it
    status, body, _ = lookup(ticket_id)

    # THEN 422 tells the agent which parameter to fix, and on-call sees a ToolFailure
    assert status == 422
    assert body["detail"][0]["loc"] == ["path", "ticket_id"]
    assert body["detail"][0]["msg"]
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 1


def test_an_unknown_operation_is_a_404_tool_failure(tickets_table, capsys):
    # GIVEN an apiPath the schema does not have (schema drift)
    event = load_event("bedrock_agent_get_ticket")
    event["apiPath"] = "/tickets/{ticket_id}/comments"

    # WHEN it arrives
    response = lambda_handler(event, LambdaContext())

    # THEN a well-formed 404 envelope, counted as a failure
    assert response["response"]["httpStatusCode"] == 404
    assert response["response"]["apiPath"] == "/tickets/{ticket_id}/comments"
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 1


def test_a_dynamodb_failure_is_a_500_envelope_not_an_exception(aws, monkeypatch, capsys):
    # GIVEN the table does not exist (DynamoDB answers ResourceNotFoundException)
    monkeypatch.setenv("TICKETS_TABLE_NAME", "missing-table")

    # WHEN the agent looks up a ticket
    status, body, _ = lookup("TCK-3F2A9C01B7DE")

    # THEN the agent gets a 500 it can explain to the user
    assert status == 500
    assert "try again later" in body["message"]
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 1


def test_an_event_the_resolver_cannot_read_is_a_400_envelope(aws, capsys):
    # GIVEN an event without httpMethod
    event = load_event("bedrock_agent_get_ticket")
    del event["httpMethod"]

    # WHEN it arrives
    response = lambda_handler(event, LambdaContext())

    # THEN a 400 envelope comes back instead of an exception
    assert response["response"]["httpStatusCode"] == 400
    assert response["response"]["actionGroup"] == "ticket-lookup"
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 1
