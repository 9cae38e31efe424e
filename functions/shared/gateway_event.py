"""One tool Lambda, two callers: Bedrock Agents (classic action groups) and an AgentCore Gateway target.

A classic action group sends the documented `messageVersion: 1.0` envelope and expects one back. An
AgentCore Gateway Lambda target sends ONLY the tool's arguments as the event (flat JSON, the schema's
types kept) and names the tool in the Lambda context: `context.client_context.custom
["bedrockAgentCoreToolName"]` = `"<target>___<toolName>"`, the target prefix to be stripped by the
function; it expects plain JSON back (AWS: "AWS Lambda function targets", gateway-add-target-lambda.html,
"Lambda function input format"; "Understand how AgentCore Gateway tools are named",
gateway-tool-naming.html). The orchestrator calls mutating tools the same way after the user confirmed,
adding `bedrockAgentCoreSessionId` (the platform session) to the custom context.

This module rebuilds the classic envelope from a gateway call so the tool's BedrockAgentResolver routes,
validates (422 on a bad argument) and answers exactly as it does for Bedrock Agents; `<toolName>` is the
route's OpenAPI operationId, read from the resolver's own OpenAPI document (the document the gateway
target's tool schema is generated from, so both always agree).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TOOL_NAME_KEY = "bedrockAgentCoreToolName"
SESSION_ID_KEY = "bedrockAgentCoreSessionId"
TARGET_DELIMITER = "___"
# Gateway calls carry no agent; the envelope names the caller so logs and metrics can tell the engines apart.
GATEWAY_AGENT = {"name": "agentcore-gateway", "id": "agentcore-gateway", "alias": "agentcore-gateway", "version": "1"}
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
_JSON = "application/json"


def _custom_value(context: Any, key: str) -> str | None:
    """A key of the Lambda client context's `custom` map, matched case-insensitively: AWS's tutorials
    spell the same keys `bedrockAgentCoreToolName` and `bedrockagentcoreToolName`."""
    client_context = getattr(context, "client_context", None)
    custom = getattr(client_context, "custom", None)
    if not isinstance(custom, Mapping):
        return None
    wanted = key.lower()
    value = next((v for k, v in custom.items() if isinstance(k, str) and k.lower() == wanted), None)
    return value if isinstance(value, str) and value else None


def gateway_tool_name(context: Any) -> str | None:
    """The gateway's `<target>___<toolName>`, or None when the call did not come through a gateway."""
    return _custom_value(context, TOOL_NAME_KEY)


def gateway_session_id(context: Any) -> str | None:
    return _custom_value(context, SESSION_ID_KEY)


def is_gateway_call(event: Any, context: Any) -> bool:
    """A gateway call names its tool in the client context and carries no action-group envelope."""
    if isinstance(event, Mapping) and ("messageVersion" in event or "actionGroup" in event):
        return False
    return gateway_tool_name(context) is not None


def operation_of(qualified_tool_name: str) -> str:
    """`ticket-create___createTicket` -> `createTicket` (a name without a target prefix stays as it is)."""
    return qualified_tool_name.split(TARGET_DELIMITER, 1)[-1]


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, ...
    path: str  # the route TEMPLATE, as Bedrock sends apiPath: /tickets/{ticket_id}
    path_parameters: frozenset[str]
    query_parameters: frozenset[str]
    has_json_body: bool


def routes_from_openapi(document: Mapping[str, Any]) -> dict[str, Route]:
    """operationId -> Route, for every operation of the resolver's OpenAPI document."""
    table: dict[str, Route] = {}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, Mapping) or "operationId" not in operation:
                continue
            parameters = operation.get("parameters", [])
            table[operation["operationId"]] = Route(
                method=method.upper(),
                path=path,
                path_parameters=frozenset(_PATH_PARAMETER.findall(path)),
                query_parameters=frozenset(p["name"] for p in parameters if p.get("in") == "query"),
                has_json_body=_JSON in operation.get("requestBody", {}).get("content", {}),
            )
    return table


def _as_text(value: Any) -> str:
    # Bedrock sends every value as a string; the resolver's validation converts it back to the declared type.
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _property(name: str, value: Any) -> dict[str, str]:
    return {"name": name, "type": "string", "value": _as_text(value)}


def arguments_session_key(arguments: Mapping[str, Any]) -> str:
    """A session id for a gateway call that carries none: the same arguments give the same key, so a
    retried call (the gateway's or the agent's) converges on the same idempotent result."""
    canonical = json.dumps(arguments, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "gateway-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:40]


def to_action_group_event(
    arguments: Mapping[str, Any], route: Route, *, session_id: str, target: str
) -> dict[str, Any]:
    """The classic envelope for a gateway call: path and query arguments in `parameters`, everything else
    in the JSON body's properties (as the gateway's input schema flattens them); an argument the route
    does not declare goes where the resolver will refuse it (an unknown body property, 422) or ignore it
    (an unknown parameter of a body-less route), exactly as for a classic call."""
    parameters: list[dict[str, str]] = []
    body: list[dict[str, str]] = []
    for name, value in arguments.items():
        if name in route.path_parameters or name in route.query_parameters or not route.has_json_body:
            parameters.append(_property(name, value))
        else:
            body.append(_property(name, value))
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "agent": dict(GATEWAY_AGENT),
        "inputText": "",
        "sessionId": session_id,
        "actionGroup": target,
        "apiPath": route.path,
        "httpMethod": route.method,
        "parameters": parameters,
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }
    if route.has_json_body:
        event["requestBody"] = {"content": {_JSON: {"properties": body}}}
    return event


def response_body(envelope: Mapping[str, Any]) -> Any:
    """The JSON body of an action-group response envelope: what the gateway gets back. Error bodies
    (`{"statusCode": 4xx/5xx, "message": ...}`) are returned the same way, so the agent reads the reason."""
    response = envelope.get("response", {}) if isinstance(envelope, Mapping) else {}
    body = response.get("responseBody", {}).get(_JSON, {}).get("body", "null")
    if not isinstance(body, str):
        return body
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        return {"statusCode": 502, "message": "the tool answered with a body that is not JSON"}
