"""Request and response models of ticket-create (the table's item layout: shared.tickets)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from shared.tickets import Priority, TicketStatus


class NewTicket(BaseModel):
    # Bedrock sends every body property as a string; unknown properties are refused so that a
    # schema/agent mismatch shows up as a failed call instead of silently dropped data.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Annotated[str, Field(min_length=3, max_length=120, description="One-line summary of the problem")]
    description: Annotated[str, Field(min_length=1, max_length=4000, description="What happened, in the user's words")]
    priority: Annotated[Priority, Field(description="How urgent it is for the user")] = Priority.NORMAL
    requester: Annotated[str, Field(min_length=1, max_length=100, description="Name of the person asking for help")]


class Ticket(BaseModel):
    ticket_id: Annotated[str, Field(description="Ticket id, e.g. TCK-3F2A9C01B7DE")]
    title: str
    description: str
    priority: Priority
    requester: str
    status: TicketStatus
    created_at: Annotated[str, Field(description="When the ticket was opened (ISO 8601, UTC)")]


class TicketReceipt(BaseModel):
    ticket: Ticket
    created: Annotated[
        bool, Field(description="false when this conversation already opened the same ticket; nothing new was created")
    ]
