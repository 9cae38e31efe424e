"""The orchestrator on the AgentCore engine (AGENT_ENGINE=agentcore), through the real handler: API mode
(crawl) and the workflow's steps (walk). botocore Stubbers on the real service models (bedrock-agentcore,
bedrock-runtime, bedrock-agent-runtime, lambda); every request is also checked against its input shape's
patterns and lengths (conftest `violations`)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.stub import ANY
from orchestrator.errors import (
    AgentInvocationError,
    AgentThrottledError,
    AgentTimeoutError,
    AgentUnavailableError,
)
from orchestrator.harness_ids import actor_id, runtime_session_id
from orchestrator.messages import Language, messages_for

from tests.events import load_event
from tests.functions.fakes import (
    converse_response,
    emitted_metrics,
    guardrail_response,
    harness_events,
    stub_invoke_harness,
)
from tests.functions.orchestrator.conftest import HARNESS_ARN, KNOWLEDGE_BASE_ID, TICKET_FUNCTION

SESSION = "session-1234"
AGENT = "support-assistant"
TICKET_ARGS = {
    "title": "VPN drops every 10 minutes",
    "description": "Since Monday the VPN client disconnects.",
    "priority": "high",
    "requester": "Kim Minji",
}
TICKET = {
    "ticket": {
        "ticket_id": "TCK-3F2A9C01B7DE",
        **TICKET_ARGS,
        "status": "open",
        "created_at": "2026-12-02T09:00:00+00:00",
    },
    "created": True,
}
PASSAGE = {
    "content": {"text": "Reinstall the VPN client when it disconnects every few minutes."},
    "location": {"type": "S3", "s3Location": {"uri": "s3://agent-platform-crawl-documents/handbook/vpn.md"}},
    "score": 0.82,
}
CITATION = {"text": PASSAGE["content"]["text"], "uri": PASSAGE["location"]["s3Location"]["uri"]}
ENGLISH = messages_for(Language.EN)


def chat(body: dict[str, Any]) -> dict[str, Any]:
    event = load_event("apigw_chat_request")
    event["body"] = json.dumps(body)
    return event


def harness_request(content: list[dict[str, Any]], *, harness: str = AGENT, arn: str = HARNESS_ARN) -> dict[str, Any]:
    return {
        "harnessArn": arn,
        "runtimeSessionId": runtime_session_id(SESSION, harness),
        "actorId": actor_id(SESSION),
        "traceParent": ANY,
        "messages": [{"role": "user", "content": content}],
    }


def guard_request(text: str, source: str, *, guardrail: str = "gr7h2k9x4p1q", version: str = "3", **extra: Any):
    return {"guardrailIdentifier": guardrail, "guardrailVersion": version, "source": source, "content": ANY, **extra}


def expect_guardrail(stubber, text: str, source: str, response: dict[str, Any] | None = None, **ids: str) -> None:
    stubber.add_response("apply_guardrail", response or guardrail_response(), guard_request(text, source, **ids))


def tool_result(tool_use_id: str, status: str, content: list[dict[str, Any]]) -> dict[str, Any]:
    return {"toolResult": {"toolUseId": tool_use_id, "status": status, "content": content}}


def test_one_chat_walks_through_guard_harness_confirmation_and_answer_with_citations(crawl_agentcore, capsys):
    o = crawl_agentcore
    # -- turn 1: a question, answered from the knowledge base with its citation ---------------------
    # GIVEN the guardrail lets the question through, the knowledge base has a passage, the harness answers
    question = "My VPN disconnects every ten minutes. What should I do?"
    expect_guardrail(o.guardrail, question, "INPUT")
    o.knowledge.add_response(
        "retrieve",
        {"retrievalResults": [PASSAGE]},
        {
            "knowledgeBaseId": KNOWLEDGE_BASE_ID,
            "retrievalQuery": {"text": question},
            "retrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 5}},
        },
    )
    context_block = ANY
    stub_invoke_harness(
        o.agent,
        harness_events("Reinstall the VPN client (handbook/vpn.md).", input_tokens=300, output_tokens=40),
        harness_request([{"text": question}, {"text": context_block}]),
    )
    answer = "Reinstall the VPN client (handbook/vpn.md)."
    o.guardrail.add_response("apply_guardrail", guardrail_response(), guard_request(answer, "OUTPUT"))

    # WHEN the user asks through the API
    first = o.invoke(chat({"message": question, "sessionId": SESSION}))

    # THEN the answer carries the passage's location as its citation, and the tokens are counted
    assert first["statusCode"] == 200
    body = json.loads(first["body"])
    assert (body["answer"], body["citations"], body["confirmation"]) == (answer, [CITATION], None)

    # -- turn 2: a mutating action stops the harness; the user is asked -----------------------------
    request = "Please open a ticket for it."
    expect_guardrail(o.guardrail, request, "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": []}, None)
    stub_invoke_harness(
        o.agent,
        harness_events("I will open a ticket.", tool_uses=[("tooluse_Q1w2E3", "createTicket", TICKET_ARGS)]),
        harness_request([{"text": request}]),
    )
    second = json.loads(o.invoke(chat({"message": request, "sessionId": SESSION}))["body"])
    assert second["confirmation"] == {
        "invocationId": "tooluse_Q1w2E3",
        "actionGroup": "ticket-create",
        "apiPath": "createTicket",
        "httpMethod": "",
        "parameters": TICKET_ARGS,
    }
    assert second["answer"].startswith("Please confirm: the assistant wants to run ticket-create (createTicket)")
    # AND nothing ran yet: no Lambda was invoked (the tools Stubber has nothing queued)

    # -- turn 3: the user confirms; the orchestrator runs the tool and resumes the harness ----------
    client_context = {
        "custom": {"bedrockAgentCoreToolName": "ticket-create___createTicket", "bedrockAgentCoreSessionId": SESSION}
    }
    o.tools.add_response(
        "invoke",
        {"StatusCode": 200, "Payload": json.dumps(TICKET).encode()},
        {
            "FunctionName": TICKET_FUNCTION,
            "InvocationType": "RequestResponse",
            "ClientContext": base64.b64encode(json.dumps(client_context).encode()).decode(),
            "Payload": json.dumps(TICKET_ARGS, ensure_ascii=False).encode(),
        },
    )
    stub_invoke_harness(
        o.agent,
        harness_events("Ticket TCK-3F2A9C01B7DE is open."),
        harness_request([tool_result("tooluse_Q1w2E3", "success", [{"json": TICKET}])]),
    )
    expect_guardrail(o.guardrail, "Ticket TCK-3F2A9C01B7DE is open.", "OUTPUT")
    confirm = {
        "message": "yes",
        "sessionId": SESSION,
        "confirmation": {"invocationId": "tooluse_Q1w2E3", "decision": "CONFIRM"},
    }
    third = o.invoke(chat(confirm))

    # THEN the answer comes from the resumed harness, the session has three turns and no pending action
    assert third["statusCode"] == 200
    assert json.loads(third["body"])["answer"] == "Ticket TCK-3F2A9C01B7DE is open."
    turns = o.turns(SESSION)
    assert [t["outcome"]["S"] for t in turns] == ["answered", "confirmation_requested", "answered"]
    assert json.loads(turns[0]["citations"]["S"]) == [CITATION]
    assert "pending_confirmation" not in o.items(SESSION)["state"]
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["AgentInvocations"] == 3 and metrics["InputTokens"] == 300 + 120 + 120
    for stubber in (o.agent, o.guardrail, o.knowledge, o.tools):
        stubber.assert_no_pending_responses()


def test_the_harness_gets_the_passages_and_the_session_keeps_the_resume_state(crawl_agentcore):
    o = crawl_agentcore
    # GIVEN a question whose answer needs the knowledge base, and a harness that wants to open a ticket
    expect_guardrail(o.guardrail, "VPN ticket please", "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": [PASSAGE]}, None)
    stream = harness_events(tool_uses=[("tooluse_A", "createTicket", TICKET_ARGS)])
    stub_invoke_harness(o.agent, stream, harness_request([{"text": "VPN ticket please"}, {"text": ANY}]))
    captured: dict[str, Any] = {}
    o.agent.client.meta.events.register("before-parameter-build", lambda params, **_: captured.update(params))

    # WHEN the chat arrives
    o.invoke(chat({"message": "VPN ticket please", "sessionId": SESSION}))

    # THEN the passages travel as a second text block, bounded and attributed
    passages = captured["messages"][0]["content"][1]["text"]
    assert passages.startswith(
        '<retrieved_context>\n<passage source="s3://agent-platform-crawl-documents/handbook/vpn.md">'
    )
    # AND the pending confirmation keeps the tool call, so a later CONFIRM runs exactly what was shown
    pending = o.items(SESSION)["state"]["pending_confirmation"]["M"]
    resume = json.loads(pending["resume"]["S"])
    assert resume["frames"] == [
        {"harness": "", "queue": [{"id": "tooluse_A", "name": "createTicket", "input": TICKET_ARGS}], "results": []}
    ]


def test_deny_resumes_the_harness_with_an_error_result_and_runs_nothing(crawl_agentcore):
    o = crawl_agentcore
    expect_guardrail(o.guardrail, "open a ticket", "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": []}, None)
    stub_invoke_harness(o.agent, harness_events(tool_uses=[("tooluse_D", "createTicket", TICKET_ARGS)]), None)
    o.invoke(chat({"message": "open a ticket", "sessionId": SESSION}))

    # WHEN the user denies
    declined = tool_result(
        "tooluse_D", "error", [{"text": "The user declined this action; nothing was changed. Do not retry it."}]
    )
    stub_invoke_harness(o.agent, harness_events("Okay, no ticket."), harness_request([declined]))
    expect_guardrail(o.guardrail, "Okay, no ticket.", "OUTPUT")
    deny = {"message": "no", "sessionId": SESSION, "confirmation": {"invocationId": "tooluse_D", "decision": "DENY"}}
    response = json.loads(o.invoke(chat(deny))["body"])

    # THEN the harness hears "declined", answers, and no Lambda was invoked (nothing queued on `tools`)
    assert response["answer"] == "Okay, no ticket."
    o.agent.assert_no_pending_responses()


def test_a_confirmation_for_another_invocation_is_409_and_runs_nothing(crawl_agentcore):
    o = crawl_agentcore
    expect_guardrail(o.guardrail, "open a ticket", "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": []}, None)
    stub_invoke_harness(o.agent, harness_events(tool_uses=[("tooluse_X", "createTicket", TICKET_ARGS)]), None)
    o.invoke(chat({"message": "open a ticket", "sessionId": SESSION}))
    forged = {
        "message": "yes",
        "sessionId": SESSION,
        "confirmation": {"invocationId": "tooluse_Y", "decision": "CONFIRM"},
    }
    assert o.invoke(chat(forged))["statusCode"] == 409


def test_a_blocked_input_never_reaches_the_harness(walk_agentcore, capsys):
    o = walk_agentcore
    # GIVEN the agent's guardrail blocks the message (a denied topic)
    blocked = guardrail_response(
        "GUARDRAIL_INTERVENED",
        ["Sorry, I can't discuss that."],
        [{"topicPolicy": {"topics": [{"name": "Investments", "type": "DENY", "action": "BLOCKED"}]}}],
    )
    expect_guardrail(o.guardrail, "Which stock should I buy?", "INPUT", blocked)

    # WHEN the invoke step runs
    output = o.invoke(_invoke_step("Which stock should I buy?"))

    # THEN the user reads the guardrail's message, the turn is "blocked", a human is told, the harness is untouched
    assert (output["answer"], output["outcome"], output["escalated"]) == (
        "Sorry, I can't discuss that.",
        "blocked",
        True,
    )
    assert [e["reason"] for e in o.escalations()] == ["guard_blocked"]
    assert emitted_metrics(capsys.readouterr().out)["GuardBlocked"] == 1


def test_a_blocked_answer_is_withheld(walk_agentcore):
    o = walk_agentcore
    expect_guardrail(o.guardrail, "Tell me about Kim", "INPUT")
    stub_invoke_harness(o.agent, harness_events("Kim's card is 4111 1111 1111 1111."), None)
    blocked = guardrail_response(
        "GUARDRAIL_INTERVENED",
        ["The answer was withheld."],
        [
            {
                "sensitiveInformationPolicy": {
                    "piiEntities": [{"match": "4111", "type": "CREDIT_DEBIT_CARD_NUMBER", "action": "BLOCKED"}],
                    "regexes": [],
                }
            }
        ],
    )
    o.guardrail.add_response("apply_guardrail", blocked, guard_request("Kim's card", "OUTPUT"))

    output = o.invoke(_invoke_step("Tell me about Kim"))

    assert (output["answer"], output["outcome"]) == ("The answer was withheld.", "blocked")
    assert [e["reason"] for e in o.escalations()] == ["output_blocked"]


def test_masked_input_is_what_the_harness_sees(walk_agentcore):
    o = walk_agentcore
    # GIVEN the guardrail only anonymizes (no BLOCKED action anywhere)
    masked = guardrail_response(
        "GUARDRAIL_INTERVENED",
        ["Call me at {PHONE}"],
        [
            {
                "sensitiveInformationPolicy": {
                    "piiEntities": [{"match": "010-1234-5678", "type": "PHONE", "action": "ANONYMIZED"}],
                    "regexes": [],
                }
            }
        ],
    )
    expect_guardrail(o.guardrail, "Call me at 010-1234-5678", "INPUT", masked)
    stub_invoke_harness(o.agent, harness_events("Noted."), harness_request([{"text": "Call me at {PHONE}"}]))
    expect_guardrail(o.guardrail, "Noted.", "OUTPUT")

    # WHEN the step runs, THEN the harness got the masked text and the turn is answered
    assert o.invoke(_invoke_step("Call me at 010-1234-5678"))["outcome"] == "answered"


def _invoke_step(message: str, **extra: Any) -> dict[str, Any]:
    return {
        "step": "invoke_agent",
        "redactedMessage": message,
        "sessionId": SESSION,
        "correlationId": "exec-1",
        **extra,
    }


def test_the_invoke_step_keeps_its_contract_on_agentcore(walk_agentcore):
    o = walk_agentcore
    # GIVEN the workflow's documented payload with passages retrieved by its Retrieve states
    event = load_event("sfn_invoke_agent")
    message = event["redactedMessage"]
    expect_guardrail(o.guardrail, message, "INPUT")
    stub_invoke_harness(o.agent, harness_events("Use Settings > Security.", input_tokens=210, output_tokens=12), None)
    expect_guardrail(o.guardrail, "Use Settings > Security.", "OUTPUT")

    # WHEN the step runs
    output = o.invoke(event)

    # THEN the output has the documented shape, citations from the retrieved context and the stream's usage
    assert set(output) == {"answer", "citations", "usage", "outcome", "fallback", "escalated", "confirmation"}
    assert output["outcome"] == "answered" and output["usage"] == {"inputTokens": 210, "outputTokens": 12}
    assert output["citations"] and all(c["uri"].startswith("s3://") for c in output["citations"])
    # AND the orchestrator did not call Retrieve itself (the knowledge Stubber had nothing queued)


def test_a_confirmation_travels_through_the_record_step_and_back(walk_agentcore):
    o = walk_agentcore
    # GIVEN the invoke step ends with a confirmation request
    expect_guardrail(o.guardrail, "open a ticket", "INPUT")
    stub_invoke_harness(o.agent, harness_events(tool_uses=[("tooluse_W", "createTicket", TICKET_ARGS)]), None)
    reply = o.invoke(_invoke_step("open a ticket"))
    assert reply["outcome"] == "confirmation_requested" and reply["confirmation"]["resume"]

    # WHEN the state machine records it (its record payload passes the reply's confirmation as it is)
    record = {
        "step": "record",
        "sessionId": SESSION,
        "correlationId": "exec-1",
        "redactedMessage": "open a ticket",
        **{k: reply[k] for k in ("answer", "outcome", "citations", "usage", "fallback", "escalated", "confirmation")},
    }
    stored = o.invoke(record)

    # THEN the user's response shows the confirmation without the engine's resume state
    assert stored["stored"] is True and "resume" not in stored["confirmation"]
    assert stored["confirmation"]["invocationId"] == "tooluse_W"

    # AND the next execution's invoke step (the user's CONFIRM) runs the tool and resumes the harness
    o.tools.add_response("invoke", {"StatusCode": 200, "Payload": json.dumps(TICKET).encode()}, None)
    stub_invoke_harness(
        o.agent, harness_events("Opened."), harness_request([tool_result("tooluse_W", "success", [{"json": TICKET}])])
    )
    expect_guardrail(o.guardrail, "Opened.", "OUTPUT")
    confirmed = o.invoke(
        _invoke_step("yes", correlationId="exec-2", confirmation={"invocationId": "tooluse_W", "decision": "CONFIRM"})
    )
    assert (confirmed["answer"], confirmed["outcome"]) == ("Opened.", "answered")


@pytest.mark.parametrize(
    ("payload", "function_error", "status", "text"),
    [
        ({"statusCode": 422, "message": "invalid parameters"}, None, "error", None),
        ({"errorMessage": "boom"}, "Unhandled", "error", "The tool failed while running"),
    ],
)
def test_a_failing_tool_becomes_an_error_result_the_harness_explains(
    walk_agentcore, payload, function_error, status, text
):
    o = walk_agentcore
    # GIVEN a pending confirmation (invoke step, then the record step stores it)
    expect_guardrail(o.guardrail, "open a ticket", "INPUT")
    stub_invoke_harness(o.agent, harness_events(tool_uses=[("tooluse_F", "createTicket", TICKET_ARGS)]), None)
    reply = o.invoke(_invoke_step("open a ticket"))
    o.invoke(
        {
            "step": "record",
            "sessionId": SESSION,
            "correlationId": "exec-1",
            "redactedMessage": "open a ticket",
            "answer": reply["answer"],
            "outcome": reply["outcome"],
            "confirmation": reply["confirmation"],
        }
    )
    # AND the tool refuses the call (4xx body) or crashes (FunctionError)
    response: dict[str, Any] = {"StatusCode": 200, "Payload": json.dumps(payload).encode()}
    if function_error:
        response["FunctionError"] = function_error
    o.tools.add_response("invoke", response, None)
    expected = [{"json": payload}] if text is None else [{"text": ANY}]
    stub_invoke_harness(
        o.agent, harness_events("It did not work."), harness_request([tool_result("tooluse_F", status, expected)])
    )
    expect_guardrail(o.guardrail, "It did not work.", "OUTPUT")

    # WHEN the user confirms, THEN the harness gets an error result and explains it
    result = o.invoke(_invoke_step("yes", confirmation={"invocationId": "tooluse_F", "decision": "CONFIRM"}))
    assert (result["answer"], result["outcome"]) == ("It did not work.", "answered")


@pytest.fixture
def asked_once(walk_agentcore):
    """A walk orchestrator whose invoke step gets the guardrail's pass for one message."""
    expect_guardrail(walk_agentcore.guardrail, "hello", "INPUT")
    return walk_agentcore


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ({"code": "ThrottlingException", "status": 429}, AgentThrottledError),
        ({"code": "ServiceQuotaExceededException", "status": 402}, AgentThrottledError),
        ({"code": "AccessDeniedException", "status": 403}, AgentInvocationError),
        ({"code": "ResourceNotFoundException", "status": 404}, AgentInvocationError),
        ({"code": "InternalServerException", "status": 500}, AgentUnavailableError),
        ({"code": "RuntimeClientError", "status": 424}, AgentUnavailableError),
    ],
)
def test_request_failures_leave_the_step_as_named_agent_errors(asked_once, failure, error):
    asked_once.agent.add_client_error(
        "invoke_harness", service_error_code=failure["code"], service_message="no", http_status_code=failure["status"]
    )
    with pytest.raises(error):
        asked_once.invoke(_invoke_step("hello"))


