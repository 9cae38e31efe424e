"""Fault injection: every test checks what the user sees AND that nothing was lost (turn stored or
spilled to the fallback sink, escalation queued)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EventStreamError, ReadTimeoutError
from moto.core.botocore_stubber import MockRawResponse
from orchestrator import handler, runtime
from orchestrator.messages import Language, messages_for
from shared.aws import client
from shared.session_store import SessionStore
from urllib3.exceptions import ProtocolError
from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeoutError

from tests.events import load_event
from tests.functions.fakes import answer_events, converse_response, emitted_metrics, stub_invoke_agent

LIMITED_ANSWER_NOTICE = messages_for(Language.EN).limited_answer_notice

THROTTLED = {"throttlingException": {"message": "Your request rate is too high"}}


def chat(orchestrator: Any, session_id: str, message: str = "Where is my order?") -> tuple[int, dict[str, Any]]:
    event = load_event("apigw_chat_request")
    event["body"] = json.dumps({"message": message, "sessionId": session_id})
    response = orchestrator.invoke(event)
    return response["statusCode"], json.loads(response["body"])


def test_in_stream_throttling_is_retried_then_answered(orchestrator, capsys):
    # GIVEN the first stream ends in a throttling event (botocore cannot retry it: the HTTP call succeeded)
    stub_invoke_agent(orchestrator.agent, [THROTTLED])
    stub_invoke_agent(orchestrator.agent, answer_events("It ships tomorrow."))

    # WHEN the user asks
    status, body = chat(orchestrator, "s-throttle-once")

    # THEN the retry (after a jittered backoff) answers, with no fallback and no escalation
    assert status == 200
    assert body["answer"] == "It ships tomorrow." and body["fallback"] is False
    assert len(orchestrator.sleeps) == 1 and 0 <= orchestrator.sleeps[0] <= 0.25
    assert orchestrator.turns("s-throttle-once")[0]["outcome"]["S"] == "answered"
    assert orchestrator.escalations() == []
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["AgentInvocations"] == 1 and "AgentErrors" not in metrics
    orchestrator.agent.assert_no_pending_responses()


def test_botocore_event_stream_errors_are_retried_like_event_dicts(orchestrator):
    # GIVEN the real botocore behaviour: an exception frame raises EventStreamError while iterating
    error = EventStreamError({"Error": {"Code": "internalServerException", "Message": "Internal error"}}, "InvokeAgent")
    stub_invoke_agent(orchestrator.agent, [{"chunk": {"bytes": b"partial "}}, error])
    stub_invoke_agent(orchestrator.agent, answer_events("Complete answer."))

    # WHEN the user asks
    status, body = chat(orchestrator, "s-stream-error")

    # THEN the partial answer is discarded and the retry's answer returned
    assert (status, body["answer"]) == (200, "Complete answer.")


def test_throttling_beyond_the_retry_budget_falls_back_and_escalates(orchestrator, capsys):
    # GIVEN every attempt is throttled in the stream
    for _ in range(3):
        stub_invoke_agent(orchestrator.agent, [THROTTLED])
    orchestrator.model.add_response("converse", converse_response("Orders usually ship within 2 days."))

    # WHEN the user asks
    status, body = chat(orchestrator, "s-throttle-always")

    # THEN the fallback model answers, marked as limited, and a human is told
    assert status == 200
    assert body["fallback"] is True and body["escalated"] is True
    assert body["answer"].startswith(LIMITED_ANSWER_NOTICE)
    assert len(orchestrator.sleeps) == 2
    (escalation,) = orchestrator.escalations()
    assert escalation["reason"] == "agent_failed"
    assert "AgentThrottledError" in escalation["detail"]
    assert escalation["redactedInput"] == "Where is my order?"
    (turn,) = orchestrator.turns("s-throttle-always")
    assert turn["outcome"]["S"] == "fallback"
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["AgentErrors"] == 1 and metrics["Fallbacks"] == 1 and metrics["Escalations"] == 1
    orchestrator.agent.assert_no_pending_responses()
    orchestrator.model.assert_no_pending_responses()


def test_the_retry_budget_is_bounded_by_time_as_well(orchestrator):
    # GIVEN an invocation with little time left: the agent gets remaining - 10 s = 0.5 s
    stub_invoke_agent(orchestrator.agent, [THROTTLED])
    orchestrator.model.add_response("converse", converse_response("Limited."))
    orchestrator.clock.advance(0)

    # WHEN the agent is throttled and a backoff would overrun the budget
    event = load_event("apigw_chat_request")
    orchestrator.sleeps.clear()
    response = orchestrator.invoke(event, remaining_ms=10_500)

    # THEN no retry is attempted (one stream consumed) and the fallback answers
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["fallback"] is True
    orchestrator.agent.assert_no_pending_responses()


def test_a_read_timeout_falls_back_without_retrying(orchestrator):
    # GIVEN the agent goes silent mid-answer until botocore's read timeout fires
    timeout = ReadTimeoutError(endpoint_url="https://bedrock-agent-runtime.us-east-1.amazonaws.com")
    stub_invoke_agent(orchestrator.agent, [{"chunk": {"bytes": b"Your order "}}, timeout])
    orchestrator.model.add_response("converse", converse_response("Please check the tracking page."))

    # WHEN the user asks
    status, body = chat(orchestrator, "s-timeout")

    # THEN the (already spent) budget is not retried: the fallback answers at once, and a human is told
    assert status == 200 and body["fallback"] is True
    assert orchestrator.sleeps == []
    assert orchestrator.escalations()[0]["detail"].startswith("AgentTimeoutError")
    assert orchestrator.turns("s-timeout")[0]["outcome"]["S"] == "fallback"


def test_urllib3_stream_errors_are_mapped_like_botocore_ones(orchestrator):
    # GIVEN the raw urllib3 errors botocore lets through while a stream is read: a dropped
    # connection (retried) and then a stalled read (not retried)
    dropped = ProtocolError("Connection broken: IncompleteRead(0 bytes read)")
    stalled = Urllib3ReadTimeoutError(None, "/agents", "Read timed out.")
    stub_invoke_agent(orchestrator.agent, [{"chunk": {"bytes": b"Your "}}, dropped])
    stub_invoke_agent(orchestrator.agent, [stalled])
    orchestrator.model.add_response("converse", converse_response("Limited."))

    # WHEN the user asks
    status, body = chat(orchestrator, "s-urllib3")

    # THEN the drop was retried once, the stall went to the fallback
    assert status == 200 and body["fallback"] is True
    assert len(orchestrator.sleeps) == 1
    assert orchestrator.escalations()[0]["detail"].startswith("AgentTimeoutError")
    orchestrator.agent.assert_no_pending_responses()


def test_a_slow_stream_is_cut_at_the_turn_deadline(orchestrator):
    # GIVEN events keep trickling in, but the turn deadline passes while they do
    # each event arrives 10 s after the previous one
    stub_invoke_agent(orchestrator.agent, answer_events("late") * 3, on_event=lambda: orchestrator.clock.advance(10))
    orchestrator.model.add_response("converse", converse_response("Limited."))

    # WHEN the user asks with the default 28 s budget (18 s for the agent)
    status, body = chat(orchestrator, "s-slow")

    # THEN the agent is abandoned at the deadline and the fallback answers
    assert status == 200 and body["fallback"] is True
    assert "AgentTimeoutError" in orchestrator.escalations()[0]["detail"]


def test_an_open_circuit_answers_from_the_fallback_without_calling_the_agent(orchestrator, capsys):
    # GIVEN three consecutive agent failures (the threshold) open the circuit
    for index in range(3):
        orchestrator.agent.add_client_error("invoke_agent", "InternalServerException", "boom", 500)
        orchestrator.model.add_response("converse", converse_response("Limited answer."))
        assert chat(orchestrator, f"s-trip-{index}")[0] == 200
    orchestrator.escalations()
    capsys.readouterr()

    # WHEN the next user asks (no invoke_agent response is queued: calling the agent would fail the test)
    orchestrator.model.add_response("converse", converse_response("Limited answer."))
    status, body = chat(orchestrator, "s-open")

    # THEN the fallback answers immediately and the escalation says why
    assert status == 200 and body["fallback"] is True
    assert [e["reason"] for e in orchestrator.escalations()] == ["circuit_open"]
    assert orchestrator.turns("s-open")[0]["outcome"]["S"] == "fallback"
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["CircuitOpen"] == 1 and "AgentInvocations" not in metrics
    orchestrator.agent.assert_no_pending_responses()

    # WHEN the recovery time has passed, THEN one trial call goes through and closes the circuit again
    orchestrator.clock.advance(31)
    stub_invoke_agent(orchestrator.agent, answer_events("Back online."))
    assert chat(orchestrator, "s-recovered")[1]["answer"] == "Back online."
    stub_invoke_agent(orchestrator.agent, answer_events("Still fine."))
    assert chat(orchestrator, "s-closed")[1]["answer"] == "Still fine."


def test_when_the_fallback_fails_too_the_user_is_told_a_human_will_follow_up(orchestrator):
    # GIVEN the agent and the fallback model both fail
    orchestrator.agent.add_client_error("invoke_agent", "DependencyFailedException", "kb down", 424)
    orchestrator.model.add_client_error("converse", "ServiceUnavailableException", "unavailable", 503)

    # WHEN the user asks
    status, body = chat(orchestrator, "s-all-down")

    # THEN 503 with an honest answer: a human was notified
    assert status == 503
    assert body["escalated"] is True and body["fallback"] is True
    assert "support person has been notified" in body["answer"]
    (escalation,) = orchestrator.escalations()
    assert escalation["reason"] == "fallback_failed"
    assert orchestrator.turns("s-all-down")[0]["outcome"]["S"] == "escalated"


def test_an_agent_configuration_error_with_no_fallback_is_502(orchestrator):
    # GIVEN the agent alias is gone (not retryable) and the fallback fails
    orchestrator.agent.add_client_error("invoke_agent", "ResourceNotFoundException", "no alias", 404)
    orchestrator.model.add_client_error("converse", "ThrottlingException", "slow down", 429)

    # WHEN the user asks, THEN the upstream failure is a 502, and still escalated and recorded
    status, body = chat(orchestrator, "s-502")
    assert status == 502 and body["escalated"] is True
    assert orchestrator.turns("s-502")[0]["outcome"]["S"] == "escalated"


def test_without_an_escalation_queue_the_answer_promises_no_human(crawl_orchestrator):
    # GIVEN crawl wiring (no queue) and both models failing
    crawl_orchestrator.agent.add_client_error("invoke_agent", "InternalServerException", "boom", 500)
    crawl_orchestrator.model.add_client_error("converse", "InternalServerException", "boom", 500)

    # WHEN the user asks
    status, body = chat(crawl_orchestrator, "s-crawl")

    # THEN 503, not escalated, and the answer says to try again with a reference
    assert status == 503 and body["escalated"] is False
    assert "try again" in body["answer"] and body["traceId"] in body["answer"]
    assert crawl_orchestrator.turns("s-crawl")[0]["outcome"]["S"] == "unavailable"


def test_a_failed_escalation_is_logged_in_full_instead_of_lost(orchestrator, monkeypatch):
    # GIVEN the escalation queue refuses messages
    orchestrator.agent.add_client_error("invoke_agent", "InternalServerException", "boom", 500)
    orchestrator.model.add_client_error("converse", "InternalServerException", "boom", 500)
    sqs = client("sqs", runtime.SQS)
    monkeypatch.setattr(orchestrator, "queue_url", None)

    def refuse(**_: Any) -> None:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "KMS.AccessDeniedException", "Message": "denied"}}, "SendMessage")

    monkeypatch.setattr(sqs, "send_message", refuse)

    # WHEN the user asks
    status, body = chat(orchestrator, "s-no-queue")

    # THEN the user is not promised a human, and the escalation is in the log for one
    assert status == 503 and body["escalated"] is False
    (record,) = [r for r in orchestrator.log.records() if r.get("replay") == "escalation"]
    assert record["level"] == "ERROR"
    assert record["escalation"]["sessionId"] == "s-no-queue"
    assert record["escalation"]["reason"] == "fallback_failed"


@pytest.fixture
def throttled_session_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """DynamoDB answers every UpdateItem with ProvisionedThroughputExceededException (through botocore's
    real retry machinery; its backoff sleeps are skipped)."""
    attempts: list[str] = []
    body = json.dumps(
        {"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "message": "slow down"}
    ).encode()

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        if target.endswith("UpdateItem"):
            attempts.append(target)
            return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.0"}, MockRawResponse(body))
        return None

    dynamodb = client("dynamodb", runtime.DYNAMODB)
    dynamodb.meta.events.register_first("before-send.dynamodb", throttle)
    monkeypatch.setattr("botocore.endpoint.time.sleep", lambda _seconds: None)
    yield attempts
    dynamodb.meta.events.unregister("before-send.dynamodb", throttle)


def test_throttled_session_writes_are_retried_then_spilled_to_the_log(orchestrator, throttled_session_writes):
    # GIVEN DynamoDB throttles every session write
    stub_invoke_agent(orchestrator.agent, answer_events("Your order ships tomorrow."))

    # WHEN the user asks
    status, body = chat(orchestrator, "s-ddb-throttled")

    # THEN the user still gets the answer
    assert status == 200 and body["answer"] == "Your order ships tomorrow."
    # AND botocore retried within its attempt budget (standard mode, 3 attempts)
    assert len(throttled_session_writes) == runtime.DYNAMODB.max_attempts
    # AND the whole turn is in one ERROR log record that can be replayed
    (record,) = orchestrator.spilled_turns()
    assert record["level"] == "ERROR"
    assert record["turn"]["session_id"] == "s-ddb-throttled"
    assert record["turn"]["answer"] == "Your order ships tomorrow."
    assert record["turn"]["correlation_id"] == body["traceId"]
    assert "ProvisionedThroughputExceededException" in record["error"]
    assert orchestrator.turns("s-ddb-throttled") == []


def test_a_spilled_turn_replays_into_the_table(orchestrator):
    # GIVEN a spill record as the log sink writes it
    record = {
        "session_id": "s-replayed",
        "correlation_id": "c-1",
        "agent": "support-assistant",
        "user_message": "Where is my order?",
        "answer": "Tomorrow.",
        "outcome": "answered",
        "citations": [{"text": "Shipping policy", "uri": "s3://docs/shipping.md"}],
        "input_tokens": 10,
        "output_tokens": 2,
        "created_at": 1_741_614_052.0,
        "pending_confirmation": None,
    }
    store = SessionStore(client("dynamodb", runtime.DYNAMODB), orchestrator.table, 24, sink=None)  # type: ignore[arg-type]

    # WHEN it is replayed
    receipt = store.replay(record)

    # THEN the turn is stored like any other
    assert receipt.stored and receipt.turn_number == 1
    (turn,) = orchestrator.turns("s-replayed")
    assert turn["answer"]["S"] == "Tomorrow."
    assert json.loads(turn["citations"]["S"]) == record["citations"]


def test_an_unexpected_error_in_the_trial_call_reopens_the_circuit_instead_of_wedging_it(orchestrator, monkeypatch):
    # GIVEN an open circuit whose recovery time has passed
    for index in range(3):
        orchestrator.agent.add_client_error("invoke_agent", "InternalServerException", "boom", 500)
        orchestrator.model.add_response("converse", converse_response("Limited answer."))
        assert chat(orchestrator, f"s-wedge-{index}")[0] == 200
    orchestrator.clock.advance(31)

    # WHEN the one trial call fails with an error that is not an AgentError (a bug, say)
    def broken_invoke(**_: Any) -> None:
        raise RuntimeError("bug")

    with monkeypatch.context() as patch:
        patch.setattr(handler.service()._invoker, "invoke", broken_invoke)
        assert chat(orchestrator, "s-wedge-trial")[0] == 500

    # THEN it counts as a failed trial: after the next recovery time, a trial call goes through again
    orchestrator.clock.advance(31)
    stub_invoke_agent(orchestrator.agent, answer_events("Back online."))
    assert chat(orchestrator, "s-wedge-recovered")[1]["answer"] == "Back online."
