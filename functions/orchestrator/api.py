"""API Gateway (REST, proxy integration) adapter: `POST /agents/{agent}/chat`, crawl tier.

Every outcome is a JSON response with a meaningful status: 400 malformed/oversized/invalid body,
404 another agent's path, 409 a confirmation nobody asked for, 422 blocked by the guard, 200 answered
(also with the fallback model), 502/503 only when the fallback failed too. Never an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types

from orchestrator.contract import InvalidRequestError, decode_body, parse_chat_request

if TYPE_CHECKING:
    from orchestrator.config import OrchestratorConfig
    from orchestrator.service import ChatService

app = APIGatewayRestResolver()  # CORS off: browsers reach the API through the platform's front end only


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body, headers=headers)


def _trace_id() -> str:
    return str(app.context.get("correlation_id", ""))


@app.post("/agents/<agent>/chat")
def chat(agent: str) -> Response:
    service: ChatService = app.context["service"]
    settings: OrchestratorConfig = app.context["config"]
    if agent != settings.agent_name:
        return _json(404, {"message": f"no agent {agent!r} behind this endpoint", "traceId": _trace_id()})
    event = app.current_event
    try:
        document = decode_body(event.body, bool(event.is_base64_encoded))
        request = parse_chat_request(document, settings.max_input_chars)
    except InvalidRequestError as error:
        return _json(400, {"message": "invalid request", "errors": error.problems, "traceId": _trace_id()})
    result = service.chat(
        request, _trace_id(), time_left=app.context["time_left"], principal=_principal(event.raw_event)
    )
    headers = {"Retry-After": "30"} if result.status_code == 503 else None
    return _json(result.status_code, {**result.body, "traceId": _trace_id()}, headers)


def _principal(event: dict[str, Any]) -> str | None:
    """The signed-in end user, when API Gateway's Cognito authorizer verified one (its `sub` claim): the
    AgentCore engine keys the user's memory on a hash of it. An IAM caller is the platform's front end, not
    a person, so it is not used (the session is, instead)."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = authorizer.get("claims") if isinstance(authorizer, dict) else None
    sub = claims.get("sub") if isinstance(claims, dict) else None
    return sub if isinstance(sub, str) and sub else None


@app.not_found
def not_found(_error: Exception) -> Response:
    return _json(404, {"message": "not found; use POST /agents/{agent}/chat", "traceId": _trace_id()})


@app.exception_handler(Exception)
def internal_error(error: Exception) -> Response:
    from aws_lambda_powertools import Logger
    from shared.observability import log_error

    log_error(Logger(child=True), "unhandled error in chat route", error)
    return _json(500, {"message": "internal error; retry later", "traceId": _trace_id()})
