"""One correlation id per request, from wherever the request came in."""

from __future__ import annotations

from shared.observability import correlation_id_from_event, trace_root

from tests.events import load_event
from tests.functions.fakes import LambdaContext


def test_api_gateway_request_id():
    assert correlation_id_from_event(load_event("apigw_chat_request")) == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def test_step_functions_payload_wins():
    event = load_event("sfn_guard")
    assert correlation_id_from_event(event) == event["correlationId"]


def test_xray_trace_root_then_lambda_request_id(monkeypatch):
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
    assert correlation_id_from_event({"Records": []}) == "1-5759e988-bd862e3fe1be46a994272793"
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    assert trace_root() is None
    assert correlation_id_from_event([], LambdaContext(aws_request_id="req-1")) == "req-1"


def test_ids_that_could_forge_log_fields_are_ignored():
    # GIVEN a correlation id with a newline and quotes (never taken verbatim into logs and annotations)
    event = {"correlationId": 'x"\n{"level":"INFO"}'}
    assert correlation_id_from_event(event, LambdaContext(aws_request_id="req-2")) == "req-2"
