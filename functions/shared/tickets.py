"""The `tickets` table's vocabulary, shared by ticket-create (which writes items) and ticket-lookup (which
reads them): one definition, so an item one tool writes is always one the other can read.

Item layout: ticket_id, title, description, priority, requester, status, created_at (ISO 8601 UTC),
session_id.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

TICKET_ID_PATTERN = r"^[Tt][Cc][Kk]-[0-9A-Fa-f]{12}$"
# What a ticket shows the agent (session_id stays in the table).
TICKET_FIELDS = ("ticket_id", "title", "description", "priority", "requester", "status", "created_at")


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


def ticket_fields(item: dict[str, Any]) -> dict[str, str]:
    """A DynamoDB item (low-level client: every attribute a string `{"S": ...}`) as the ticket's fields."""
    return {name: item[name]["S"] for name in TICKET_FIELDS if name in item}
