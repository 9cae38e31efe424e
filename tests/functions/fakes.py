"""Test doubles for what moto does not cover: Bedrock event streams, Lambda context, metric and log sinks."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger
from botocore.stub import Stubber


class FakeEventStream(dict):
    """Stands in for botocore's EventStream in an invoke_agent response.

    It is a dict only so that botocore's Stubber accepts it as the `completion` structure; iterating it
    yields the documented event dicts. An Exception instance among the events is raised at that point,
    the way a read timeout or an EventStreamError surfaces while iterating the real stream.
    """

    def __init__(self, events: Iterable[Any], on_event: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.events = list(events)
        self.on_event = on_event
        self.consumed = 0

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        for event in self.events:
            self.consumed += 1
            if self.on_event is not None:
                self.on_event()
            if isinstance(event, BaseException):
                raise event
            yield event


def stream_events(fixture: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON fixtures carry chunk bytes as text; the real stream delivers bytes."""
    events = json.loads(json.dumps(fixture))
    for event in events:
        if "chunk" in event and isinstance(event["chunk"].get("bytes"), str):
            event["chunk"]["bytes"] = event["chunk"]["bytes"].encode()
    return events


def answer_events(text: str, *, input_tokens: int = 100, output_tokens: int = 20) -> list[dict[str, Any]]:
    return [
        {
            "trace": {
                "trace": {
                    "orchestrationTrace": {
                        "modelInvocationOutput": {
                            "metadata": {"usage": {"inputTokens": input_tokens, "outputTokens": output_tokens}}
                        }
                    }
                }
            }
        },
        {"chunk": {"bytes": text.encode()}},
    ]


def stub_invoke_agent(
    stubber: Stubber,
    events: Iterable[Any],
    expected_params: dict[str, Any] | None = None,
    on_event: Callable[[], None] | None = None,
) -> FakeEventStream:
    """Queue one invoke_agent response whose completion stream yields `events`."""
    response: dict[str, Any] = {"completion": {}, "contentType": "application/json", "sessionId": "stubbed"}
    stubber.add_response("invoke_agent", response, expected_params)
    # Stubber validates `completion` as a structure when queued, then returns this very dict when
    # called: swap in the stream after validation.
    stream = FakeEventStream(events, on_event)
    response["completion"] = stream
    return stream


def stub_invoke_harness(
    stubber: Stubber,
    events: Iterable[Any],
    expected_params: dict[str, Any] | None = None,
    on_event: Callable[[], None] | None = None,
) -> FakeEventStream:
    """Queue one InvokeHarness response whose `stream` yields `events` (same trick as stub_invoke_agent)."""
    response: dict[str, Any] = {"stream": {}}
    stubber.add_response("invoke_harness", response, expected_params)
    stream = FakeEventStream(events, on_event)
    response["stream"] = stream
    return stream


def harness_events(
    text: str = "",
    *,
    tool_uses: Iterable[tuple[str, str, Any]] = (),
    stop: str | None = None,
    input_tokens: int = 120,
    output_tokens: int = 30,
    chunk: int = 7,
) -> list[dict[str, Any]]:
    """One assistant message as InvokeHarness streams it: text deltas, then each client-side tool use
    (id, name, input) with its JSON input split into `chunk`-character partial deltas, messageStop, metadata."""
    events: list[dict[str, Any]] = [{"messageStart": {"role": "assistant"}}]
    if text:
        events.append({"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": text}}})
        events.append({"contentBlockStop": {"contentBlockIndex": 0}})
    uses = list(tool_uses)
    for offset, (tool_use_id, name, arguments) in enumerate(uses, start=1):
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        start = {"toolUse": {"toolUseId": tool_use_id, "name": name, "type": "tool_use"}}
        events.append({"contentBlockStart": {"contentBlockIndex": offset, "start": start}})
        for i in range(0, len(raw), chunk):
            delta = {"toolUse": {"input": raw[i : i + chunk]}}
            events.append({"contentBlockDelta": {"contentBlockIndex": offset, "delta": delta}})
        events.append({"contentBlockStop": {"contentBlockIndex": offset}})
    events.append({"messageStop": {"stopReason": stop or ("tool_use" if uses else "end_turn")}})
    usage = {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens}
    events.append({"metadata": {"usage": usage, "metrics": {"latencyMs": 900}}})
    return events


def guardrail_response(
    action: str = "NONE", outputs: Iterable[str] = (), assessments: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An ApplyGuardrail response (bedrock-runtime model)."""
    units = (
        "topicPolicyUnits",
        "contentPolicyUnits",
        "wordPolicyUnits",
        "sensitiveInformationPolicyUnits",
        "sensitiveInformationPolicyFreeUnits",
        "contextualGroundingPolicyUnits",
    )
    return {
        "usage": dict.fromkeys(units, 1),
        "action": action,
        "outputs": [{"text": text} for text in outputs],
        "assessments": assessments or [],
    }


def converse_response(text: str, *, stop_reason: str = "end_turn") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 42, "outputTokens": 17, "totalTokens": 59},
        "metrics": {"latencyMs": 350},
    }


@dataclass
class ClientContext:
    """What the Lambda Python runtime exposes as `context.client_context` (`custom` is the ClientContext's map)."""

    custom: dict[str, Any] | None = None
    env: dict[str, Any] | None = None
    client: Any = None


@dataclass
class LambdaContext:
    function_name: str = "agent-platform-test"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    remaining_ms: int = 28_000
    client_context: ClientContext | None = None

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def gateway_context(tool: str, session_id: str | None = None, **custom: str) -> LambdaContext:
    """The Lambda context of an AgentCore Gateway call: the tool named `<target>___<operationId>`."""
    values = {"bedrockAgentCoreToolName": tool, **custom}
    if session_id is not None:
        values["bedrockAgentCoreSessionId"] = session_id
    return LambdaContext(client_context=ClientContext(custom=values))


@dataclass
class RecordingMetrics:
    """Collects add_metric calls: name -> list of values."""

    values: dict[str, list[float]] = field(default_factory=dict)

    def add_metric(self, name: str, unit: Any, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def total(self, name: str) -> float:
        return sum(self.values.get(name, []))


class JsonLog:
    """A real Powertools Logger writing JSON lines into memory, for asserting structured records."""

    def __init__(self, service: str = "test") -> None:
        self.buffer = io.StringIO()
        self.logger = Logger(
            service=f"{service}-{uuid.uuid4().hex[:8]}", logger_handler=logging.StreamHandler(self.buffer)
        )

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.buffer.getvalue().splitlines() if line.strip()]


def emf_documents(stdout: str) -> list[dict[str, Any]]:
    """CloudWatch EMF documents that Powertools Metrics printed."""
    documents = []
    for line in stdout.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            documents.append(json.loads(line))
    return documents


def emitted_metrics(stdout: str) -> dict[str, float]:
    totals: dict[str, float] = {}
    for document in emf_documents(stdout):
        for directive in document["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = document[metric["Name"]]
                totals[metric["Name"]] = totals.get(metric["Name"], 0) + (
                    sum(value) if isinstance(value, list) else value
                )
    return totals


def drain_queue(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Every message in the (moto) queue, deleted as read."""
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
        if not batch.get("Messages"):
            return messages
        messages.extend(batch["Messages"])
        for message in batch["Messages"]:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


class FakeClock:
    """Monotonic clock that only moves when told (or when the code under test sleeps)."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
