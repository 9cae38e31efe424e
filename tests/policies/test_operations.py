"""Data protection and operations family (and cost tags): recoverable data, handled failures, bounded functions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policies.builders import Platform, Stack, U, api_case
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

Build = Callable[[Stack, Platform, dict[str, str]], str]
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"


def _edit(make: Build, *edits: tuple[str, object], protect: bool | None = None) -> Build:
    """Build with `make`, then set (path, value) or drop (path, None) with that property's dependencies."""

    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        urn = make(s, p, found)
        for path, value in edits:
            if value is None:
                s.drop(urn, path, prop=path.split(".")[0])
            else:
                s.set(urn, path, value)
        if protect is not None:
            s[urn].protect = protect
        return urn

    return build


def table(name: str) -> Build:
    return lambda s, p, f: p.table(name, f["data_key"])


def function(name: str) -> Build:
    return lambda s, p, f: p.function(name, f["data_key"], f["logs_key"])


def _bucket(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        bucket = p.bucket(name, found["data_key"], log_target=found["access_logs"])
        change(s, name)
        return bucket

    return build


def _worker(name: str, change: Callable[[Stack, dict[str, str]], str]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        worker = p.async_worker(name, found["data_key"], found["logs_key"])
        return change(s, worker)

    return build


def _lambda_subscription(s: Stack, p: Platform, found: dict[str, str]) -> str:
    return s.add(
        "aws:sns/topicSubscription:TopicSubscription",
        "case-lambda-subscription",
        {"topic": U, "protocol": "lambda", "endpoint": U},
        {"topic": [found["topic"]], "endpoint": [found["handler"]]},
    )


def _consumer(name: str, change: Callable[[Stack, str, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        queue, _ = p.queue_with_dlq(f"{name}-queue", found["data_key"])
        mapping = p.consumer(name, queue, found["data_key"], found["logs_key"])
        change(s, mapping, queue)
        return mapping

    return build


def _untagged_provider_table(s: Stack, p: Platform, found: dict[str, str]) -> str:
    bare = s.add_provider("case-bare-aws", tags=None)
    table = p.table("case-untagged", found["data_key"])
    s[table].provider = f"{bare}::provider-id"
    return table


def _slow_rotation(s: Stack, p: Platform, found: dict[str, str]) -> str:
    secret = s.add(
        "aws:secretsmanager/secret:Secret",
        "case-slow-secret",
        {"name": "s", "kmsKeyId": U},
        {"kmsKeyId": [found["data_key"]]},
    )
    s.add(
        "aws:secretsmanager/secretRotation:SecretRotation",
        "case-slow-secret-rotation",
        {"secretId": U, "rotationRules": {"automaticallyAfterDays": 180.0}},
        {"secretId": [secret]},
    )
    return secret


CASES = [
    # DynamoDB
    clean("dynamodb-point-in-time-recovery", "table", stage="walk"),
    Case(
        "dynamodb-point-in-time-recovery",
        "PITR off in walk",
        _edit(table("case-no-pitr"), ("pointInTimeRecovery.enabled", False)),
        stage="walk",
    ),
    Case(
        "dynamodb-point-in-time-recovery",
        "PITR optional in crawl",
        _edit(table("case-crawl-pitr"), ("pointInTimeRecovery.enabled", False)),
        stage="crawl",
        expect="not-applicable",
    ),
    clean("dynamodb-capacity-scales", "table"),
    Case("dynamodb-capacity-scales", "provisioned", _edit(table("case-provisioned"), ("billingMode", "PROVISIONED"))),
    # deletion protection (run)
    clean("deletion-protection", "table"),
    clean("deletion-protection", "data_key"),
    Case(
        "deletion-protection",
        "table not protected",
        _edit(table("case-unprotected"), protect=False),
        contains="protect",
    ),
    Case(
        "deletion-protection",
        "table deletion protection off",
        _edit(table("case-deletable"), ("deletionProtectionEnabled", False)),
    ),
    Case(
        "deletion-protection",
        "user pool INACTIVE",
        _edit(lambda s, p, f: p.user_pool("case-pool"), ("deletionProtection", "INACTIVE")),
    ),
    Case("deletion-protection", "key not protected", _edit(lambda s, p, f: p.key("case-loose-key"), protect=False)),
    Case(
        "deletion-protection",
        "not required in crawl",
        _edit(table("case-crawl-table"), protect=False),
        stage="crawl",
        expect="not-applicable",
    ),
    # S3
    clean("s3-bucket-versioning", "documents"),
    Case(
        "s3-bucket-versioning",
        "suspended",
        _bucket(
            "case-suspended",
            lambda s, n: s.set(s.urn(VERSIONING, f"{n}-versioning"), "versioningConfiguration.status", "Suspended"),
        ),
    ),
    Case(
        "s3-bucket-versioning",
        "no versioning",
        _bucket("case-unversioned", lambda s, n: s.remove(s.urn(VERSIONING, f"{n}-versioning"))),
    ),
    clean("s3-bucket-access-logging", "documents"),
    clean("s3-bucket-access-logging", "access_logs"),
    Case(
        "s3-bucket-access-logging",
        "no access logs",
        _bucket("case-unlogged", lambda s, n: s.remove(s.urn(LOGGING, f"{n}-logging"))),
    ),
    Case(
        "s3-bucket-access-logging",
        "logs to a bucket outside the stack",
        _bucket(
            "case-foreign-logs",
            lambda s, n: s[s.urn(LOGGING, f"{n}-logging")].property_dependencies.pop("targetBucket"),
        ),
    ),
    clean("s3-bucket-lifecycle", "documents"),
    Case(
        "s3-bucket-lifecycle",
        "no lifecycle",
        _bucket("case-no-lifecycle", lambda s, n: s.remove(s.urn(LIFECYCLE, f"{n}-lifecycle"))),
    ),
    Case(
        "s3-bucket-lifecycle",
        "rule disabled",
        _bucket(
            "case-lifecycle-off", lambda s, n: s.set(s.urn(LIFECYCLE, f"{n}-lifecycle"), "rules.0.status", "Disabled")
        ),
    ),
    # queues and asynchronous failures
    clean("sqs-queue-dead-letter-queue", "queue"),
    clean("sqs-queue-dead-letter-queue", "dlq"),
    Case(
        "sqs-queue-dead-letter-queue",
        "no redrive policy",
        _edit(lambda s, p, f: p.queue_with_dlq("case-no-dlq", f["data_key"])[0], ("redrivePolicy", None)),
    ),
    clean("lambda-async-failure-destination", "sync_function"),
    Case(
        "lambda-async-failure-destination",
        "no on-failure destination",
        _worker(
            "case-dropped",
            lambda s, w: (s.remove(s.urn(INVOKE_CONFIG, "case-dropped-invoke-config")), w["function"])[-1],
        ),
        contains="asynchronously",
    ),
    Case(
        "lambda-async-failure-destination",
        "invoke config without onFailure",
        _worker(
            "case-no-onfailure",
            lambda s, w: (
                s.drop(
                    s.urn(INVOKE_CONFIG, "case-no-onfailure-invoke-config"),
                    "destinationConfig",
                    prop="destinationConfig",
                ),
                w["function"],
            )[-1],
        ),
    ),
    clean("async-delivery-dead-letter", "sync_target"),
    clean("async-delivery-dead-letter", "sync_schedule"),
    Case(
        "async-delivery-dead-letter",
        "event target without DLQ",
        _worker(
            "case-target-no-dlq",
            lambda s, w: (s.drop(w["target"], "deadLetterConfig", prop="deadLetterConfig"), w["target"])[-1],
        ),
    ),
    Case(
        "async-delivery-dead-letter",
        "schedule without DLQ",
        _worker(
            "case-schedule-no-dlq",
            lambda s, w: (
                s.drop(w["schedule"], "target.deadLetterConfig"),
                s[w["schedule"]].property_dependencies.update(
                    target=[u for u in s[w["schedule"]].property_dependencies["target"] if "Queue" not in u]
                ),
                w["schedule"],
            )[-1],
        ),
    ),
    Case("async-delivery-dead-letter", "lambda subscription without redrive", _lambda_subscription),
    clean("lambda-event-source-mapping-failures", "mapping"),
    Case(
        "lambda-event-source-mapping-failures",
        "whole-batch failures",
        _consumer("case-batch", lambda s, m, q: s.set(m, "functionResponseTypes", [])),
        contains="ReportBatchItemFailures",
    ),
    Case(
        "lambda-event-source-mapping-failures",
        "visibility shorter than the function timeout",
        _consumer("case-visibility", lambda s, m, q: s.set(q, "visibilityTimeoutSeconds", 10.0)),
        contains="visibility timeout",
    ),
    # functions
    clean("lambda-runtime-supported", "handler"),
    Case("lambda-runtime-supported", "python3.9", _edit(function("case-old-runtime"), ("runtime", "python3.9"))),
    clean("lambda-function-limits", "handler"),
    Case(
        "lambda-function-limits",
        "no reserved concurrency (opt-in through requireReservedConcurrency)",
        _edit(function("case-unbounded"), ("reservedConcurrentExecutions", None)),
        expect="clean",
    ),
    Case(
        "lambda-function-limits",
        "default timeout",
        _edit(function("case-default-timeout"), ("timeout", None)),
        contains="timeout",
    ),
    clean("apigateway-throttling", "api_stage"),
    Case(
        "apigateway-throttling",
        "default throttling",
        api_case(
            "case-default-throttling",
            lambda s, f: (s.drop(f["api_settings"], "settings.throttlingRateLimit"), f["api_stage"])[-1],
        ),
    ),
    clean("secrets-manager-rotation", "secret"),
    Case(
        "secrets-manager-rotation",
        "no rotation",
        lambda s, p, f: s.add(
            "aws:secretsmanager/secret:Secret",
            "case-static-secret",
            {"name": "s", "kmsKeyId": U},
            {"kmsKeyId": [f["data_key"]]},
        ),
    ),
    Case(
        "secrets-manager-rotation",
        "rotation every 180 days",
        _slow_rotation,
    ),
    # cost tags
    clean("required-cost-tags", "table"),
    Case("required-cost-tags", "provider without default tags", _untagged_provider_table, contains="cost-center"),
    Case(
        "required-cost-tags",
        "tagged for another stage",
        _edit(table("case-mistagged"), ("tags", {"environment": "prod"})),
        contains="environment",
    ),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])
