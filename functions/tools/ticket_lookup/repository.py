"""Reads tickets from DynamoDB with a low-level client (no boto3 resource layer to import)."""

from __future__ import annotations

from typing import Any

from shared.tickets import TICKET_FIELDS, ticket_fields

from ticket_lookup.models import Ticket


class TicketRepository:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    def get(self, ticket_id: str) -> Ticket | None:
        item = self._dynamodb.get_item(
            TableName=self._table,
            Key={"ticket_id": {"S": ticket_id}},
            ProjectionExpression=", ".join(f"#{name}" for name in TICKET_FIELDS),
            ExpressionAttributeNames={f"#{name}": name for name in TICKET_FIELDS},
        ).get("Item")
        if not item:
            return None
        return Ticket.model_validate(ticket_fields(item))
