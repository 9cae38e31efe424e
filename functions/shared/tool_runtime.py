"""What every action-group tool shares: error envelopes Bedrock can read, and the tool metrics.

Bedrock expects every action-group Lambda to answer with a `messageVersion: 1.0` envelope; an
exception escaping the handler makes the agent fail the whole turn. So nothing escapes: unknown
operations, invalid parameters and bugs all come back as 4xx/5xx envelopes the agent can reason
about. ToolFailures counts what on-call must look at: invalid calls from the agent (schema drift),
unknown operations and internal errors, not business outcomes such as "ticket not found".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.metrics import Metrics, MetricUnit

from shared.metrics import MetricName

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Tracer
    from aws_lambda_powertools.event_handler import BedrockAgentResolver
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Metrics instances share one buffer per container; the handler's @log_metrics flushes it.
_metrics = Metrics()


def _json_response(status: int, body: dict[str, Any]) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


def _count_failure() -> None:
    _metrics.add_metric(name=MetricName.TOOL_FAILURES.value, unit=MetricUnit.Count, value=1)


def install_error_handlers(app: BedrockAgentResolver, logger: Logger | Any) -> None:
    """Register the platform's error responses on a tool's resolver (call once, in api.py)."""

    @app.exception_handler(RequestValidationError)
    def _invalid_call(error: RequestValidationError) -> Response:
        _count_failure()
        # loc/type/msg tell the agent which parameter to fix; the rejected input is not echoed back.
        detail = [{"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": e.get("msg")} for e in error.errors()]
        logger.warning("action group call failed validation", extra={"detail": detail})
        return _json_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            {"statusCode": 422, "message": "invalid parameters; fix them and call again", "detail": detail},
        )

    @app.not_found
    def _unknown_operation(_error: NotFoundError) -> Response:
        _count_failure()
        event = app.current_event
        logger.warning("unknown action group operation", extra={"apiPath": event.get("apiPath")})
        return _json_response(
            HTTPStatus.NOT_FOUND,
            {"statusCode": 404, "message": f"unknown operation {event.get('httpMethod')} {event.get('apiPath')}"},
        )

    @app.exception_handler(ServiceError)
    def _business_error(error: ServiceError) -> Response:
        return _json_response(error.status_code, {"statusCode": error.status_code, "message": error.msg})

    @app.exception_handler(Exception)
    def _internal_error(_error: Exception) -> Response:
        _count_failure()
        logger.exception("action group operation failed")
        return _json_response(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            {"statusCode": 500, "message": "the tool failed; tell the user to try again later"},
        )


def error_envelope(event: Any, status: int, message: str) -> dict[str, Any]:
    """A Bedrock action-group response built without the resolver (for events it cannot read)."""
    fields = event if isinstance(event, Mapping) else {}
    return {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": str(fields.get("actionGroup", "")),
            "apiPath": str(fields.get("apiPath", "")),
            "httpMethod": str(fields.get("httpMethod", "")),
            "httpStatusCode": status,
            "responseBody": {
                content_types.APPLICATION_JSON: {"body": json.dumps({"statusCode": status, "message": message})}
            },
        },
    }


def resolve_tool_event(
    app: BedrockAgentResolver,
    event: Any,
    context: LambdaContext,
    *,
    logger: Logger,
    tracer: Tracer,
    metrics: Metrics,
) -> dict[str, Any]:
    from shared.observability import start_request

    start_request(event, context, logger=logger, tracer=tracer, metrics=metrics)
    metrics.add_metric(name=MetricName.TOOL_INVOCATIONS.value, unit=MetricUnit.Count, value=1)
    if isinstance(event, Mapping):
        logger.append_keys(action_group=event.get("actionGroup"), api_path=event.get("apiPath"))
        metrics.add_metadata("apiPath", str(event.get("apiPath")))
    try:
        return app.resolve(event, context)  # type: ignore[arg-type]
    except Exception:
        # Only events the resolver cannot even read get here (no apiPath, httpMethod, ...).
        logger.exception("malformed action group event")
        _count_failure()
        return error_envelope(event, HTTPStatus.BAD_REQUEST, "malformed action group event")
