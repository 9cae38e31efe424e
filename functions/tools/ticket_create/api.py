"""Routes of the ticket-create action group; the OpenAPI schema Bedrock uses is generated from here
(`app.get_openapi_json_schema()`), so this module must import without AWS credentials or env vars."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import BedrockAgentResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from shared.aws import DYNAMODB, client
from shared.config import env_str, table_name_env
from shared.lazy import Lazy
from shared.tool_runtime import install_error_handlers

from ticket_create.models import NewTicket, TicketReceipt
from ticket_create.repository import TicketRepository

app = BedrockAgentResolver(enable_validation=True)
logger = Logger(child=True)  # shares the handler logger's keys (correlation id)
install_error_handlers(app, logger)

repository: Lazy[TicketRepository] = Lazy(
    lambda: TicketRepository(client("dynamodb", DYNAMODB), env_str(table_name_env("tickets")))
)


@app.post(
    "/tickets",
    description=(
        "Open a support ticket for the user. Collect a title, a description, the priority and the "
        "requester's name first. Calling it again in the same conversation with the same title returns "
        "the ticket already opened instead of creating a duplicate."
    ),
    operation_id="createTicket",
    response_description="The ticket, and whether it was newly created",
    responses={
        200: {"description": "This conversation already opened a ticket with this title; it is returned"},
        201: {"description": "The ticket was created"},
    },
    # Bedrock asks the user to confirm before invoking: the seed's confirmation for mutating actions.
    openapi_extensions={"x-requireConfirmation": "ENABLED"},
)
def create_ticket(
    new_ticket: Annotated[NewTicket, Body(description="The ticket to open")],
) -> Response[TicketReceipt]:
    receipt = repository().create(app.current_event.session_id, new_ticket)
    return Response(
        status_code=201 if receipt.created else 200,
        content_type=content_types.APPLICATION_JSON,
        body=receipt,
    )
