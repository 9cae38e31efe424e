"""What every tool shares: error envelopes Bedrock can read, the AgentCore Gateway adapter, the tool metrics.

One handler serves both engines (`shared.gateway_event`): a Bedrock Agents action-group event is resolved
as it is; an AgentCore Gateway call (flat arguments, tool name in the client context) is rebuilt into
the same envelope, resolved by the same routes and validation, and answered with the plain JSON body.

Bedrock expects every action-group Lambda to answer with a `messageVersion: 1.0` envelope; an
exception escaping the handler makes the agent fail the whole turn. So nothing escapes: unknown
operations, invalid parameters and bugs all come back as 4xx/5xx answers the agent can reason
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
from aws_lambda_powertools.metrics import Metrics

from shared.errors import InvalidInputError
from shared.gateway_event import (
    Route,
    arguments_session_key,
    gateway_session_id,
    gateway_tool_name,
    is_gateway_call,
    operation_of,
    response_body,
    routes_from_openapi,
    to_action_group_event,
)
from shared.metrics import MetricName, emit
from shared.observability import log_error
from shared.pii import scrub

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Tracer
    from aws_lambda_powertools.event_handler import BedrockAgentResolver
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Metrics instances share one buffer per container; the handler's @log_metrics flushes it.
_metrics = Metrics()


def _json_response(status: int, body: dict[str, Any]) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


def _count_failure() -> None:
    emit(_metrics, MetricName.TOOL_FAILURES)


def count_tool_failure() -> None:
    """Count a failure a route handles itself (an external dependency down): on-call must see it."""
    _count_failure()


class InvalidToolEventError(InvalidInputError):
    """The event is not a Bedrock action-group event the resolver can read; `problems` names the fields."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


_STRING_FIELDS = ("messageVersion", "sessionId", "actionGroup", "apiPath", "httpMethod")
_PROPERTY_FIELDS = ("name", "type", "value")


def action_group_event_problems(event: Any) -> list[str]:
    """What keeps `event` from being the documented action-group input (AWS: "Configure Lambda
    functions to send information that an Amazon Bedrock agent elicits from the user"), field by
    field, without quoting a value. Checked before the resolver runs, so nothing is written for an
    event that is then refused (the response envelope echoes fields the resolver reads last)."""
    if not isinstance(event, Mapping):
        return ["event: must be a JSON object"]
    problems = [f"{name}: required string" for name in _STRING_FIELDS if not isinstance(event.get(name), str)]
    agent = event.get("agent")
    if not (isinstance(agent, Mapping) and all(isinstance(agent.get(k), str) for k in ("name", "id", "alias"))):
        problems.append("agent: required object with name, id, alias")
    problems += _property_list_problems("parameters", event.get("parameters"))
    body = event.get("requestBody")
    if body is not None:
        content = body.get("content") if isinstance(body, Mapping) else None
        if not isinstance(content, Mapping):
            problems.append("requestBody.content: required object of media type -> properties")
        else:
            for media, value in content.items():
                properties = value.get("properties") if isinstance(value, Mapping) else None
                problems += _property_list_problems(f"requestBody.content.{scrub(media, 60)}.properties", properties)
    for name in ("sessionAttributes", "promptSessionAttributes"):
        value = event.get(name)
        if value is not None and not (isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())):
            problems.append(f"{name}: must be an object of strings")
    return problems


def _property_list_problems(where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(item, Mapping) and all(isinstance(item.get(k), str) for k in _PROPERTY_FIELDS) for item in value
    ):
        return [f"{where}: must be a list of {{name, type, value}} strings"]
    return []


def _safe_detail(error: RequestValidationError) -> list[dict[str, Any]]:
    """loc/type/msg tell the agent which parameter to fix; names in loc can be the caller's own
    (an unknown property), so they pass the recogniser; the rejected input is never echoed."""
    return [
        {"loc": [scrub(part, 100) for part in e.get("loc", ())], "type": e.get("type"), "msg": e.get("msg")}
        for e in error.errors()
    ]


