"""Run's coordinator on AgentCore: the orchestrator runs the delegation loop itself (collaborators exposed
as inline delegate tools), with each collaborator's own guardrail, its own runtime session, one trace,
at most eight delegations per turn, and a collaborator's mutating call bubbling up to the user."""

from __future__ import annotations

import json
from typing import Any

from botocore.stub import ANY
from orchestrator.harness import MAX_DELEGATIONS_PER_TURN
from orchestrator.harness_ids import actor_id, runtime_session_id

from tests.functions.fakes import guardrail_response, harness_events, stub_invoke_harness
from tests.functions.orchestrator.conftest import COLLABORATORS, HARNESS_ARN

SESSION = "session-run-1"
SEARCH, EXECUTION = COLLABORATORS["delegate_search"], COLLABORATORS["delegate_execution"]
TICKET_ARGS = {"title": "VPN drops", "description": "Every ten minutes.", "priority": "high", "requester": "Kim"}


def step(message: str, **extra: Any) -> dict[str, Any]:
    return {
        "step": "invoke_agent",
        "redactedMessage": message,
        "sessionId": SESSION,
        "correlationId": "exec-run",
        **extra,
    }


def harness_call(content: list[dict[str, Any]], collaborator: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "harnessArn": collaborator["harness_arn"] if collaborator else HARNESS_ARN,
        "runtimeSessionId": runtime_session_id(SESSION, collaborator["agent"] if collaborator else "coordinator"),
        "actorId": actor_id(SESSION),
        "traceParent": ANY,
        "messages": [{"role": "user", "content": content}],
    }


def guard(o, source: str, collaborator: dict[str, str] | None = None, response: dict[str, Any] | None = None) -> None:
    ids = (collaborator["guardrail_id"], collaborator["guardrail_version"]) if collaborator else ("gr7h2k9x4p1q", "3")
    expected = {"guardrailIdentifier": ids[0], "guardrailVersion": ids[1], "source": source, "content": ANY}
    o.guardrail.add_response("apply_guardrail", response or guardrail_response(), expected)


def result(tool_use_id: str, status: str, text: Any) -> dict[str, Any]:
    return {"toolResult": {"toolUseId": tool_use_id, "status": status, "content": [{"text": text}]}}


def record_harness_requests(o) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    o.agent.client.meta.events.register(
        "before-parameter-build.bedrock-agentcore.InvokeHarness", lambda params, **_: seen.append(params)
    )
    return seen


def test_a_delegation_runs_between_the_collaborators_guardrail_checks_in_one_trace(run_coordinator):
    o = run_coordinator
    requests = record_harness_requests(o)
    # GIVEN the coordinator delegates to the search collaborator, which answers
    guard(o, "INPUT")
    delegate = ("tooluse_S1", "delegate_search", {"request": "Find the VPN troubleshooting guide."})
    stub_invoke_harness(o.agent, harness_events(tool_uses=[delegate]), harness_call([{"text": "VPN keeps dropping"}]))
    guard(o, "INPUT", SEARCH)
    stub_invoke_harness(
        o.agent,
        harness_events("The guide says: reinstall the client.", input_tokens=50, output_tokens=9),
        harness_call([{"text": "Find the VPN troubleshooting guide."}], SEARCH),
    )
    guard(o, "OUTPUT", SEARCH)
    stub_invoke_harness(
        o.agent,
        harness_events("Reinstall the VPN client.", input_tokens=70, output_tokens=6),
        harness_call([result("tooluse_S1", "success", "The guide says: reinstall the client.")]),
    )
    guard(o, "OUTPUT")

    # WHEN the coordinator's invoke step runs
    output = o.invoke(step("VPN keeps dropping"))

    # THEN the coordinator's answer comes after the delegation, with every harness's tokens
    assert (output["answer"], output["outcome"]) == ("Reinstall the VPN client.", "answered")
    assert output["usage"] == {"inputTokens": 120 + 50 + 70, "outputTokens": 30 + 9 + 6}
    # AND the three calls share one W3C trace (same trace id), each harness keeps its own runtime session
    trace_ids = {r["traceParent"].split("-")[1] for r in requests}
    assert len(requests) == 3 and len(trace_ids) == 1
    assert len({r["runtimeSessionId"] for r in requests}) == 2


