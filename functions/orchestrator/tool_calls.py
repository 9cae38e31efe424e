"""Runs a mutating tool the user confirmed: lambda Invoke of the tool's function with the gateway event shape.

The harness declares each mutating operation as an inline function, so it never runs one itself: it
stops and hands the call to the orchestrator, which asks the user. Only after the user's CONFIRM does
this module invoke the tool Lambda, synchronously, exactly as an AgentCore Gateway target would be
called: the tool's arguments as the event, `bedrockAgentCoreToolName` (`<target>___<operationId>`) and
`bedrockAgentCoreSessionId` (the platform session: ticket-create's idempotency key) in the client
context's `custom` map (AWS: Lambda Invoke `ClientContext`, "Up to 3,583 bytes of base64-encoded data
... passed to the function in the context object", synchronous invocations only; gateway Lambda input
format: gateway-add-target-lambda.html). The answer becomes the harness's toolResult.

A failed invocation is a toolResult with status "error" the model can explain to the user, never an
exception that would hand a confirmed action to the fallback model.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError
from shared.aws import describe_error
from shared.gateway_event import SESSION_ID_KEY, TOOL_NAME_KEY

from orchestrator.harness_config import ConfirmationTool

MAX_RESULT_CHARS = 20_000  # what goes back into the harness (and may wait in a pending confirmation)


def tool_result(tool_use_id: str, status: str, *, text: str | None = None, document: Any = None) -> dict[str, Any]:
    """A toolResult block of InvokeHarness messages (HarnessToolResultBlock)."""
    if document is not None:
        encoded = json.dumps(document, ensure_ascii=False)
        content = [{"json": document}] if len(encoded) <= MAX_RESULT_CHARS else [{"text": encoded[:MAX_RESULT_CHARS]}]
    else:
        content = [{"text": (text or "")[:MAX_RESULT_CHARS] or "(no content)"}]
    return {"toolResult": {"toolUseId": tool_use_id, "status": status, "content": content}}


def declined(tool_use_id: str) -> dict[str, Any]:
    return tool_result(
        tool_use_id, "error", text="The user declined this action; nothing was changed. Do not retry it."
    )


class ConfirmedToolRunner:
    def __init__(self, client: Callable[[], Any], logger: logging.Logger | Any) -> None:
        self._client = client  # a provider: the lambda client is built on the first confirmed action
        self._logger = logger

    def run(
        self, tool: ConfirmationTool, arguments: dict[str, Any], session_id: str, tool_use_id: str
    ) -> dict[str, Any]:
        context = {"custom": {TOOL_NAME_KEY: tool.gateway_tool, SESSION_ID_KEY: session_id}}
        try:
            response = self._client().invoke(
                FunctionName=tool.function,
                InvocationType="RequestResponse",
                ClientContext=base64.b64encode(json.dumps(context).encode()).decode(),
                Payload=json.dumps(arguments, ensure_ascii=False).encode("utf-8"),
            )
        except ReadTimeoutError:
            self._log_failure(tool, "ReadTimeoutError")
            return tool_result(
                tool_use_id,
                "error",
                text="The tool did not answer in time; it may or may not have run. Tell the user to check.",
            )
        except (ClientError, BotoCoreError) as error:
            self._log_failure(tool, describe_error(error))
            return tool_result(
                tool_use_id, "error", text="The tool could not be started; nothing was changed. Try later."
            )
        return self._result(tool, tool_use_id, response)

    def _result(self, tool: ConfirmationTool, tool_use_id: str, response: dict[str, Any]) -> dict[str, Any]:
        raw = response.get("Payload", b"")
        raw = raw.read() if hasattr(raw, "read") else raw
        if response.get("FunctionError"):
            self._log_failure(tool, f"FunctionError({response['FunctionError']})")
            return tool_result(
                tool_use_id, "error", text="The tool failed while running; tell the user it may not have completed."
            )
        try:
            payload = json.loads(raw or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._log_failure(tool, "answer is not JSON")
            return tool_result(
                tool_use_id, "error", text="The tool ran but its answer could not be read; tell the user to check."
            )
        if isinstance(payload, dict) and isinstance(payload.get("statusCode"), int) and payload["statusCode"] >= 400:
            return tool_result(tool_use_id, "error", document=payload)
        return tool_result(
            tool_use_id, "success", document=payload if isinstance(payload, (dict, list)) else {"result": payload}
        )

    def _log_failure(self, tool: ConfirmationTool, what: str) -> None:
        self._logger.error("confirmed tool call failed", extra={"tool": tool.gateway_tool, "error": what})
