"""public-holidays through its Lambda handler: the key from AgentCore Identity (botocore Stubber on the real
bedrock-agentcore model), the external API faked at urllib's urlopen (no network), both event shapes."""

from __future__ import annotations

import io
import json
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.stub import Stubber
from hypothesis import given, settings
from hypothesis import strategies as st
from public_holidays.calendar import HolidayServiceError, HttpResponse, parse_holidays
from public_holidays.config import HolidayToolConfig
from public_holidays.handler import lambda_handler
from shared.aws import client
from shared.config import ConfigError
from shared.credentials import IDENTITY

from tests.events import load_event
from tests.functions.fakes import LambdaContext, emitted_metrics, gateway_context

API_KEY = "k3y/with+special=chars"
TOKEN = "workload-token-opaque"
ENV = {
    "WORKLOAD_IDENTITY": "agent-platform-crawl-public-holidays",
    "CREDENTIAL_PROVIDER": "agent-platform-crawl-data-go-kr",
}
MAY = [
    {"date": "2026-05-05", "name": "어린이날"},
    {"date": "2026-05-24", "name": "부처님오신날"},
    {"date": "2026-05-25", "name": "대체공휴일"},
]


@dataclass
class FakeHttp:
    """Stands in for urllib.request.urlopen: records the URLs asked for, answers from a queue."""

    answers: list[Any] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def urlopen(self, request: Any, timeout: float) -> Any:
        self.urls.append(request.full_url)
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        status, body = answer
        if status >= 400:
            raise urllib.error.HTTPError(request.full_url, status, "error", {}, io.BytesIO(body))
        response = io.BytesIO(body)
        response.status = status  # type: ignore[attr-defined]
        return response


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("EXTERNAL_API_URL", raising=False)
    stubber = Stubber(client("bedrock-agentcore", IDENTITY))
    with stubber:
        yield stubber
    stubber.assert_no_pending_responses()


@pytest.fixture
def http(monkeypatch: pytest.MonkeyPatch) -> FakeHttp:
    fake = FakeHttp()
    monkeypatch.setattr("urllib.request.urlopen", fake.urlopen)
    return fake


def expect_key(stubber: Stubber, key: str = API_KEY) -> None:
    stubber.add_response(
        "get_workload_access_token",
        {"workloadAccessToken": TOKEN},
        {"workloadName": ENV["WORKLOAD_IDENTITY"]},
    )
    stubber.add_response(
        "get_resource_api_key",
        {"apiKey": key},
        {"workloadIdentityToken": TOKEN, "resourceCredentialProviderName": ENV["CREDENTIAL_PROVIDER"]},
    )


def may_body() -> bytes:
    return json.dumps(load_event("kasi_rest_days_may"), ensure_ascii=False).encode()


def logged_records(caplog: pytest.LogCaptureFixture) -> str:
    """Every log record with its structured fields (Powertools keeps them on the record)."""
    return " ".join(str(vars(record)) for record in caplog.records)


