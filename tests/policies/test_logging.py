"""Logging family: log groups of this stack, retention, tracing, API and workflow logs, account singletons."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policies.builders import Platform, Stack, api_case
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

Build = Callable[[Stack, Platform, dict[str, str]], str]
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
INVOCATION_LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"


def _function(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        function = p.function(name, found["data_key"], found["logs_key"])
        change(s, function)
        return function

    return build


def _log_group(name: str, **inputs: object) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        group = p.log_group(name, found["logs_key"])
        for key, value in inputs.items():
            if value is None:
                s.drop(group, key)
            else:
                s.set(group, key, value)
        return group

    return build


def _platform_change(change: Callable[[Stack, dict[str, str]], str]) -> Build:
    return lambda s, p, found: change(s, found)


def _machine(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        machine = p.state_machine(name, found["data_key"], found["logs_key"])
        change(s, machine)
        return machine

    return build


def _alarm(name: str, actions: list[str] | None, deps: list[str]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        inputs = {"name": name, "comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 1.0}
        if actions is not None:
            inputs["alarmActions"] = actions
        return s.add("aws:cloudwatch/metricAlarm:MetricAlarm", name, inputs, {"alarmActions": deps})

    return build


def _acl_without_logging(s: Stack, p: Platform, found: dict[str, str]) -> str:
    acl = p.web_acl("case-unlogged-acl", found["api_stage"], found["logs_key"])
    s.remove(s.urn("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "case-unlogged-acl-logging"))
    return acl


def _acl_misnamed_logs(s: Stack, p: Platform, found: dict[str, str]) -> str:
    acl = p.web_acl("case-misnamed-acl", found["api_stage"], found["logs_key"])
    s.set(s.urn(LOG_GROUP, "case-misnamed-acl-logs"), "name", "/ap/waf")
    return acl


def _drop_invocation_logging(s: Stack, found: dict[str, str]) -> str:
    s.remove(found["invocation_logging"])
    return ""


def _unencrypted_invocation_logs(s: Stack, found: dict[str, str]) -> str:
    s.drop(s.urn(LOG_GROUP, "invocation-logs"), "kmsKeyId", prop="kmsKeyId")
    return found["invocation_logging"]


def _invocation_logging_in_non_owner(s: Stack, p: Platform, found: dict[str, str]) -> str:
    return p.invocation_logging(found["logs_key"])


def _no_account(s: Stack, found: dict[str, str]) -> str:
    s.remove(found["api_account"])
    return ""


CASES = [
    # lambda-log-group-in-stack
    clean("lambda-log-group-in-stack", "handler"),
    Case(
        "lambda-log-group-in-stack",
        "no logging config, no /aws/lambda group",
        _function(
            "case-implicit-logs",
            lambda s, f: (
                s.drop(f, "loggingConfig", prop="loggingConfig"),
                s.remove(s.urn(LOG_GROUP, "case-implicit-logs-logs")),
            ),
        ),
        contains="no log group in this stack",
    ),
    Case(
        "lambda-log-group-in-stack",
        "log group of another stack",
        _function("case-foreign-logs", lambda s, f: s[f].property_dependencies.pop("loggingConfig")),
        contains="not a log group of this stack",
    ),
    Case(
        "lambda-log-group-in-stack",
        "plain-text logs",
        _function("case-text-logs", lambda s, f: s.set(f, "loggingConfig.logFormat", "Text")),
        contains="JSON",
    ),
    # lambda-tracing-active
    clean("lambda-tracing-active", "handler"),
    Case(
        "lambda-tracing-active",
        "PassThrough",
        _function("case-untraced", lambda s, f: s.set(f, "tracingConfig.mode", "PassThrough")),
    ),
    # log-group-retention
    Case(
        "log-group-retention", "365 days in run", lambda s, p, f: s.urn(LOG_GROUP, "orchestrator-logs"), expect="clean"
    ),
    Case(
        "log-group-retention",
        "30 days in crawl",
        _log_group("case-crawl-logs", retentionInDays=30.0),
        stage="crawl",
        expect="clean",
    ),
    Case("log-group-retention", "30 days in run", _log_group("case-short-logs", retentionInDays=30.0), contains="365"),
    Case("log-group-retention", "30 days in walk", _log_group("case-walk-logs", retentionInDays=30.0), stage="walk"),
    Case(
        "log-group-retention",
        "never expires",
        _log_group("case-forever-logs", retentionInDays=None),
        contains="not set",
    ),
    # API Gateway
    clean("apigateway-stage-access-logging", "api_stage"),
    Case(
        "apigateway-stage-access-logging",
        "access logs off",
        api_case(
            "case-access-logs-off",
            lambda s, f: (s.drop(f["api_stage"], "accessLogSettings", prop="accessLogSettings"), f["api_stage"])[1],
        ),
    ),
    Case(
        "apigateway-stage-access-logging",
        "CLF access log format",
        api_case(
            "case-clf-access-log-format",
            lambda s, f: (s.set(f["api_stage"], "accessLogSettings.format", "$context.requestId"), f["api_stage"])[1],
        ),
        contains="JSON",
    ),
    clean("apigateway-stage-tracing", "api_stage"),
    Case(
        "apigateway-stage-tracing",
        "X-Ray off",
        api_case(
            "case-x-ray-off", lambda s, f: (s.set(f["api_stage"], "xrayTracingEnabled", False), f["api_stage"])[1]
        ),
    ),
    clean("apigateway-execution-logging", "api_stage"),
    Case(
        "apigateway-execution-logging",
        "execution logging OFF",
        api_case(
            "case-execution-logging-off",
            lambda s, f: (s.set(f["api_settings"], "settings.loggingLevel", "OFF"), f["api_stage"])[1],
        ),
        contains="OFF",
    ),
    Case(
        "apigateway-execution-logging",
        "full data trace",
        api_case(
            "case-full-data-trace",
            lambda s, f: (s.set(f["api_settings"], "settings.dataTraceEnabled", True), f["api_stage"])[1],
        ),
        contains="dataTraceEnabled",
    ),
    Case(
        "apigateway-execution-logging",
        "no method settings",
        api_case("case-no-method-settings", lambda s, f: (s.remove(f["api_settings"]), f["api_stage"])[1]),
    ),
    # Step Functions
    clean("sfn-state-machine-logging", "machine"),
    Case(
        "sfn-state-machine-logging",
        "ERROR in run",
        _machine("case-errors-only", lambda s, m: s.set(m, "loggingConfiguration.level", "ERROR")),
    ),
    Case(
        "sfn-state-machine-logging",
        "ERROR in crawl",
        _machine("case-crawl-errors", lambda s, m: s.set(m, "loggingConfiguration.level", "ERROR")),
        stage="crawl",
        expect="clean",
    ),
    Case(
        "sfn-state-machine-logging",
        "logs outside the stack",
        _machine("case-foreign-destination", lambda s, m: s[m].property_dependencies.pop("loggingConfiguration")),
    ),
    clean("sfn-state-machine-tracing", "machine"),
    Case(
        "sfn-state-machine-tracing",
        "tracing off",
        _machine("case-untraced-machine", lambda s, m: s.set(m, "tracingConfiguration.enabled", False)),
    ),
    # model-invocation logging and account singletons
    clean("bedrock-model-invocation-logging", "invocation_logging"),
    Case(
        "bedrock-model-invocation-logging",
        "owner without logging",
        _platform_change(_drop_invocation_logging),
        isolated=True,
        contains="configures no",
    ),
    Case(
        "bedrock-model-invocation-logging",
        "logs not CMK-encrypted",
        _platform_change(_unencrypted_invocation_logs),
        isolated=True,
        contains="not CMK-encrypted",
    ),
    Case(
        "bedrock-model-invocation-logging",
        "text delivery off",
        _platform_change(
            lambda s, f: (
                s.set(f["invocation_logging"], "loggingConfig.textDataDeliveryEnabled", False),
                f["invocation_logging"],
            )[1]
        ),
        isolated=True,
    ),
    Case(
        "bedrock-model-invocation-logging",
        "stage does not own it",
        lambda s, p, f: f["table"],
        stage="walk",
        expect="not-applicable",
    ),
    clean("account-singletons-owner-only", "api_account"),
    Case(
        "account-singletons-owner-only",
        "non-owner configures invocation logging",
        _invocation_logging_in_non_owner,
        stage="walk",
        contains="does not own",
    ),
    Case(
        "account-singletons-owner-only", "owner API without account role", _platform_change(_no_account), isolated=True
    ),
    # WAF logging, alarms
    clean("waf-web-acl-logging", "web_acl"),
    Case("waf-web-acl-logging", "no logging configuration", _acl_without_logging),
    Case("waf-web-acl-logging", "log group not aws-waf-logs-*", _acl_misnamed_logs, contains="aws-waf-logs-"),
    clean("cloudwatch-alarm-actions", "alarm"),
    Case("cloudwatch-alarm-actions", "no actions", _alarm("case-silent-alarm", None, [])),
    Case(
        "cloudwatch-alarm-actions",
        "action outside the stack",
        _alarm("case-foreign-alarm", ["arn:aws:sns:us-east-1:9:x"], []),
    ),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])


def test_the_stage_that_does_not_own_the_singletons_names_the_owner(outcomes: dict[str, Outcome]) -> None:
    case = next(c for c in CASES if c.expect == "not-applicable" and c.policy == "bedrock-model-invocation-logging")
    reasons = outcomes[case.id].report.not_applicable["bedrock-model-invocation-logging"]
    assert any("stage crawl does" in reason for reason in reasons)
