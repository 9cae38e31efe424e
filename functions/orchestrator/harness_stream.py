"""Reads one InvokeHarness event stream into a HarnessTurn (bedrock-agentcore 2024-02-28 model).

Within one invocation the harness runs the whole agent loop: several assistant messages (messageStart ..
messageStop), with server-side tool calls (gateway, MCP) and their results in between. What the caller
gets back is the LAST assistant message: its text is the answer, and when it stopped with `tool_use`
its client-side (`inline_function`) tool calls are the harness "returning control" (AWS: "Connect to
tools", harness-tools.html: "The harness pauses when the tool is called and returns the call to your
code"). A tool use answered by a toolResult inside the stream was the harness's own business.

Events: messageStart{role}, contentBlockStart{contentBlockIndex, start{toolUse{toolUseId, name, type} |
toolResult{toolUseId}}}, contentBlockDelta{contentBlockIndex, delta{text | toolUse{input: partial JSON} |
toolResult | reasoningContent | toolResultMetadata}}, contentBlockStop, messageStop{stopReason},
metadata{usage{inputTokens, outputTokens, ...}, metrics{latencyMs}}, hookEvent, and the in-stream errors
internalServerException, validationException, runtimeClientError (botocore raises EventStreamError for
an error frame; the event dicts are honoured too). Every failure becomes a named AgentError.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from orchestrator.errors import (
    AgentError,
    AgentInvocationError,
    AgentTimeoutError,
    AgentUnavailableError,
)
from orchestrator.stream import agent_error_for

ANSWERED = frozenset({"end_turn", "stop_sequence"})
TOOL_USE = "tool_use"
FILTERED = "content_filtered"
# The harness's own limits or hooks ended the turn: the same request would end the same way.
_LIMITS = frozenset(
    {"max_tokens", "max_output_tokens_exceeded", "max_iterations_exceeded", "model_context_window_exceeded"}
)
_CLIENT_TOOL_TYPES = (None, "tool_use")  # server_tool_use / mcp_tool_use run inside the harness
MAX_TOOL_INPUT_CHARS = 64_000


@dataclass(frozen=True)
class ToolUse:
    tool_use_id: str
    name: str
    input: dict[str, Any] | None  # None: the streamed input was not a JSON object (the call is answered as such)

    def to_record(self) -> dict[str, Any]:
        return {"id": self.tool_use_id, "name": self.name, "input": self.input}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ToolUse:
        return cls(str(record["id"]), str(record["name"]), record.get("input"))


@dataclass
class HarnessTurn:
    text: str = ""
    stop_reason: str | None = None
    tool_uses: list[ToolUse] = field(default_factory=list)  # client-side calls awaiting a toolResult
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def filtered(self) -> bool:
        return self.stop_reason == FILTERED


@dataclass
class _Reader:
    turn: HarnessTurn = field(default_factory=HarnessTurn)
    parts: list[str] = field(default_factory=list)
    blocks: dict[int, dict[str, Any]] = field(default_factory=dict)  # open toolUse blocks by index
    pending: list[dict[str, Any]] = field(default_factory=list)  # the last message's closed toolUse blocks
    answered: set[str] = field(default_factory=set)  # tool uses the stream carried a toolResult for

    def message_start(self, event: Mapping[str, Any]) -> None:
        if event.get("role", "assistant") == "assistant":
            self.parts, self.blocks, self.pending = [], {}, []

    def block_start(self, event: Mapping[str, Any]) -> None:
        start = _mapping(event.get("start"))
        if "toolUse" in start:
            self.blocks[_index(event)] = {**_mapping(start["toolUse"]), "input": []}
        elif "toolResult" in start:
            self.answered.add(str(_mapping(start["toolResult"]).get("toolUseId", "")))

    def block_delta(self, event: Mapping[str, Any]) -> None:
        delta = _mapping(event.get("delta"))
        if "text" in delta:
            self.parts.append(str(delta["text"]))
        elif "toolUse" in delta:
            block = self.blocks.get(_index(event))
            if block is not None:
                block["input"].append(str(_mapping(delta["toolUse"]).get("input", "")))

    def block_stop(self, event: Mapping[str, Any]) -> None:
        block = self.blocks.pop(_index(event), None)
        if block is not None:
            self.pending.append(block)

    def metadata(self, event: Mapping[str, Any]) -> None:
        usage = _mapping(event.get("usage"))
        self.turn.input_tokens += _count(usage.get("inputTokens"))
        self.turn.output_tokens += _count(usage.get("outputTokens"))

    def finish(self) -> HarnessTurn:
        self.turn.text = "".join(self.parts).strip()
        self.turn.tool_uses = [
            ToolUse(str(b.get("toolUseId", "")), str(b.get("name", "")), _tool_input("".join(b["input"])))
            for b in self.pending
            if b.get("type") in _CLIENT_TOOL_TYPES and str(b.get("toolUseId", "")) not in self.answered
        ]
        return self.turn


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _index(event: Mapping[str, Any]) -> int:
    index = event.get("contentBlockIndex")
    return index if isinstance(index, int) else -1


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def _tool_input(raw: str) -> dict[str, Any] | None:
    if len(raw) > MAX_TOOL_INPUT_CHARS:
        return None
    try:
        value = json.loads(raw or "{}")
    except (json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def read_harness_stream(
    events: Iterable[Mapping[str, Any]], *, deadline: float, clock: Callable[[], float]
) -> HarnessTurn:
    reader = _Reader()
    handlers: dict[str, Callable[[Mapping[str, Any]], None]] = {
        "messageStart": reader.message_start,
        "contentBlockStart": reader.block_start,
        "contentBlockDelta": reader.block_delta,
        "contentBlockStop": reader.block_stop,
        "metadata": reader.metadata,
    }
    for event in events:
        if clock() > deadline:
            raise AgentTimeoutError("harness answer not complete within the time budget", in_stream=True)
        for key, value in event.items():
            if key in handlers:
                handlers[key](value if isinstance(value, Mapping) else {})
            elif key == "messageStop":
                reader.turn.stop_reason = str(value.get("stopReason")) if isinstance(value, Mapping) else None
            elif key.lower().endswith(("exception", "error")):
                message = value.get("message", "") if isinstance(value, Mapping) else str(value)
                raise agent_error_for(key, str(message), in_stream=True)
            # hookEvent and anything newer: not the orchestrator's business
    turn = reader.finish()
    check_stop(turn)
    return turn


def check_stop(turn: HarnessTurn) -> None:
    """Raise the AgentError a stop reason means; return for an answer, a tool stop or a filtered answer."""
    reason = turn.stop_reason
    if reason in ANSWERED or reason == FILTERED:
        return
    if reason == TOOL_USE:
        if not turn.tool_uses:
            raise AgentUnavailableError("harness stopped for tools it did not name", in_stream=True)
        return
    error: AgentError
    if reason == "timeout_exceeded":
        error = AgentTimeoutError("harness stopped: its own timeout was exceeded", in_stream=True)
    elif reason in _LIMITS or reason == "hook_stopped":
        error = AgentInvocationError(f"harness stopped: {reason}", in_stream=True)
    else:  # malformed output, interrupted, partial turn, no messageStop at all: another attempt may work
        error = AgentUnavailableError(
            f"harness stopped: {reason or 'stream ended without messageStop'}", in_stream=True
        )
    raise error
