"""A confirmed tool call: lambda Invoke in the gateway event shape (Stubber on the lambda model), and every
way it can fail answered as an error toolResult, never an exception."""

from __future__ import annotations

import base64
import json
import logging

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber
from orchestrator.harness_config import ConfirmationTool
from orchestrator.tool_calls import MAX_RESULT_CHARS, ConfirmedToolRunner

TOOL = ConfirmationTool("agent-platform-run-ticket-create", "ticket-create___createTicket")
ARGS = {"title": "VPN drops", "requester": "김민지"}


@pytest.fixture
def lambda_client():
    client = boto3.client("lambda", region_name="ap-northeast-2")
    with Stubber(client) as stubber:
        yield client, stubber


def run(client) -> dict:
    return ConfirmedToolRunner(lambda: client, logging.getLogger("t")).run(TOOL, ARGS, "session-1", "tooluse_1")


def test_the_call_is_the_gateway_event_shape(lambda_client):
    client, stubber = lambda_client
    custom = {"bedrockAgentCoreToolName": "ticket-create___createTicket", "bedrockAgentCoreSessionId": "session-1"}
    stubber.add_response(
        "invoke",
        {"StatusCode": 200, "Payload": b'{"created": true}'},
        {
            "FunctionName": TOOL.function,
            "InvocationType": "RequestResponse",
            "ClientContext": base64.b64encode(json.dumps({"custom": custom}).encode()).decode(),
            "Payload": json.dumps(ARGS, ensure_ascii=False).encode(),
        },
    )
    assert run(client) == {
        "toolResult": {"toolUseId": "tooluse_1", "status": "success", "content": [{"json": {"created": True}}]}
    }


@pytest.mark.parametrize(
    "failure",
    [
        {"service_error_code": "TooManyRequestsException", "http_status_code": 429},
        {"service_error_code": "AccessDeniedException", "http_status_code": 403},
        {"service_error_code": "ResourceNotFoundException", "http_status_code": 404},
    ],
)
def test_a_refused_call_is_an_error_result(lambda_client, failure):
    client, stubber = lambda_client
    stubber.add_client_error("invoke", service_message="no", **failure)
    result = run(client)["toolResult"]
    assert result["status"] == "error" and "nothing was changed" in result["content"][0]["text"]


def test_a_timeout_says_the_outcome_is_unknown():
    class Slow:
        def invoke(self, **_):
            raise ReadTimeoutError(endpoint_url="https://lambda")

    result = ConfirmedToolRunner(Slow, logging.getLogger("t")).run(TOOL, ARGS, "s", "tooluse_1")["toolResult"]
    assert result["status"] == "error" and "may or may not have run" in result["content"][0]["text"]


def test_a_huge_or_odd_answer_is_bounded(lambda_client):
    client, stubber = lambda_client
    stubber.add_response("invoke", {"StatusCode": 200, "Payload": json.dumps({"blob": "x" * 50_000}).encode()}, None)
    stubber.add_response("invoke", {"StatusCode": 200, "Payload": b"not json"}, None)
    huge, odd = run(client)["toolResult"], run(client)["toolResult"]
    assert len(huge["content"][0]["text"]) == MAX_RESULT_CHARS
    assert odd["status"] == "error" and "could not be read" in odd["content"][0]["text"]
