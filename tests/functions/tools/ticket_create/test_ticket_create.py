"""ticket-create through its Lambda handler: idempotent creation, validation, and a round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ticket_create.handler import lambda_handler as create_handler
from ticket_create.repository import ticket_id_for
from ticket_lookup.handler import lambda_handler as lookup_handler

from tests.events import load_event
from tests.functions.fakes import LambdaContext, emitted_metrics


def create(properties: dict[str, str] | None, session_id: str = "session-1234") -> tuple[int, dict[str, Any]]:
    event = load_event("bedrock_agent_create_ticket")
    event["sessionId"] = session_id
    if properties is None:
        del event["requestBody"]
    else:
        event["requestBody"]["content"]["application/json"]["properties"] = [
            {"name": k, "type": "string", "value": v} for k, v in properties.items()
        ]
    response = create_handler(event, LambdaContext())
    return response["response"]["httpStatusCode"], json.loads(
        response["response"]["responseBody"]["application/json"]["body"]
    )


VALID = {
    "title": "VPN drops every 10 minutes",
    "description": "Since Monday the VPN client disconnects every ten minutes.",
    "priority": "high",
    "requester": "Kim Minji",
}


def test_a_ticket_is_created_from_the_documented_event(dynamodb, tickets_table, capsys):
    # GIVEN the documented action-group event (the user already confirmed)
    # WHEN it arrives
    response = create_handler(load_event("bedrock_agent_create_ticket"), LambdaContext())

    # THEN 201 with the new ticket
    assert response["response"]["httpStatusCode"] == 201
    body = json.loads(response["response"]["responseBody"]["application/json"]["body"])
    assert body["created"] is True
    ticket = body["ticket"]
    assert ticket["ticket_id"] == ticket_id_for("session-1234", VALID["title"])
    assert (ticket["status"], ticket["priority"], ticket["requester"]) == ("open", "high", "Kim Minji")
    # AND the item remembers which conversation opened it
    item = dynamodb.get_item(TableName=tickets_table, Key={"ticket_id": {"S": ticket["ticket_id"]}})["Item"]
    assert item["session_id"]["S"] == "session-1234"
    assert emitted_metrics(capsys.readouterr().out) == {"ToolInvocations": 1}


def test_a_retried_call_returns_the_existing_ticket_instead_of_a_duplicate(dynamodb, tickets_table):
    # GIVEN a ticket created in this conversation
    status, first = create(VALID)
    assert status == 201

    # WHEN the same request comes again, with the title spaced and cased differently
    retry = {**VALID, "title": "  vpn DROPS every   10 minutes ", "description": "again"}
    status, second = create(retry)

    # THEN the original ticket comes back, nothing new is written
    assert status == 200
    assert second == {"ticket": first["ticket"], "created": False}
    assert dynamodb.scan(TableName=tickets_table)["Count"] == 1


def test_another_conversation_gets_its_own_ticket(tickets_table):
    # GIVEN the same title from two sessions
    # WHEN both create a ticket, THEN the ids differ
    assert create(VALID, "session-a")[1]["ticket"]["ticket_id"] != create(VALID, "session-b")[1]["ticket"]["ticket_id"]


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({**VALID, "priority": "whenever"}, "priority"),
        ({**VALID, "title": "x"}, "title"),
        ({k: v for k, v in VALID.items() if k != "requester"}, "requester"),
        ({**VALID, "assignee": "root"}, "assignee"),
    ],
)
def test_invalid_bodies_are_422_with_the_field_named(tickets_table, capsys, properties, field):
    # GIVEN a body that breaks the schema
    # WHEN it arrives
    status, body = create(properties)

    # THEN the agent learns which field to fix
    assert status == 422
    assert field in {str(part) for error in body["detail"] for part in error["loc"]}
    assert emitted_metrics(capsys.readouterr().out)["ToolFailures"] == 1


def test_a_missing_body_is_422(tickets_table):
    # GIVEN no requestBody at all, WHEN it arrives, THEN 422
    assert create(None)[0] == 422


def test_a_created_ticket_can_be_looked_up(tickets_table):
    # GIVEN a ticket created through ticket-create
    _, created = create(VALID)
    ticket_id = created["ticket"]["ticket_id"]

    # WHEN ticket-lookup reads it
    event = load_event("bedrock_agent_get_ticket")
    event["parameters"] = [{"name": "ticket_id", "type": "string", "value": ticket_id}]
    response = lookup_handler(event, LambdaContext())

    # THEN both tools agree on the item layout
    assert response["response"]["httpStatusCode"] == 200
    body = json.loads(response["response"]["responseBody"]["application/json"]["body"])
    assert body == created["ticket"]
