"""Routes of the public-holidays tool; its OpenAPI schema (Bedrock action group, AgentCore Gateway target)
is generated from here, so this module must import without AWS credentials or env vars."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import BedrockAgentResolver
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.params import Path
from shared.lazy import Lazy
from shared.tool_runtime import count_tool_failure, install_error_handlers

from public_holidays.calendar import HolidayCalendar, HolidayServiceError
from public_holidays.models import ErrorBody, HolidayMonth

app = BedrockAgentResolver(enable_validation=True)
logger = Logger(child=True)  # shares the handler logger's keys (correlation id)
install_error_handlers(app, logger)


def _calendar() -> HolidayCalendar:
    from shared.aws import client
    from shared.credentials import IDENTITY, ApiKeyProvider

    from public_holidays.config import HolidayToolConfig

    settings = HolidayToolConfig.from_env()
    api_key = ApiKeyProvider(
        lambda: client("bedrock-agentcore", IDENTITY),
        workload_name=settings.workload_identity,
        provider_name=settings.credential_provider,
    )
    return HolidayCalendar(api_key, settings.external_api_url)


calendar: Lazy[HolidayCalendar] = Lazy(_calendar)


@app.get(
    "/holidays/<year>/<month>",
    description=(
        "List the public holidays (공휴일, days off by law, including substitute holidays) in Korea for one "
        "month: each holiday's date and Korean name. Use it to tell the user whether a day is a working day."
    ),
    operation_id="listHolidays",
    response_description="The month's public holidays",
    responses={
        200: {"description": "The month's public holidays (an empty list when it has none)"},
        502: {"description": "The holiday service failed", "content": {"application/json": {"model": ErrorBody}}},
        503: {
            "description": "The holiday service is unavailable",
            "content": {"application/json": {"model": ErrorBody}},
        },
    },
)
def list_holidays(
    year: Annotated[int, Path(description="The year, e.g. 2026", ge=2000, le=2100)],
    month: Annotated[int, Path(description="The month, 1 to 12", ge=1, le=12)],
) -> HolidayMonth:
    try:
        holidays = calendar().month(year, month)
    except HolidayServiceError as error:
        # Not the agent's fault, but on-call's business: counted like an internal error, answered plainly.
        count_tool_failure()
        logger.warning("holiday service failed", extra={"status": error.status, "reason": str(error)})
        raise ServiceError(error.status, f"{error}") from None
    return HolidayMonth(year=year, month=month, holidays=holidays)
