"""The ticket as the agent sees it (the table's item layout: shared.tickets)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field
from shared.tickets import Priority, TicketStatus


class Ticket(BaseModel):
    ticket_id: Annotated[str, Field(description="Ticket id, e.g. TCK-3F2A9C01B7DE")]
    title: Annotated[str, Field(description="One-line summary of the problem")]
    description: Annotated[str, Field(description="What the requester reported")]
    priority: Annotated[Priority, Field(description="How urgent the ticket is")]
    requester: Annotated[str, Field(description="Who asked for help")]
    status: Annotated[TicketStatus, Field(description="Where the ticket is in its lifecycle")]
    created_at: Annotated[str, Field(description="When the ticket was opened (ISO 8601, UTC)")]


class ErrorBody(BaseModel):
    statusCode: Annotated[int, Field(description="HTTP status code")]  # noqa: N815 (wire format)
    message: Annotated[str, Field(description="What went wrong and what to do next")]