@pytest.mark.parametrize(
    ("events", "error"),
    [
        ([{"internalServerException": {"message": "boom"}}], AgentUnavailableError),
        ([{"runtimeClientError": {"message": "tool crashed"}}], AgentUnavailableError),
        ([{"validationException": {"message": "bad", "reason": "x"}}], AgentInvocationError),
        (harness_events("partial", stop="max_iterations_exceeded"), AgentInvocationError),
        (harness_events("partial", stop="timeout_exceeded"), AgentTimeoutError),
        (harness_events("", stop="malformed_model_output"), AgentUnavailableError),
        (harness_events("never stopped")[:-2], AgentUnavailableError),
        (harness_events("", stop="tool_use"), AgentUnavailableError),
    ],
)
def test_stream_failures_leave_the_step_as_named_agent_errors(asked_once, events, error):
    stub_invoke_harness(asked_once.agent, events, None)
    with pytest.raises(error):
        asked_once.invoke(_invoke_step("hello"))


def test_an_in_stream_failure_is_retried_with_jitter_in_api_mode(crawl_agentcore):
    o = crawl_agentcore
    # GIVEN the first stream breaks inside (after HTTP 200), the second answers
    expect_guardrail(o.guardrail, "hello", "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": []}, None)
    stub_invoke_harness(o.agent, [{"internalServerException": {"message": "boom"}}], None)
    stub_invoke_harness(o.agent, harness_events("Hi!"), None)
    expect_guardrail(o.guardrail, "Hi!", "OUTPUT")

    # WHEN the user chats, THEN the answer arrives after one jittered retry
    assert json.loads(o.invoke(chat({"message": "hello", "sessionId": SESSION}))["body"])["answer"] == "Hi!"
    assert len(o.sleeps) == 1 and 0 <= o.sleeps[0] <= 0.25