def query_of(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


def test_a_classic_call_lists_the_months_holidays_with_the_key_from_agentcore_identity(identity, http, capsys, caplog):
    # GIVEN AgentCore Identity hands out the key, and the API knows May 2026
    expect_key(identity)
    http.answers.append((200, may_body()))

    # WHEN the agent asks through its action group
    response = lambda_handler(load_event("bedrock_agent_list_holidays"), LambdaContext())

    # THEN the holidays come back in the envelope, and the API got the key and the month it needs
    body = json.loads(response["response"]["responseBody"]["application/json"]["body"])
    assert response["response"]["httpStatusCode"] == 200
    assert body == {"year": 2026, "month": 5, "holidays": MAY}
    (url,) = http.urls
    assert url.startswith("https://apis.data.go.kr/B090041/openapi/service/SpcdeInfoService/getRestDeInfo?")
    assert query_of(url) == {
        "serviceKey": API_KEY,
        "solYear": "2026",
        "solMonth": "05",
        "numOfRows": "50",
        "_type": "json",
    }
    # AND the key (and the token) appear in no log line and no metric
    output = capsys.readouterr().out
    assert emitted_metrics(output) == {"ToolInvocations": 1}
    everything = output + logged_records(caplog)
    assert API_KEY not in everything and "k3y" not in everything and TOKEN not in everything


def test_a_gateway_call_gets_the_same_answer_and_the_key_is_fetched_once_per_container(identity, http):
    # GIVEN one key fetch queued, and two months of answers
    expect_key(identity)
    http.answers += [(200, may_body()), (200, may_body())]

    # WHEN the gateway calls twice (the second from a warm container)
    first = lambda_handler(
        load_event("agentcore_gateway_list_holidays"), gateway_context("public-holidays___listHolidays")
    )
    second = lambda_handler({"year": "2026", "month": "5"}, gateway_context("public-holidays___listHolidays"))

    # THEN both are plain JSON, and AgentCore Identity was asked once (the Stubber has nothing else queued)
    assert first == second == {"year": 2026, "month": 5, "holidays": MAY}


def test_a_refused_key_is_fetched_again_once_then_the_call_succeeds(identity, http, capsys, caplog):
    # GIVEN the portal refuses the cached key (rotated) with its gateway error, then accepts the new one
    expect_key(identity, "old-key")
    expect_key(identity, "new-key")
    refused = (
        b"<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
        b"<returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg>"
        b"<returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>"
    )
    http.answers += [(200, refused), (200, may_body())]

    # WHEN the tool is called
    answer = lambda_handler(load_event("agentcore_gateway_list_holidays"), gateway_context("x___listHolidays"))

    # THEN the second attempt used the new key and answered; no key was logged
    assert answer["holidays"] == MAY
    assert [query_of(u)["serviceKey"] for u in http.urls] == ["old-key", "new-key"]
    output = capsys.readouterr().out + logged_records(caplog)
    assert "old-key" not in output and "new-key" not in output


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (TimeoutError("timed out"), 504),
        (urllib.error.URLError(TimeoutError("timed out")), 504),
        (urllib.error.URLError("Name or service not known"), 503),
        ((500, b"oops"), 503),
        ((200, b"<html>maintenance</html>"), 502),
        ((200, b'{"response": {"header": {"resultCode": "99", "resultMsg": "UNKNOWN_ERROR"}}}'), 502),
        ((429, b"LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"), 503),
    ],
)
def test_an_external_failure_is_a_plain_answer_counted_for_on_call(identity, http, capsys, caplog, answer, status):
    # GIVEN the external API fails in one of its ways
    expect_key(identity)
    http.answers.append(answer)

    # WHEN the tool is called through the gateway
    result = lambda_handler({"year": 2026, "month": 5}, gateway_context("public-holidays___listHolidays"))

    # THEN the agent reads a status and a reason, on-call sees a ToolFailure, the key is in no log line
    assert result["statusCode"] == status and "holiday service" in result["message"]
    output = capsys.readouterr().out
    assert emitted_metrics(output)["ToolFailures"] == 1
    assert API_KEY not in output + logged_records(caplog)


def test_a_month_without_holidays_is_an_empty_list(identity, http):
    # GIVEN the API's "no items" quirk (items is an empty string)
    expect_key(identity)
    empty = {"response": {"header": {"resultCode": "00"}, "body": {"items": "", "totalCount": 0}}}
    http.answers.append((200, json.dumps(empty).encode()))

    # WHEN the tool is asked for that month, THEN the list is empty
    assert lambda_handler({"year": 2026, "month": 4}, gateway_context("t___listHolidays"))["holidays"] == []


def test_a_single_holiday_object_is_read_as_a_list():
    # GIVEN the API's "one item" quirk (item is an object), plus a non-holiday and a malformed entry
    body = {
        "response": {
            "header": {"resultCode": "00"},
            "body": {"items": {"item": {"dateName": "광복절", "isHoliday": "Y", "locdate": 20260815}}},
        }
    }
    assert [h.model_dump() for h in parse_holidays(HttpResponse(200, json.dumps(body).encode()))] == [
        {"date": "2026-08-15", "name": "광복절"}
    ]


