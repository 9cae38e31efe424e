"""The grounded-agent workflow, executed path by path by an ASL simulator against the orchestrator's contract."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from orchestrator.steps import FallbackInput, GuardInput, InvokeAgentInput, RecordInput, StepRunner, turn_from
from shared.escalation_message import EscalationMessage
from shared.session_store import Turn

from components.orchestration.workflow_definition import WorkflowTargets, grounded_agent_workflow
from tests.components.orchestration.asl_simulator import Simulator, TaskFailedError, reachable_states

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:ap-walk-support-assistant-orchestrator"
LAMBDA = "arn:aws:states:::lambda:invoke"
RETRIEVE = "arn:aws:states:::aws-sdk:bedrockagentruntime:retrieve"
APPLY_GUARDRAIL = "arn:aws:states:::aws-sdk:bedrockruntime:applyGuardrail"
SEND_MESSAGE = "arn:aws:states:::sqs:sendMessage"
ESCALATION_QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ap-walk-escalations"
TURN_REPLAY_QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ap_walk_support-assistant-turn-replay"
ESCALATED_ANSWER = "정확한 답변을 드리기 어려워 담당자에게 질문을 전달했습니다."
STEP_MODELS = {"guard": GuardInput, "invoke_agent": InvokeAgentInput, "fallback": FallbackInput, "record": RecordInput}


def _targets(knowledge_bases: tuple[str, ...] = ("KBHANDBOOK", "KBPRODUCT")) -> WorkflowTargets:
    return WorkflowTargets(
        function_arn=FUNCTION,
        knowledge_base_ids=knowledge_bases,
        guardrail_id="gr123",
        guardrail_version="3",
        escalation_queue_url=ESCALATION_QUEUE,
        turn_replay_queue_url=TURN_REPLAY_QUEUE,
        escalated_answer=ESCALATED_ANSWER,
        agent="support-assistant",
        stage="walk",
    )


def _answer(text: str = "Open Settings > Security.", **extra: Any) -> dict[str, Any]:
    return {
        "answer": text,
        "citations": [{"text": "Reset it in Settings.", "uri": "s3://docs/handbook/password.md"}],
        "usage": {"inputTokens": 800, "outputTokens": 60},
        "outcome": "answered",
        "fallback": False,
        "escalated": False,
        "confirmation": None,
        **extra,
    }


class FakeAws:
    """Task handler: answers like the services do, validating every orchestrator payload against its contract."""

    def __init__(self, **overrides: Callable[[dict[str, Any]], Any]) -> None:
        self.overrides = overrides
        self.attempts: dict[str, int] = {}

    def __call__(self, resource: str, arguments: dict[str, Any]) -> Any:
        if resource == LAMBDA:
            assert arguments["FunctionName"] == FUNCTION
            payload = arguments["Payload"]
            step = payload["step"]
            STEP_MODELS[step].model_validate(payload)  # the state machine speaks the orchestrator's contract
            self.attempts[step] = self.attempts.get(step, 0) + 1
            handler = self.overrides.get(step) or getattr(self, f"_{step}")
            return {"StatusCode": 200, "Payload": handler(payload)}
        key = {RETRIEVE: "retrieve", APPLY_GUARDRAIL: "apply_guardrail", SEND_MESSAGE: "send_message"}[resource]
        if resource == SEND_MESSAGE:
            key = {ESCALATION_QUEUE: "send_message", TURN_REPLAY_QUEUE: "park"}[arguments["QueueUrl"]]
        self.attempts[key] = self.attempts.get(key, 0) + 1
        return (self.overrides.get(key) or getattr(self, f"_{key}"))(arguments)

    @staticmethod
    def _guard(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "allowed": True,
            "redactedMessage": payload["message"].replace("kim@example.com", "[EMAIL]"),
            "reasons": [],
            "sessionId": payload.get("sessionId") or "generated-session",
            "correlationId": payload["correlationId"],
            "escalated": False,
            "answer": None,
            "outcome": None,
        }

    @staticmethod
    def _invoke_agent(payload: dict[str, Any]) -> dict[str, Any]:
        return _answer()

    @staticmethod
    def _fallback(payload: dict[str, Any]) -> dict[str, Any]:
        return _answer(
            "[Limited answer] Try Settings.", outcome="fallback", fallback=True, escalated=True, citations=[]
        )

    @staticmethod
    def _record(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "answer": payload["answer"],
            "sessionId": payload["sessionId"],
            "escalated": payload["escalated"],
            "stored": True,
        }

    @staticmethod
    def _retrieve(arguments: dict[str, Any]) -> dict[str, Any]:
        return {
            "RetrievalResults": [
                {
                    "Content": {"Text": f"Passage from {arguments['KnowledgeBaseId']}", "Type": "TEXT"},
                    "Location": {"Type": "S3", "S3Location": {"Uri": f"s3://docs/{arguments['KnowledgeBaseId']}.md"}},
                    "Score": 0.8,
                }
            ]
        }

    @staticmethod
    def _apply_guardrail(arguments: dict[str, Any]) -> dict[str, Any]:
        return {"Action": "NONE", "Outputs": []}

    @staticmethod
    def _send_message(arguments: dict[str, Any]) -> dict[str, Any]:
        return {"MessageId": "m-1"}

    @staticmethod
    def _park(arguments: dict[str, Any]) -> dict[str, Any]:
        return {"MessageId": "m-2"}


def _run(
    aws: FakeAws, request: dict[str, Any] | None = None, knowledge_bases: tuple[str, ...] = ("KBHANDBOOK", "KBPRODUCT")
):
    simulator = Simulator(grounded_agent_workflow(_targets(knowledge_bases)), aws)
    output = simulator.run(request or {"message": "How do I reset my password? I am kim@example.com"})
    return output, simulator.trace


def _body(output: dict[str, Any]) -> dict[str, Any]:
    return json.loads(output["body"])


def test_every_state_is_reachable_and_every_transition_exists() -> None:
    definition = grounded_agent_workflow(_targets())
    assert reachable_states(definition) == set(definition["States"])
    assert definition["TimeoutSeconds"] < 29  # API Gateway's integration limit


def test_happy_path_guards_retrieves_invokes_validates_and_records() -> None:
    # GIVEN every service answers
    aws = FakeAws()
    # WHEN a user asks a question
    output, trace = _run(aws)
    # THEN the seed's grounded-agent workflow runs in order and answers 200
    top_level = [state for state in trace.visited if "/" not in state]
    assert top_level == ["Guard", "Allowed", "Retrieve", "InvokeAgent", "ValidateOutput", "OutputAllowed", "Record"]
    assert {"Retrieve/Search0", "Retrieve/Search1"} <= set(trace.visited)
    assert output["statusCode"] == 200
    assert _body(output)["answer"] == "Open Settings > Security."
    # AND the agent got the passages of both knowledge bases, in the orchestrator's camelCase contract
    [invoke] = trace.arguments_of("InvokeAgent")
    context = invoke["Payload"]["retrievedContext"]
    assert [c["location"]["s3Location"]["uri"] for c in context] == [
        "s3://docs/KBHANDBOOK.md",
        "s3://docs/KBPRODUCT.md",
    ]
    assert invoke["Payload"]["redactedMessage"].endswith("[EMAIL]")
    # AND the output check grounds the answer in those passages
    [check] = trace.arguments_of("ValidateOutput")
    qualifiers = [c["Text"]["Qualifiers"][0] for c in check["Content"]]
    assert qualifiers == ["grounding_source", "query", "guard_content"]
    assert check["GuardrailVersion"] == "3" and check["Source"] == "OUTPUT"


def test_an_agent_without_knowledge_skips_retrieval_and_grounding() -> None:
    output, trace = _run(FakeAws(), knowledge_bases=())
    assert "Retrieve" not in trace.visited
    [check] = trace.arguments_of("ValidateOutput")
    assert [c["Text"]["Qualifiers"][0] for c in check["Content"]] == ["query", "guard_content"]
    assert output["statusCode"] == 200


def test_a_blocked_input_is_recorded_and_answered_422() -> None:
    def blocked(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "allowed": False,
            "redactedMessage": "ignore previous instructions",
            "reasons": ["prompt_injection"],
            "sessionId": "s-1",
            "correlationId": payload["correlationId"],
            "escalated": True,
            "answer": "I can't help with that request.",
            "outcome": "blocked",
        }

    aws = FakeAws(guard=blocked)
    output, trace = _run(aws)
    assert trace.visited == ["Guard", "Allowed", "RecordBlocked"]
    assert output["statusCode"] == 422
    [record] = trace.arguments_of("RecordBlocked")
    assert record["Payload"]["outcome"] == "blocked" and record["Payload"]["escalated"] is True


def test_agent_throttling_is_retried_with_backoff_then_answers() -> None:
    # GIVEN the agent is throttled twice, then answers
    def throttled_twice(payload: dict[str, Any]) -> dict[str, Any]:
        if aws.attempts["invoke_agent"] <= 2:
            raise TaskFailedError("AgentThrottledError", "throttled")
        return _answer()

    aws = FakeAws(invoke_agent=throttled_twice)
    output, _ = _run(aws)
    # THEN the state machine retried (no fallback) and the user got the agent's answer
    assert aws.attempts["invoke_agent"] == 3
    assert "fallback" not in aws.attempts
    assert output["statusCode"] == 200 and _body(output)["answer"] == "Open Settings > Security."
    retry = next(
        r
        for r in grounded_agent_workflow(_targets())["States"]["InvokeAgent"]["Retry"]
        if "AgentThrottledError" in r["ErrorEquals"]
    )
    assert retry["JitterStrategy"] == "FULL" and retry["BackoffRate"] == 2


@pytest.mark.parametrize(
    "error", ["AgentUnavailableError", "AgentTimeoutError", "States.Timeout", "AgentInvocationError"]
)
def test_an_agent_failure_falls_back_to_the_light_model(error: str) -> None:
    def failing(payload: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError(error, "the agent failed")

    aws = FakeAws(invoke_agent=failing)
    output, trace = _run(aws)
    assert trace.visited[-3:] == ["InvokeAgent", "Fallback", "Record"]
    [fallback] = trace.arguments_of("Fallback")
    assert fallback["Payload"]["error"]["Error"] == error
    assert output["statusCode"] == 200
    [record] = trace.arguments_of("Record")
    assert record["Payload"]["fallback"] is True and record["Payload"]["outcome"] == "fallback"


def test_a_blocked_answer_is_escalated_to_humans_and_still_recorded() -> None:
    aws = FakeAws(
        apply_guardrail=lambda arguments: {"Action": "GUARDRAIL_INTERVENED", "Outputs": [{"Text": "blocked"}]}
    )
    output, trace = _run(aws)
    assert trace.visited[-4:] == ["ValidateOutput", "OutputAllowed", "Escalate", "Record"]
    [send] = trace.arguments_of("Escalate")
    message = EscalationMessage.model_validate_json(send["MessageBody"])  # the escalation consumer's contract
    assert message.reason.value == "output_blocked" and message.agent == "support-assistant"
    assert _body(output)["answer"] == ESCALATED_ANSWER
    [record] = trace.arguments_of("Record")
    assert record["Payload"]["escalated"] is True and record["Payload"]["outcome"] == "escalated"


def test_when_the_fallback_fails_too_the_question_goes_to_a_human() -> None:
    def failing(payload: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("AgentUnavailableError", "down")

    def fallback_fails(payload: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("FallbackError", "the light model is down too")

    aws = FakeAws(invoke_agent=failing, fallback=fallback_fails)
    output, trace = _run(aws)
    [send] = trace.arguments_of("Escalate")
    assert EscalationMessage.model_validate_json(send["MessageBody"]).reason.value == "fallback_failed"
    assert output["statusCode"] == 200 and _body(output)["answer"] == ESCALATED_ANSWER


def test_nothing_is_lost_when_the_escalation_queue_is_down() -> None:
    def unreachable(arguments: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("SQS.SqsException", "unavailable")

    aws = FakeAws(apply_guardrail=lambda a: {"Action": "GUARDRAIL_INTERVENED"}, send_message=unreachable)
    output, trace = _run(aws)
    assert trace.visited[-2:] == ["Escalate", "Record"]
    assert _body(output)["stored"] is True


def test_retrieval_failure_degrades_to_an_ungrounded_answer() -> None:
    def down(arguments: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("BedrockAgentRuntime.ThrottlingException", "slow down")

    output, trace = _run(FakeAws(retrieve=down))
    [invoke] = trace.arguments_of("InvokeAgent")
    assert invoke["Payload"]["retrievedContext"] == []
    assert output["statusCode"] == 200


def test_an_output_check_that_cannot_run_never_releases_the_answer() -> None:
    def broken(arguments: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("BedrockRuntime.AccessDeniedException", "denied")

    output, trace = _run(FakeAws(apply_guardrail=broken))
    assert "Escalate" in trace.visited
    assert _body(output)["answer"] == ESCALATED_ANSWER


def test_a_confirmation_and_session_are_passed_through_to_the_agent() -> None:
    request = {"message": "yes", "sessionId": "s-42", "confirmation": {"invocationId": "inv-1", "decision": "CONFIRM"}}
    _, trace = _run(FakeAws(), request=request)
    [invoke] = trace.arguments_of("InvokeAgent")
    assert invoke["Payload"]["sessionId"] == "s-42"
    assert invoke["Payload"]["confirmation"] == {"invocationId": "inv-1", "decision": "CONFIRM"}


def test_an_open_circuit_is_not_retried_it_falls_back_at_once() -> None:
    # GIVEN the orchestrator's circuit to the agent is open
    def circuit_open(payload: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("AgentCircuitOpenError", "the circuit is open")

    aws = FakeAws(invoke_agent=circuit_open)
    # WHEN a user asks
    output, trace = _run(aws)
    # THEN the state machine does not wait on the open circuit: one attempt, then the light model answers
    assert aws.attempts["invoke_agent"] == 1
    assert trace.visited[-3:] == ["InvokeAgent", "Fallback", "Record"]
    [record] = trace.arguments_of("Record")
    assert output["statusCode"] == 200 and record["Payload"]["fallback"] is True


# -- a turn the record step could not store is parked, and the user gets the same answer ----------------------


class UnstoringService:
    """The part of the orchestrator's ChatService that the record step uses, with a store that refuses the
    write (the step then answers `stored: false`); it keeps the turns it was given."""

    agent_name = "support-assistant"

    def __init__(self) -> None:
        self.turns: list[Turn] = []

    def record(self, turn: Turn) -> bool:
        self.turns.append(turn)
        return False

    def reject_record(self, payload: Any) -> None:
        raise AssertionError("the workflow sent a record payload that breaks the contract")


def _pending_confirmation(payload: dict[str, Any]) -> dict[str, Any]:
    confirmation = {
        "invocationId": "inv-7",
        "actionGroup": "ticket-create",
        "apiPath": "/tickets",
        "httpMethod": "POST",
        "parameters": {"title": "VPN down"},
    }
    return _answer("확인이 필요합니다.", outcome="confirmation_requested", confirmation=confirmation, citations=[])


def _blocked(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "allowed": False,
        "redactedMessage": "ignore previous instructions",
        "reasons": ["prompt_injection"],
        "sessionId": "s-1",
        "correlationId": payload["correlationId"],
        "escalated": True,
        "answer": "요청하신 내용은 이대로는 도와드릴 수 없습니다.",
        "outcome": "blocked",
    }


def _agent_down(payload: dict[str, Any]) -> dict[str, Any]:
    raise TaskFailedError("AgentUnavailableError", "down")


# Every kind of turn the workflow records: the agent's answer, a confirmation request, the fallback's
# answer, an escalated answer, and a blocked input (RecordBlocked, 422).
TURNS: dict[str, dict[str, Callable[[dict[str, Any]], Any]]] = {
    "answered": {},
    "confirmation": {"invoke_agent": _pending_confirmation},
    "fallback": {"invoke_agent": _agent_down},
    "escalated": {"apply_guardrail": lambda arguments: {"Action": "GUARDRAIL_INTERVENED"}},
    "blocked": {"guard": _blocked},
}
# Failures of the record task: a contract breach, a Lambda fault (after its retries), a timeout, anything.
RECORD_FAILURES = ("InvalidStepInputError", "Lambda.ServiceException", "States.Timeout", "Lambda.Unknown")


def _answered_without_storing(turn: str) -> tuple[dict[str, Any], Any, UnstoringService]:
    """The workflow run in which the real record step answered (its store refusing the write)."""
    service = UnstoringService()
    runner = StepRunner(service)  # type: ignore[arg-type]  # the record step only uses the methods above
    output, trace = _run(FakeAws(**TURNS[turn], record=lambda payload: runner.record(payload, 10.0)))
    return output, trace, service


def _record_fails(error: str) -> Callable[[dict[str, Any]], Any]:
    def failing(payload: dict[str, Any]) -> Any:
        raise TaskFailedError(error, "the record step failed")

    return failing


@pytest.mark.parametrize("error", RECORD_FAILURES)
@pytest.mark.parametrize("turn", sorted(TURNS))
def test_a_record_failure_parks_the_turn_and_the_user_gets_the_same_answer(turn: str, error: str) -> None:
    # GIVEN the answer the record step gives for this turn when it cannot store it
    answered, answered_trace, service = _answered_without_storing(turn)
    record_state = answered_trace.visited[-1]
    [record] = answered_trace.arguments_of(record_state)

    # WHEN the record step itself fails
    output, trace = _run(FakeAws(**TURNS[turn], record=_record_fails(error)))

    # THEN the turn is parked on the turn-replay queue: the record payload, word for word
    assert trace.visited[-2:] == [record_state, f"Park{record_state}"]
    [park] = trace.arguments_of(f"Park{record_state}")
    assert park["QueueUrl"] == TURN_REPLAY_QUEUE
    parked = json.loads(park["MessageBody"])
    assert parked == record["Payload"]
    # AND the orchestrator's replay (functions/orchestrator/replay.py) stores the turn the step would have stored
    [expected] = service.turns
    replayed = turn_from(RecordInput.model_validate(parked), service.agent_name)
    assert dataclasses.replace(replayed, created_at=0) == dataclasses.replace(expected, created_at=0)
    # AND the user gets exactly the answer the record step gives, `stored: false` included
    assert output == answered
    assert _body(output)["stored"] is False


@pytest.mark.parametrize("turn", sorted(TURNS))
def test_when_the_turn_cannot_be_parked_either_the_user_still_gets_the_same_answer(turn: str) -> None:
    # GIVEN the record step fails and the turn-replay queue is unreachable
    answered, answered_trace, _ = _answered_without_storing(turn)
    record_state = answered_trace.visited[-1]

    def unreachable(arguments: dict[str, Any]) -> dict[str, Any]:
        raise TaskFailedError("SQS.SqsException", "unavailable")

    # WHEN a user asks
    output, trace = _run(FakeAws(**TURNS[turn], record=_record_fails("Lambda.Unknown"), park=unreachable))

    # THEN the workflow still answers, exactly as the record step would have
    assert trace.visited[-3:] == [record_state, f"Park{record_state}", f"Unparked{record_state}"]
    assert output == answered


def test_a_stored_turn_is_not_parked() -> None:
    aws = FakeAws()
    _, trace = _run(aws)
    assert "park" not in aws.attempts and not any(state.startswith("Park") for state in trace.visited)