def test_a_failing_harness_falls_back_to_the_light_model_in_api_mode(crawl_agentcore, capsys):
    o = crawl_agentcore
    expect_guardrail(o.guardrail, "hello", "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": []}, None)
    o.agent.add_client_error("invoke_harness", "AccessDeniedException", "no", 403)
    o.model.add_response("converse", converse_response("General advice."), None)

    body = json.loads(o.invoke(chat({"message": "hello", "sessionId": SESSION}))["body"])

    assert body["fallback"] is True and body["answer"].startswith(ENGLISH.limited_answer_notice)
    assert emitted_metrics(capsys.readouterr().out)["AgentErrors"] == 1


def test_the_guardrail_failing_is_an_agent_failure_never_an_unchecked_answer(walk_agentcore):
    walk_agentcore.guardrail.add_client_error("apply_guardrail", "ThrottlingException", "slow down", 429)
    with pytest.raises(AgentThrottledError):
        walk_agentcore.invoke(_invoke_step("hello"))


def test_the_circuit_opens_after_consecutive_harness_failures(walk_agentcore):
    o = walk_agentcore
    for _ in range(3):  # CIRCUIT_FAILURE_THRESHOLD
        expect_guardrail(o.guardrail, "hello", "INPUT")
        o.agent.add_client_error("invoke_harness", "InternalServerException", "down", 500)
        with pytest.raises(AgentUnavailableError):
            o.invoke(_invoke_step("hello"))
    from orchestrator.errors import AgentCircuitOpenError

    with pytest.raises(AgentCircuitOpenError):
        o.invoke(_invoke_step("hello"))


