"""Creates tickets idempotently: the id derives from the conversation and the normalized title, and
the write is a conditional put, so retries (botocore, Bedrock or the user asking twice) converge on
one ticket."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from shared.aws import CONDITIONAL_CHECK_FAILED, error_code
from shared.tickets import TicketStatus, ticket_fields

from ticket_create.models import NewTicket, Ticket, TicketReceipt


def normalize_title(title: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", title)).strip().casefold()


def ticket_id_for(session_id: str, title: str) -> str:
    digest = hashlib.sha256(f"{session_id}\n{normalize_title(title)}".encode()).hexdigest()
    return f"TCK-{digest[:12].upper()}"


class TicketRepository:
    def __init__(self, dynamodb: Any, table_name: str, now: Callable[[], datetime] | None = None) -> None:
        self._dynamodb = dynamodb
        self._table = table_name
        self._now = now or (lambda: datetime.now(UTC))

    def create(self, session_id: str, request: NewTicket) -> TicketReceipt:
        ticket = Ticket(
            ticket_id=ticket_id_for(session_id, request.title),
            title=request.title,
            description=request.description,
            priority=request.priority,
            requester=request.requester,
            status=TicketStatus.OPEN,
            created_at=self._now().isoformat(timespec="seconds"),
        )
        item = {
            name: {"S": str(value.value if hasattr(value, "value") else value)}
            for name, value in ticket.model_dump().items()
        }
        item["session_id"] = {"S": session_id}
        try:
            self._dynamodb.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(ticket_id)",
            )
        except ClientError as error:
            if error_code(error) != CONDITIONAL_CHECK_FAILED:
                raise
            return TicketReceipt(ticket=self._get(ticket.ticket_id), created=False)
        return TicketReceipt(ticket=ticket, created=True)

    def _get(self, ticket_id: str) -> Ticket:
        item = self._dynamodb.get_item(
            TableName=self._table,
            Key={"ticket_id": {"S": ticket_id}},
            ConsistentRead=True,  # the conditional put just saw it: read it back for certain
        )["Item"]
        return Ticket.model_validate(ticket_fields(item))
