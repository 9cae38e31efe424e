"""Reading InvokeHarness streams: the last assistant message is the answer, client-side tool calls are
reassembled from partial JSON, and whatever arrives ends as a HarnessTurn or a named AgentError."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orchestrator.errors import AgentError, AgentUnavailableError
from orchestrator.harness_stream import ToolUse, read_harness_stream

from tests.functions.fakes import FakeClock, harness_events


def read(events: list[dict[str, Any]]):
    clock = FakeClock()
    return read_harness_stream(events, deadline=clock() + 60, clock=clock)


def test_the_last_assistant_message_is_the_answer_and_server_tools_are_the_harness_business():
    # GIVEN a loop: a gateway tool call answered inside the stream, then the final answer
    events = [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "Let me look that up."}}},
        {
            "contentBlockStart": {
                "contentBlockIndex": 1,
                "start": {"toolUse": {"toolUseId": "t1", "name": "kb___search", "type": "mcp_tool_use"}},
            }
        },
        {"contentBlockDelta": {"contentBlockIndex": 1, "delta": {"toolUse": {"input": '{"q": "vpn"}'}}}},
        {"contentBlockStop": {"contentBlockIndex": 1}},
        {"messageStop": {"stopReason": "tool_use"}},
        {"messageStart": {"role": "user"}},
        {
            "contentBlockStart": {
                "contentBlockIndex": 0,
                "start": {"toolResult": {"toolUseId": "t1", "status": "success"}},
            }
        },
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"toolResult": [{"json": {"hits": 1}}]}}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        *harness_events("Reinstall the client.", input_tokens=10, output_tokens=2),
        {"metadata": {"usage": {"inputTokens": 5, "outputTokens": 1, "totalTokens": 6}, "metrics": {"latencyMs": 1}}},
    ]

    # WHEN the stream is read
    turn = read(events)

    # THEN only the final message's text is the answer, nothing waits for the client, tokens add up
    assert (turn.text, turn.stop_reason, turn.tool_uses) == ("Reinstall the client.", "end_turn", [])
    assert (turn.input_tokens, turn.output_tokens) == (15, 3)


def test_an_unanswered_tool_call_with_garbled_input_is_returned_with_no_input():
    turn = read(harness_events(tool_uses=[("t9", "createTicket", '{"title": "VPN", ')]))
    assert turn.tool_uses == [ToolUse("t9", "createTicket", None)]


def test_a_non_object_input_is_no_input():
    assert read(harness_events(tool_uses=[("t9", "createTicket", "[1, 2]")])).tool_uses[0].input is None


arguments = st.dictionaries(
    st.text(min_size=1, max_size=12),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=40),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
        max_leaves=10,
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(calls=st.lists(arguments, min_size=1, max_size=3), chunk=st.integers(min_value=1, max_value=17))
def test_partial_tool_use_json_is_reassembled_whatever_the_split(calls, chunk):
    # GIVEN tool calls whose JSON input arrives in arbitrary pieces (multi-byte text included)
    uses = [(f"tooluse_{i}", f"tool_{i}", args) for i, args in enumerate(calls)]

    # WHEN the stream is read, THEN every call comes back whole and in order
    turn = read(harness_events(tool_uses=uses, chunk=chunk))
    assert turn.tool_uses == [ToolUse(i, n, a) for i, n, a in uses]


@settings(max_examples=200, deadline=None)
@given(raw=st.text(max_size=60), chunk=st.integers(min_value=1, max_value=9))
def test_any_partial_input_is_an_object_or_no_input(raw, chunk):
    (use,) = read(harness_events(tool_uses=[("t", "x", raw)], chunk=chunk)).tool_uses
    try:
        expected = json.loads(raw or "{}")
    except ValueError:
        expected = None
    assert use.input == (expected if isinstance(expected, dict) else None)


event_names = st.sampled_from(
    [
        "messageStart",
        "contentBlockStart",
        "contentBlockDelta",
        "contentBlockStop",
        "messageStop",
        "metadata",
        "hookEvent",
        "internalServerException",
        "validationException",
        "runtimeClientError",
        "somethingNew",
    ]
)
loose = st.recursive(
    st.none() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
plausible = st.fixed_dictionaries(
    {},
    optional={
        "role": st.sampled_from(["assistant", "user"]),
        "contentBlockIndex": st.integers(0, 3),
        "start": st.fixed_dictionaries(
            {},
            optional={
                "toolUse": st.fixed_dictionaries(
                    {"toolUseId": st.text(max_size=4), "name": st.text(max_size=4)},
                    optional={"type": st.sampled_from(["tool_use", "mcp_tool_use"])},
                ),
                "toolResult": st.fixed_dictionaries({"toolUseId": st.text(max_size=4)}),
            },
        ),
        "delta": st.fixed_dictionaries(
            {}, optional={"text": st.text(max_size=8), "toolUse": st.fixed_dictionaries({"input": st.text(max_size=8)})}
        ),
        "stopReason": st.sampled_from(["end_turn", "tool_use", "max_tokens", "interrupted", "content_filtered"]),
        "usage": st.fixed_dictionaries({"inputTokens": st.integers(0, 99), "outputTokens": st.integers(0, 99)}),
        "message": st.text(max_size=8),
    },
)
hostile = st.fixed_dictionaries(
    {},
    optional={
        "contentBlockIndex": loose,
        "start": loose | st.fixed_dictionaries({"toolUse": loose}),
        "delta": loose | st.fixed_dictionaries({"toolUse": loose}),
        "usage": loose | st.fixed_dictionaries({"inputTokens": loose}),
    },
)
streams = st.lists(st.dictionaries(event_names, plausible | hostile | loose, min_size=1, max_size=2), max_size=25)


@settings(max_examples=300, deadline=None)
@given(events=streams)
def test_a_malformed_stream_ends_as_a_turn_or_a_named_agent_error(events):
    # GIVEN any sequence of (partly) well-formed events, WHEN it is read
    try:
        turn = read(events)
    except AgentError:
        return  # named: the step contract and the breaker understand it
    # THEN a turn is one the engine can act on: an answer, a filtered answer, or calls to answer
    assert turn.stop_reason in ("end_turn", "stop_sequence", "content_filtered") or turn.tool_uses


def test_an_error_frame_raised_by_botocore_is_an_agent_error():
    from botocore.exceptions import EventStreamError
    from orchestrator.agent import mapped_call

    error = EventStreamError({"Error": {"Code": "internalServerException", "Message": "boom"}}, "InvokeHarness")

    def stream():
        yield {"messageStart": {"role": "assistant"}}
        raise error

    with pytest.raises(AgentUnavailableError) as caught:
        mapped_call(lambda: read(list(stream())))
    assert caught.value.retry_in_lambda