def test_a_collaborators_mutating_call_is_the_users_confirmation_then_resumes_both_harnesses(run_coordinator):
    o = run_coordinator
    # GIVEN the execution collaborator wants to open a ticket for the coordinator
    guard(o, "INPUT")
    delegate = ("tooluse_E1", "delegate_execution", {"request": "Open a ticket: VPN drops."})
    stub_invoke_harness(o.agent, harness_events(tool_uses=[delegate]), None)
    guard(o, "INPUT", EXECUTION)
    stub_invoke_harness(
        o.agent,
        harness_events(tool_uses=[("tooluse_T1", "createTicket", TICKET_ARGS)]),
        harness_call([{"text": "Open a ticket: VPN drops."}], EXECUTION),
    )

    # WHEN the coordinator's step runs
    asked = o.invoke(step("Please open a ticket about my VPN"))

    # THEN the user is asked, and the saved state says the execution collaborator asked on the coordinator's behalf
    assert asked["outcome"] == "confirmation_requested"
    assert asked["confirmation"]["invocationId"] == "tooluse_T1"
    assert [f["harness"] for f in json.loads(asked["confirmation"]["resume"])["frames"]] == ["", "delegate_execution"]
    o.invoke(
        {
            "step": "record",
            "sessionId": SESSION,
            "correlationId": "exec-run",
            "redactedMessage": "Please open a ticket about my VPN",
            "answer": asked["answer"],
            "outcome": asked["outcome"],
            "confirmation": asked["confirmation"],
        }
    )

    # WHEN the user confirms: the tool runs, the collaborator resumes, then the coordinator
    ticket = {"ticket": {"ticket_id": "TCK-0123456789AB"}, "created": True}
    o.tools.add_response("invoke", {"StatusCode": 200, "Payload": json.dumps(ticket).encode()}, None)
    tool_done = {"toolResult": {"toolUseId": "tooluse_T1", "status": "success", "content": [{"json": ticket}]}}
    stub_invoke_harness(o.agent, harness_events("Opened TCK-0123456789AB."), harness_call([tool_done], EXECUTION))
    guard(o, "OUTPUT", EXECUTION)
    stub_invoke_harness(
        o.agent,
        harness_events("Your ticket TCK-0123456789AB is open."),
        harness_call([result("tooluse_E1", "success", "Opened TCK-0123456789AB.")]),
    )
    guard(o, "OUTPUT")
    done = o.invoke(step("yes", confirmation={"invocationId": "tooluse_T1", "decision": "CONFIRM"}))

    # THEN the coordinator answers with the collaborator's outcome
    assert (done["answer"], done["outcome"]) == ("Your ticket TCK-0123456789AB is open.", "answered")
    o.tools.assert_no_pending_responses()


def test_delegations_are_bounded_per_turn(run_coordinator):
    o = run_coordinator
    # GIVEN the coordinator asks for one delegation more than allowed, all in one stop
    guard(o, "INPUT")
    uses = [
        (f"tooluse_{i}", "delegate_search", {"request": f"look up {i}"}) for i in range(MAX_DELEGATIONS_PER_TURN + 1)
    ]
    stub_invoke_harness(o.agent, harness_events(tool_uses=uses), None)
    for i in range(MAX_DELEGATIONS_PER_TURN):
        guard(o, "INPUT", SEARCH)
        stub_invoke_harness(o.agent, harness_events(f"found {i}"), harness_call([{"text": f"look up {i}"}], SEARCH))
        guard(o, "OUTPUT", SEARCH)
    answered = [result(f"tooluse_{i}", "success", f"found {i}") for i in range(MAX_DELEGATIONS_PER_TURN)]
    limited = result(f"tooluse_{MAX_DELEGATIONS_PER_TURN}", "error", ANY)
    stub_invoke_harness(o.agent, harness_events("Here is what I found."), harness_call([*answered, limited]))
    guard(o, "OUTPUT")

    # WHEN the step runs, THEN eight collaborators ran, the ninth call was answered "limit reached"
    assert o.invoke(step("Look up nine things"))["answer"] == "Here is what I found."
    o.agent.assert_no_pending_responses()


def test_a_collaborators_guardrail_stops_the_request_before_its_harness(run_coordinator):
    o = run_coordinator
    guard(o, "INPUT")
    stub_invoke_harness(
        o.agent, harness_events(tool_uses=[("tooluse_B", "delegate_search", {"request": "secret"})]), None
    )
    blocked = guardrail_response(
        "GUARDRAIL_INTERVENED",
        ["blocked"],
        [{"wordPolicy": {"customWords": [{"match": "secret", "action": "BLOCKED"}], "managedWordLists": []}}],
    )
    guard(o, "INPUT", SEARCH, blocked)
    refused = result("tooluse_B", "error", "search-agent refused the request: its guardrail blocked it.")
    stub_invoke_harness(o.agent, harness_events("I cannot look that up."), harness_call([refused]))
    guard(o, "OUTPUT")

    assert o.invoke(step("find the secret"))["answer"] == "I cannot look that up."


def test_collaborators_cannot_delegate_and_unknown_tools_are_refused(run_coordinator):
    o = run_coordinator
    guard(o, "INPUT")
    stub_invoke_harness(o.agent, harness_events(tool_uses=[("tooluse_1", "delegate_search", {"request": "go"})]), None)
    guard(o, "INPUT", SEARCH)
    # GIVEN the collaborator tries to delegate further and to call a tool nobody declared
    sneaky = [("tooluse_2", "delegate_execution", {"request": "open"}), ("tooluse_3", "rm_rf", {})]
    stub_invoke_harness(o.agent, harness_events(tool_uses=sneaky), None)
    refusals = [
        result("tooluse_2", "error", "The tool delegate_execution is not available."),
        result("tooluse_3", "error", "The tool rm_rf is not available."),
    ]
    stub_invoke_harness(o.agent, harness_events("Nothing found."), harness_call(refusals, SEARCH))
    guard(o, "OUTPUT", SEARCH)
    stub_invoke_harness(
        o.agent, harness_events("No luck."), harness_call([result("tooluse_1", "success", "Nothing found.")])
    )
    guard(o, "OUTPUT")

    # WHEN the step runs, THEN both calls were answered with errors and the turn completes
    assert o.invoke(step("go"))["answer"] == "No luck."
