"""Calls the Bedrock agent (bedrock-agent-runtime InvokeAgent) and maps every failure to a named
AgentError, whether it happened on the request or inside the response stream."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EventStreamError,
    ReadTimeoutError,
)
from shared.aws import error_code, error_message
from shared.session_store import PendingConfirmation
from urllib3.exceptions import ProtocolError

from orchestrator.contract import ConfirmationDecision
from orchestrator.errors import AgentError, AgentTimeoutError, AgentUnavailableError
from orchestrator.stream import AgentReply, agent_error_for, location_uri, read_completion

# Bounded: prompt session attributes travel inside the agent's prompt.
MAX_RETRIEVED_CONTEXT_CHARS = 12_000

T = TypeVar("T")
Attempt = Callable[[Callable[[], T]], T]


def run_once(operation: Callable[[], T]) -> T:
    """The `attempt` policy of a caller that retries nothing itself."""
    return operation()


def mapped_call(operation: Callable[[], T]) -> T:
    """Run an AWS call (and the reading of its event stream); every failure leaves as a named AgentError,
    whether it came back as the request's answer or arrived inside the stream."""
    try:
        return operation()
    except AgentError:
        raise
    except EventStreamError as error:
        raise agent_error_for(error_code(error), error_message(error), in_stream=True) from error
    except ClientError as error:
        # botocore already retried this request (standard mode): not retried again here.
        raise agent_error_for(error_code(error), error_message(error), in_stream=False) from error
    except (ReadTimeoutError, ConnectTimeoutError) as error:
        raise AgentTimeoutError(f"agent did not respond in time: {error}") from error
    except BotoCoreError as error:
        raise AgentUnavailableError(f"agent connection failed: {error}", in_stream=True) from error
    except Exception as error:
        mapped = _transport_error(error)
        if mapped is error:
            raise
        raise mapped from error


class AgentInvoker:
    def __init__(
        self, client: Any, agent_id: str, agent_alias_id: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._agent_id = agent_id
        self._agent_alias_id = agent_alias_id
        self._clock = clock

    def invoke(
        self,
        *,
        session_id: str,
        text: str,
        deadline: float,
        retrieved_context: list[dict[str, Any]] | None = None,
        confirmation: tuple[ConfirmationDecision, PendingConfirmation] | None = None,
        attempt: Attempt[AgentReply] = run_once,
        principal: str | None = None,  # used by the AgentCore engine (memory actor); not by Bedrock Agents
        correlation_id: str = "",  # used by the AgentCore engine (trace context)
    ) -> AgentReply:
        request = self._request(session_id, text, retrieved_context, confirmation)

        def once() -> AgentReply:
            return mapped_call(
                lambda: read_completion(
                    self._client.invoke_agent(**request)["completion"], deadline=deadline, clock=self._clock
                )
            )

        return attempt(once)

    def _request(
        self,
        session_id: str,
        text: str,
        retrieved_context: list[dict[str, Any]] | None,
        confirmation: tuple[ConfirmationDecision, PendingConfirmation] | None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "agentId": self._agent_id,
            "agentAliasId": self._agent_alias_id,
            "sessionId": session_id,
            "enableTrace": True,  # token usage and tool failures come from the trace
        }
        session_state: dict[str, Any] = {}
        if confirmation is None:
            request["inputText"] = text
        else:
            decision, pending = confirmation
            # Bedrock ignores inputText when returnControlInvocationResults is present.
            session_state["invocationId"] = pending.invocation_id
            session_state["returnControlInvocationResults"] = [
                {
                    "apiResult": {
                        "actionGroup": pending.action_group,
                        "apiPath": pending.api_path,
                        "httpMethod": pending.http_method,
                        "confirmationState": decision.decision.value,
                    }
                }
            ]
        if retrieved_context:
            session_state["promptSessionAttributes"] = {"retrieved_context": format_context(retrieved_context)}
        if session_state:
            request["sessionState"] = session_state
        return request


def _transport_error(error: Exception) -> Exception:
    """Errors urllib3 raises while the stream is read (botocore does not wrap those). urllib3 is
    imported here, not at module import: botocore loads it anyway once the client exists."""
    from urllib3.exceptions import ReadTimeoutError as StreamReadTimeoutError

    if isinstance(error, StreamReadTimeoutError):
        return AgentTimeoutError(f"agent stream stalled: {error}")
    if isinstance(error, ProtocolError):
        # Connection dropped mid-stream: a fresh attempt may well succeed.
        return AgentUnavailableError(f"agent connection dropped: {error}", in_stream=True)
    return error


def format_context(results: list[dict[str, Any]]) -> str:
    """Knowledge-base passages (Retrieve API `retrievalResults` shape) as one bounded text block."""
    blocks: list[str] = []
    used = 0
    for result in results:
        text = str(result.get("content", {}).get("text", "")).strip()
        source = location_uri(result.get("location", {}))
        block = f'<passage source="{source}">{text}</passage>'
        if not text or used + len(block) > MAX_RETRIEVED_CONTEXT_CHARS:
            continue
        blocks.append(block)
        used += len(block)
    return "\n".join(blocks)


def citations_from_context(results: list[dict[str, Any]]) -> list[dict[str, str]]:
    citations = []
    for result in results:
        citation = {
            "text": str(result.get("content", {}).get("text", ""))[:1000],
            "uri": location_uri(result.get("location", {})),
        }
        if citation["text"] and citation not in citations:
            citations.append(citation)
    return citations
