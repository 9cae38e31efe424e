"""Every InvokeHarness request the orchestrator can build passes botocore's parameter validation AND the
model's patterns and lengths (which botocore's validator skips); the derived ids; the engine's config."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.validate import validate_parameters
from hypothesis import given, settings
from hypothesis import strategies as st
from orchestrator.config import Engine, OrchestratorConfig
from orchestrator.contract import SESSION_ID_PATTERN, ConfirmationDecision, Decision
from orchestrator.guardrail import GuardrailChecker
from orchestrator.harness import HarnessInvoker, HarnessRoute
from orchestrator.harness_config import ConfirmationTool
from orchestrator.harness_ids import actor_id, runtime_session_id, trace_parent
from shared.config import ConfigError
from shared.session_store import PendingConfirmation

from tests.functions.api_constraints import violations
from tests.functions.fakes import FakeClock, guardrail_response, harness_events
from tests.functions.orchestrator.conftest import AGENTCORE_ENV, COLLABORATORS, HARNESS_ARN

INVOKE_HARNESS = (
    boto3.client("bedrock-agentcore", region_name="us-east-1")
    .meta.service_model.operation_model("InvokeHarness")
    .input_shape
)


class RecordingHarness:
    """bedrock-agentcore stand-in: records each request, answers from a script of streams."""

    def __init__(self, streams: list[list[dict[str, Any]]]) -> None:
        self.streams = streams
        self.requests: list[dict[str, Any]] = []

    def invoke_harness(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        return {"stream": iter(self.streams.pop(0))}


class PassingGuardrail:
    def apply_guardrail(self, **_: Any) -> dict[str, Any]:
        return guardrail_response()


class FakeToolRunner:
    def run(
        self, tool: ConfirmationTool, arguments: dict[str, Any], session_id: str, tool_use_id: str
    ) -> dict[str, Any]:
        return {"toolResult": {"toolUseId": tool_use_id, "status": "success", "content": [{"json": arguments}]}}


def invoker(streams: list[list[dict[str, Any]]], agent: str) -> tuple[HarnessInvoker, RecordingHarness]:
    harness = RecordingHarness(streams)
    guard = GuardrailChecker(PassingGuardrail, "gr7h2k9x4p1q", "3")
    collaborators = {tool: HarnessRoute(c["agent"], c["harness_arn"], guard) for tool, c in COLLABORATORS.items()}
    engine = HarnessInvoker(
        client=harness,
        own=HarnessRoute(agent, HARNESS_ARN, guard),
        collaborators=collaborators,
        confirmation_tools={"createTicket": ConfirmationTool("ticket-create-fn", "ticket-create___createTicket")},
        tool_runner=FakeToolRunner(),  # type: ignore[arg-type]
        knowledge=None,
        logger=__import__("logging").getLogger("test"),
        clock=FakeClock(),
    )
    return engine, harness


json_documents = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.recursive(st.none() | st.integers() | st.text(max_size=20), lambda i: st.lists(i, max_size=2), max_leaves=4),
    max_size=4,
)


@settings(max_examples=120, deadline=None)
@given(
    session_id=st.from_regex(SESSION_ID_PATTERN, fullmatch=True),
    agent=st.from_regex(r"[a-z0-9][a-z0-9-]{1,31}", fullmatch=True),
    text=st.text(min_size=1, max_size=200),
    arguments=json_documents,
    principal=st.none() | st.text(min_size=1, max_size=60),
    correlation=st.text(max_size=80),
)
def test_every_request_of_a_delegating_confirming_turn_is_valid(
    session_id, agent, text, arguments, principal, correlation
):
    # GIVEN a turn that delegates, has the collaborator ask for a confirmation, and then resumes
    delegate = ("tooluse_d", "delegate_execution", {"request": text})
    streams = [
        harness_events(tool_uses=[delegate]),
        harness_events(tool_uses=[("tooluse_c", "createTicket", arguments)]),
    ]
    engine, harness = invoker(streams, agent)
    asked = engine.invoke(
        session_id=session_id, text=text, deadline=1e9, principal=principal, correlation_id=correlation
    )
    pending = asked.confirmation
    assert pending is not None
    engine._client = harness = RecordingHarness([harness_events("done"), harness_events("all done")])
    engine.invoke(
        session_id=session_id,
        text="yes",
        deadline=1e9,
        confirmation=(
            ConfirmationDecision("tooluse_c", Decision.CONFIRM),
            PendingConfirmation(pending.invocation_id, pending.action_group, pending.api_path, "", pending.resume),
        ),
        principal=principal,
        correlation_id=correlation,
    )

    # THEN every request passes botocore's validation and the model's own constraints
    for request in harness.requests:
        validate_parameters(request, INVOKE_HARNESS)
        assert violations(INVOKE_HARNESS, request) == []


def test_the_constraint_check_does_catch_what_botocore_lets_through():
    # GIVEN a session id AWS would refuse (a colon) and a role outside the enum: botocore accepts both
    request = {
        "harnessArn": HARNESS_ARN,
        "runtimeSessionId": "session:" + "x" * 35,
        "messages": [{"role": "system", "content": [{"text": "x"}]}],
    }
    validate_parameters({**request, "messages": [{"role": "user", "content": [{"text": "x"}]}]}, INVOKE_HARNESS)
    found = violations(INVOKE_HARNESS, request)
    assert any("runtimeSessionId" in v for v in found) and any("role" in v for v in found)


@settings(max_examples=200, deadline=None)
@given(session_id=st.from_regex(SESSION_ID_PATTERN, fullmatch=True), harness=st.text(max_size=40))
def test_runtime_session_ids_meet_the_api_pattern_and_differ_per_harness(session_id, harness):
    sid = runtime_session_id(session_id, harness)
    assert 33 <= len(sid) <= 100 and sid[0].isalnum() and set(sid) <= set("s-0123456789abcdef")
    assert sid != runtime_session_id(session_id, harness + "x")
    assert actor_id(session_id) == actor_id(session_id) != actor_id(session_id, "user-sub")


def test_the_trace_parent_carries_the_lambdas_xray_trace():
    header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    assert trace_parent("c", header) == "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"
    assert trace_parent("c", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0").endswith("-00")
    derived = trace_parent("exec-1", "")
    assert derived == trace_parent("exec-1", "") != trace_parent("exec-2", "")
    assert [len(p) for p in derived.split("-")] == [2, 32, 16, 2]


def test_the_engine_defaults_to_classic_and_agentcore_needs_its_own_settings():
    base = {
        "STAGE": "t",
        "AGENT_NAME": "a",
        "SESSION_TABLE_NAME": "s",
        "FALLBACK_MODEL_ID": "m",
        "GUARDRAIL_ID": "g",
        "GUARDRAIL_VERSION": "1",
    }
    classic = OrchestratorConfig.from_env({**base, "AGENT_ID": "A", "AGENT_ALIAS_ID": "B"})
    assert (classic.engine, classic.harness) == (Engine.CLASSIC, None)
    agentcore = OrchestratorConfig.from_env({**base, **{k: v for k, v in AGENTCORE_ENV.items() if k.isupper()}})
    assert agentcore.engine is Engine.AGENTCORE and agentcore.agent_id is None
    assert (
        agentcore.harness is not None
        and agentcore.harness.confirmation_tools["createTicket"].operation == "createTicket"
    )


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"AGENT_ENGINE": "strands"}, "AGENT_ENGINE"),
        ({"HARNESS_ARN": "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/x"}, "HARNESS_ARN"),
        ({"CONFIRMATION_TOOLS": "[]"}, "CONFIRMATION_TOOLS"),
        ({"CONFIRMATION_TOOLS": json.dumps({"createTicket": {"function": "f"}})}, "CONFIRMATION_TOOLS['createTicket']"),
        ({"CONFIRMATION_TOOLS": json.dumps({"c": {"function": "f", "gateway_tool": "noprefix"}})}, "gateway_tool"),
        (
            {"COLLABORATORS": json.dumps({"d": {**COLLABORATORS["delegate_search"], "guardrail_version": "0"}})},
            "guardrail_version",
        ),
        ({"KNOWLEDGE_BASE_IDS": json.dumps(["short"])}, "KNOWLEDGE_BASE_IDS[0]"),
        ({"KNOWLEDGE_BASE_IDS": "{"}, "KNOWLEDGE_BASE_IDS"),
    ],
)
def test_a_malformed_agentcore_environment_names_the_variable(changes, named):
    base = {
        "STAGE": "t",
        "AGENT_NAME": "a",
        "SESSION_TABLE_NAME": "s",
        "FALLBACK_MODEL_ID": "m",
        "GUARDRAIL_ID": "g",
        "GUARDRAIL_VERSION": "1",
    }
    with pytest.raises(ConfigError, match=__import__("re").escape(named)):
        OrchestratorConfig.from_env({**base, **AGENTCORE_ENV, **changes})