def test_identity_refusing_the_key_is_an_internal_error_without_the_token(identity, http, capsys, caplog):
    # GIVEN the tool's role may not read the provider
    identity.add_response("get_workload_access_token", {"workloadAccessToken": TOKEN}, None)
    identity.add_client_error("get_resource_api_key", "AccessDeniedException", f"token {TOKEN} denied", 403)

    # WHEN the tool is called
    result = lambda_handler({"year": 2026, "month": 5}, gateway_context("public-holidays___listHolidays"))

    # THEN 500, counted, logged by error code: neither the token nor the AWS message in the output
    assert result["statusCode"] == 500
    output = capsys.readouterr().out
    assert emitted_metrics(output)["ToolFailures"] == 1
    logged = output + logged_records(caplog)
    assert "AccessDeniedException" in logged and TOKEN not in logged
    assert http.urls == []


@pytest.mark.parametrize("arguments", [{"year": 2026, "month": 13}, {"year": 1999, "month": 1}, {"year": "next"}])
def test_invalid_arguments_are_422_before_any_key_or_call(identity, http, arguments):
    # GIVEN arguments outside the route's bounds, WHEN they arrive, THEN 422 and nothing was fetched
    assert lambda_handler(arguments, gateway_context("public-holidays___listHolidays"))["statusCode"] == 422
    assert http.urls == []


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({**ENV, "EXTERNAL_API_URL": "http://apis.data.go.kr/x"}, "EXTERNAL_API_URL"),
        ({**ENV, "EXTERNAL_API_URL": "https://apis.data.go.kr/x?serviceKey=1"}, "EXTERNAL_API_URL"),
        ({**ENV, "CREDENTIAL_PROVIDER": "has space"}, "CREDENTIAL_PROVIDER"),
        ({**ENV, "WORKLOAD_IDENTITY": "x"}, "WORKLOAD_IDENTITY"),
        ({"CREDENTIAL_PROVIDER": "p"}, "WORKLOAD_IDENTITY"),
    ],
)
def test_a_malformed_environment_names_the_variable(env, variable):
    with pytest.raises(ConfigError, match=variable):
        HolidayToolConfig.from_env(env)


def test_the_default_url_can_be_replaced_by_an_https_endpoint():
    config = HolidayToolConfig.from_env({**ENV, "EXTERNAL_API_URL": "https://holidays.example.com/rest-days"})
    assert config.external_api_url == "https://holidays.example.com/rest-days"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12,
)
items = st.fixed_dictionaries(
    {},
    optional={
        "locdate": st.integers(19000101, 21001231) | st.text(max_size=9),
        "dateName": st.text(max_size=20),
        "isHoliday": st.sampled_from(["Y", "N", ""]),
    },
)
documents = st.fixed_dictionaries(
    {
        "response": st.fixed_dictionaries(
            {"header": st.fixed_dictionaries({"resultCode": st.sampled_from(["00", "03", 0])})},
            optional={
                "body": st.fixed_dictionaries(
                    {"items": st.just("") | st.fixed_dictionaries({"item": items | st.lists(items, max_size=4)})}
                )
            },
        )
    }
)


@settings(max_examples=150, deadline=None)
@given(document=documents | json_values, status=st.sampled_from([200, 200, 200, 401, 404, 500]))
def test_any_answer_is_holidays_or_a_holiday_service_error(document, status):
    # GIVEN any body the API (or something in between) could send
    response = HttpResponse(status, json.dumps(document, ensure_ascii=False).encode())

    # WHEN it is read, THEN it is a sorted list of well-formed holidays, or HolidayServiceError
    try:
        holidays = parse_holidays(response)
    except HolidayServiceError as error:
        assert 500 <= error.status <= 504
        return
    assert [h.date for h in holidays] == sorted(h.date for h in holidays)
    assert all(len(h.date) == 10 and h.name for h in holidays)
