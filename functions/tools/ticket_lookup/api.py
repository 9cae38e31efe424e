"""Routes of the ticket-lookup action group; the OpenAPI schema Bedrock uses is generated from here
(`app.get_openapi_json_schema()`), so this module must import without AWS credentials or env vars."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import BedrockAgentResolver
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.params import Path
from shared.aws import DYNAMODB, client
from shared.config import env_str, table_name_env
from shared.lazy import Lazy
from shared.tickets import TICKET_ID_PATTERN
from shared.tool_runtime import install_error_handlers

from ticket_lookup.models import ErrorBody, Ticket
from ticket_lookup.repository import TicketRepository

app = BedrockAgentResolver(enable_validation=True)
logger = Logger(child=True)  # shares the handler logger's keys (correlation id)
install_error_handlers(app, logger)

repository: Lazy[TicketRepository] = Lazy(
    lambda: TicketRepository(client("dynamodb", DYNAMODB), env_str(table_name_env("tickets")))
)


class TicketNotFoundError(ServiceError):
    def __init__(self, ticket_id: str) -> None:
        super().__init__(404, f"no ticket with id {ticket_id}; ask the user to check the id")


@app.get(
    "/tickets/<ticket_id>",
    description=(
        "Look up one support ticket by its id (format TCK- followed by 12 hexadecimal characters) "
        "and return its title, description, status, priority, requester and creation time."
    ),
    operation_id="getTicket",
    response_description="The ticket",
    responses={
        200: {"description": "The ticket"},
        404: {"description": "No ticket has this id", "content": {"application/json": {"model": ErrorBody}}},
    },
)
def get_ticket(
    ticket_id: Annotated[str, Path(description="The ticket id, e.g. TCK-3F2A9C01B7DE", pattern=TICKET_ID_PATTERN)],
) -> Ticket:
    normalized = ticket_id.upper()
    ticket = repository().get(normalized)
    if ticket is None:
        raise TicketNotFoundError(normalized)
    return ticket