def test_a_slow_stream_ends_as_a_timeout_at_the_deadline(walk_agentcore):
    o = walk_agentcore
    expect_guardrail(o.guardrail, "hello", "INPUT")
    stub_invoke_harness(o.agent, harness_events("slow answer"), None, on_event=lambda: o.clock.advance(3))
    with pytest.raises(AgentTimeoutError):
        o.invoke(_invoke_step("hello", deadlineSeconds=5))


def test_a_pending_state_that_cannot_be_resumed_is_refused(walk_agentcore):
    o = walk_agentcore
    # GIVEN a pending confirmation stored without the engine's state (left by the classic engine)
    o.invoke(
        {
            "step": "record",
            "sessionId": SESSION,
            "correlationId": "exec-0",
            "redactedMessage": "x",
            "answer": "confirm?",
            "outcome": "confirmation_requested",
            "confirmation": {
                "invocationId": "inv-1",
                "actionGroup": "ticket-create",
                "apiPath": "/tickets",
                "httpMethod": "POST",
            },
        }
    )
    # WHEN the user confirms, THEN nothing runs and the step names the failure
    with pytest.raises(AgentInvocationError):
        o.invoke(_invoke_step("yes", confirmation={"invocationId": "inv-1", "decision": "CONFIRM"}))


def test_memory_is_keyed_on_the_signed_in_user_when_the_api_knows_one(crawl_agentcore):
    o = crawl_agentcore
    # GIVEN API Gateway's Cognito authorizer verified the caller
    event = chat({"message": "hello", "sessionId": SESSION})
    event["requestContext"]["authorizer"] = {"claims": {"sub": "8f0c2b9e-1d2a-4b7e-9a51-3c6e2f8d1a44"}}
    expect_guardrail(o.guardrail, "hello", "INPUT")
    o.knowledge.add_response("retrieve", {"retrievalResults": []}, None)
    expected = {
        **harness_request([{"text": "hello"}]),
        "actorId": actor_id(SESSION, "8f0c2b9e-1d2a-4b7e-9a51-3c6e2f8d1a44"),
    }
    stub_invoke_harness(o.agent, harness_events("Hi."), expected)
    expect_guardrail(o.guardrail, "Hi.", "OUTPUT")

    # WHEN the user chats, THEN the harness's actorId is the user's pseudonym, not the session's
    assert o.invoke(event)["statusCode"] == 200
    assert expected["actorId"] != actor_id(SESSION) and "8f0c2b9e" not in expected["actorId"]


def test_a_failing_knowledge_base_is_skipped_not_fatal(crawl_agentcore):
    o = crawl_agentcore
    expect_guardrail(o.guardrail, "hello", "INPUT")
    o.knowledge.add_client_error("retrieve", "ThrottlingException", "slow down", 429)
    stub_invoke_harness(o.agent, harness_events("Hi."), harness_request([{"text": "hello"}]))
    expect_guardrail(o.guardrail, "Hi.", "OUTPUT")

    body = json.loads(o.invoke(chat({"message": "hello", "sessionId": SESSION}))["body"])

    assert (body["answer"], body["citations"], body["fallback"]) == ("Hi.", [], False)
    assert any(r.get("message") == "knowledge base unavailable; answering without it" for r in o.log.records())