def install_error_handlers(app: BedrockAgentResolver, logger: Logger | Any) -> None:
    """Register the platform's error responses on a tool's resolver (call once, in api.py)."""

    @app.exception_handler(RequestValidationError)
    def _invalid_call(error: RequestValidationError) -> Response:
        _count_failure()
        detail = _safe_detail(error)
        logger.warning("action group call failed validation", extra={"detail": detail})
        return _json_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            {"statusCode": 422, "message": "invalid parameters; fix them and call again", "detail": detail},
        )

    @app.not_found
    def _unknown_operation(_error: NotFoundError) -> Response:
        _count_failure()
        event = app.current_event
        operation = f"{scrub(event.get('httpMethod'), 10)} {scrub(event.get('apiPath'), 200)}"
        logger.warning("unknown action group operation", extra={"operation": operation})
        return _json_response(HTTPStatus.NOT_FOUND, {"statusCode": 404, "message": f"unknown operation {operation}"})

    @app.exception_handler(ServiceError)
    def _business_error(error: ServiceError) -> Response:
        return _json_response(error.status_code, {"statusCode": error.status_code, "message": error.msg})

    @app.exception_handler(Exception)
    def _internal_error(error: Exception) -> Response:
        _count_failure()
        log_error(logger, "action group operation failed", error)
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
) -> Any:
    """Answer a classic action-group event with an envelope, a gateway call with plain JSON."""
    from shared.observability import start_request

    start_request(event, context, logger=logger, tracer=tracer, metrics=metrics)
    emit(metrics, MetricName.TOOL_INVOCATIONS)
    if is_gateway_call(event, context):
        return _resolve_gateway_call(app, event, context, logger=logger, metrics=metrics)
    problems = action_group_event_problems(event)
    if problems:
        # The caller's error, answered before anything runs: 400, counted as a tool failure (schema drift).
        logger.warning("malformed action group event", extra={"problems": problems})
        _count_failure()
        return error_envelope(event, HTTPStatus.BAD_REQUEST, "malformed action group event: " + "; ".join(problems))
    logger.append_keys(action_group=scrub(event["actionGroup"], 100), api_path=scrub(event["apiPath"], 200))
    metrics.add_metadata("apiPath", scrub(event["apiPath"], 200))
    try:
        return app.resolve(event, context)  # type: ignore[arg-type]
    except Exception as error:  # a bug outside the routes: still an envelope the agent can read
        log_error(logger, "action group event failed", error)
        _count_failure()
        return error_envelope(
            event, HTTPStatus.INTERNAL_SERVER_ERROR, "the tool failed; tell the user to try again later"
        )


# -- AgentCore Gateway calls ---------------------------------------------------------------------

MAX_GATEWAY_SESSION_ID_CHARS = 256
_routes_by_app: dict[int, dict[str, Route]] = {}


def _routes(app: BedrockAgentResolver) -> dict[str, Route]:
    """operationId -> route from the resolver's own OpenAPI document, built on the first gateway call
    of the container (not at import: classic calls and cold starts never pay for it)."""
    key = id(app)
    if key not in _routes_by_app:
        _routes_by_app[key] = routes_from_openapi(json.loads(app.get_openapi_json_schema()))
    return _routes_by_app[key]


def gateway_call_problems(arguments: Any, session_id: str | None) -> list[str]:
    """What keeps a gateway call from being resolved, without quoting a value."""
    problems = []
    if not isinstance(arguments, Mapping) or not all(isinstance(key, str) for key in arguments):
        problems.append("event: must be a JSON object of the tool's arguments")
    if session_id is not None and len(session_id) > MAX_GATEWAY_SESSION_ID_CHARS:
        problems.append(f"bedrockAgentCoreSessionId: at most {MAX_GATEWAY_SESSION_ID_CHARS} characters")
    return problems


def _gateway_error(status: int, message: str) -> dict[str, Any]:
    return {"statusCode": status, "message": message}


def _resolve_gateway_call(
    app: BedrockAgentResolver, arguments: Any, context: LambdaContext, *, logger: Logger, metrics: Metrics
) -> Any:
    qualified = gateway_tool_name(context) or ""
    target, _, _ = qualified.rpartition("___")
    operation = operation_of(qualified)
    session_id = gateway_session_id(context)
    problems = gateway_call_problems(arguments, session_id)
    if problems:
        logger.warning("malformed gateway tool call", extra={"problems": problems})
        _count_failure()
        return _gateway_error(HTTPStatus.BAD_REQUEST, "malformed gateway tool call: " + "; ".join(problems))
    route = _routes(app).get(operation)
    logger.append_keys(engine="agentcore", tool=scrub(qualified, 200))
    if route is None:
        logger.warning("unknown gateway tool", extra={"tool": scrub(qualified, 200)})
        _count_failure()
        return _gateway_error(HTTPStatus.NOT_FOUND, f"unknown tool {scrub(operation, 64)}")
    envelope = to_action_group_event(
        arguments, route, session_id=session_id or arguments_session_key(arguments), target=target or "gateway"
    )
    logger.append_keys(action_group=scrub(envelope["actionGroup"], 100), api_path=scrub(route.path, 200))
    metrics.add_metadata("apiPath", scrub(route.path, 200))
    try:
        return response_body(app.resolve(envelope, context))  # type: ignore[arg-type]
    except Exception as error:  # a bug outside the routes: still an answer the agent can read
        log_error(logger, "gateway tool call failed", error)
        _count_failure()
        return _gateway_error(HTTPStatus.INTERNAL_SERVER_ERROR, "the tool failed; tell the user to try again later")
