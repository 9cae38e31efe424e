"""Reads an invoke_agent completion stream into one AgentReply.

The stream interleaves `chunk` (answer bytes + citations), `trace` (enableTrace=True: token usage,
tool failures), `returnControl` (the agent asks the user to confirm an action) and error events.
Errors arrive two ways: botocore raises EventStreamError for an exception frame, and the documented
event dicts (`{"throttlingException": {...}}`) are honoured as well; both map to the same AgentError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from orchestrator.errors import (
    AgentError,
    AgentInvocationError,
    AgentThrottledError,
    AgentTimeoutError,
    AgentUnavailableError,
)

# Bounded so a turn always fits a DynamoDB item (400 KB) and an API response.
MAX_CITATIONS = 20
MAX_CITATION_CHARS = 1_000

_ERROR_TYPES: dict[str, type[AgentError]] = {
    "throttlingexception": AgentThrottledError,
    "servicequotaexceededexception": AgentThrottledError,
    "toomanyrequestsexception": AgentThrottledError,
    "internalserverexception": AgentUnavailableError,
    "badgatewayexception": AgentUnavailableError,
    "dependencyfailedexception": AgentUnavailableError,
    "modelnotreadyexception": AgentUnavailableError,
    "serviceunavailableexception": AgentUnavailableError,
    "validationexception": AgentInvocationError,
    "accessdeniedexception": AgentInvocationError,
    "resourcenotfoundexception": AgentInvocationError,
    "conflictexception": AgentInvocationError,
}
_MODEL_TRACES = ("preProcessingTrace", "orchestrationTrace", "postProcessingTrace", "routingClassifierTrace")


def agent_error_for(code: str, message: str, *, in_stream: bool) -> AgentError:
    error_type = _ERROR_TYPES.get(code.lower(), AgentUnavailableError)
    return error_type(f"{code}: {message}", in_stream=in_stream)


@dataclass(frozen=True)
class ConfirmationRequest:
    invocation_id: str
    action_group: str
    api_path: str
    http_method: str
    parameters: dict[str, str]
    # AgentCore engine: what the orchestrator needs to run the action and resume the harness after the
    # user's answer (JSON, kept with the pending confirmation, never shown to the user). "" for classic.
    resume: str = ""


@dataclass
class AgentReply:
    answer: str = ""
    citations: list[dict[str, str]] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    tool_failures: list[dict[str, Any]] = field(default_factory=list)
    confirmation: ConfirmationRequest | None = None
    # AgentCore engine: the agent's guardrail (ApplyGuardrail) blocked the "input" or the "output";
    # `answer` is then the guardrail's own message (or empty).
    blocked: str | None = None


def read_completion(events: Iterable[Mapping[str, Any]], *, deadline: float, clock: Callable[[], float]) -> AgentReply:
    reply = AgentReply()
    parts: list[str] = []
    for event in events:
        if clock() > deadline:
            raise AgentTimeoutError("agent answer not complete within the time budget", in_stream=True)
        if "chunk" in event:
            _read_chunk(event["chunk"], parts, reply)
        elif "trace" in event:
            _read_trace(event["trace"].get("trace", {}), reply)
        elif "returnControl" in event:
            reply.confirmation = _read_return_control(event["returnControl"])
        else:
            _raise_if_error(event)
    reply.answer = "".join(parts).strip()
    return reply


def _read_chunk(chunk: Mapping[str, Any], parts: list[str], reply: AgentReply) -> None:
    data = chunk.get("bytes", b"")
    parts.append(data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(data))
    for citation in chunk.get("attribution", {}).get("citations", ()):
        for reference in citation.get("retrievedReferences", ()):
            _add_citation(reply, reference)


def _add_citation(reply: AgentReply, reference: Mapping[str, Any]) -> None:
    text = str(reference.get("content", {}).get("text", ""))[:MAX_CITATION_CHARS]
    uri = location_uri(reference.get("location", {}))
    citation = {"text": text, "uri": uri}
    if (text or uri) and citation not in reply.citations and len(reply.citations) < MAX_CITATIONS:
        reply.citations.append(citation)


def location_uri(location: Mapping[str, Any]) -> str:
    """The S3 uri of a retrieved reference (or the url/uri of other connector types)."""
    for value in location.values():
        if isinstance(value, Mapping):
            for key in ("uri", "url"):
                if isinstance(value.get(key), str):
                    return value[key]
    return ""


def _read_trace(trace: Mapping[str, Any], reply: AgentReply) -> None:
    for name in _MODEL_TRACES:
        usage = trace.get(name, {}).get("modelInvocationOutput", {}).get("metadata", {}).get("usage", {})
        reply.input_tokens += int(usage.get("inputTokens", 0) or 0)
        reply.output_tokens += int(usage.get("outputTokens", 0) or 0)
    failure = trace.get("failureTrace")
    if failure:
        reply.tool_failures.append(
            {"source": "failureTrace", "reason": failure.get("failureReason", ""), "code": failure.get("failureCode")}
        )
    reprompt = trace.get("orchestrationTrace", {}).get("observation", {}).get("repromptResponse", {})
    if reprompt.get("source") == "ACTION_GROUP":
        reply.tool_failures.append({"source": "actionGroup", "reason": reprompt.get("text", "")})


def _read_return_control(payload: Mapping[str, Any]) -> ConfirmationRequest:
    inputs = payload.get("invocationInputs") or [{}]
    api = inputs[0].get("apiInvocationInput")
    # Platform tools run in Lambda: Bedrock only returns control to ask the user for confirmation.
    if not api or api.get("actionInvocationType") != "USER_CONFIRMATION" or len(inputs) != 1:
        raise AgentInvocationError("agent returned control for an action the platform cannot run", in_stream=True)
    parameters = {str(p.get("name")): str(p.get("value")) for p in api.get("parameters", ())}
    for media in api.get("requestBody", {}).get("content", {}).values():
        parameters.update({str(p.get("name")): str(p.get("value")) for p in media.get("properties", ())})
    return ConfirmationRequest(
        invocation_id=str(payload.get("invocationId", "")),
        action_group=str(api.get("actionGroup", "")),
        api_path=str(api.get("apiPath", "")),
        http_method=str(api.get("httpMethod", "")),
        parameters=parameters,
    )


def _raise_if_error(event: Mapping[str, Any]) -> None:
    for key, value in event.items():
        if key.lower().endswith("exception"):
            message = value.get("message", "") if isinstance(value, Mapping) else str(value)
            raise agent_error_for(key, message, in_stream=True)
