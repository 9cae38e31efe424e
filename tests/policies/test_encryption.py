"""Encryption family: rotating CMKs of this stack on every data store, proved through the graph."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policies.builders import Platform, Stack, U
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def _key_case(**inputs: object) -> Callable[[Stack, Platform, dict[str, str]], str]:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        return p.key(f"case-key-{'-'.join(sorted(inputs)).lower()}-{len(str(inputs))}", **inputs)

    return build


def _bucket(change: Callable[[Stack, str], None], name: str) -> Callable[[Stack, Platform, dict[str, str]], str]:
    """A fresh CMK-encrypted bucket whose SSE configuration (urn passed to `change`) is altered."""

    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        bucket = p.bucket(name, found["data_key"], log_target=found["access_logs"])
        change(s, s.urn(SSE, f"{name}-sse"))
        return bucket

    return build


def _rotation_off_key_bucket(s: Stack, p: Platform, found: dict[str, str]) -> str:
    key = p.key("case-stale-key", enableKeyRotation=False)
    return p.bucket("case-stale-key-bucket", key, log_target=found["access_logs"])


def _alias_referenced_log_group(s: Stack, p: Platform, found: dict[str, str]) -> str:
    group = p.log_group("case-alias-group", found["data_key"])
    s.set(group, "kmsKeyId", "alias/data-alias")
    s[group].property_dependencies["kmsKeyId"] = [found["data_alias"]]
    return group


def _changed(make: Callable[[Stack, Platform, dict[str, str]], str], *edits: tuple[str, object]) -> Callable:
    """Build a fresh resource with `make`, then apply edits: (path, value) sets, (path, None) drops + deps."""

    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        urn = make(s, p, found)
        for path, value in edits:
            if value is None:
                s.drop(urn, path, prop=path.split(".")[0])
            else:
                s.set(urn, path, value)
        return urn

    return build


def table(name: str) -> Callable:
    return lambda s, p, f: p.table(name, f["data_key"])


def log_group(name: str) -> Callable:
    return lambda s, p, f: p.log_group(name, f["logs_key"])


def function(name: str) -> Callable:
    return lambda s, p, f: p.function(name, f["data_key"], f["logs_key"])


def queue(name: str) -> Callable:
    return lambda s, p, f: p.queue_with_dlq(name, f["data_key"])[0]


def guardrail(name: str) -> Callable:
    return lambda s, p, f: p.guardrail(name, f["agents_key"])[0]


def agent(name: str) -> Callable:
    return lambda s, p, f: p.agent(name, f["agents_key"], f["guardrail"], f["guardrail_version"])


def vector_bucket(name: str) -> Callable:
    return lambda s, p, f: p.vector_store(name, f["data_key"])[0]


def data_source(name: str) -> Callable:
    return lambda s, p, f: p.knowledge_base(name, f["agents_key"], f["documents"], f["index"])[1]


def worker(name: str, part: str) -> Callable:
    return lambda s, p, f: p.async_worker(name, f["data_key"], f["logs_key"])[part]


CASES = [
    # keys
    clean("kms-key-rotation-enabled", "data_key"),
    Case("kms-key-rotation-enabled", "rotation off", _key_case(enableKeyRotation=False)),
    Case("kms-key-rotation-enabled", "rotation every 2 years", _key_case(rotationPeriodInDays=730.0), contains="730"),
    Case(
        "kms-key-rotation-enabled",
        "asymmetric signing key",
        _key_case(customerMasterKeySpec="ECC_NIST_P256", keyUsage="SIGN_VERIFY", enableKeyRotation=False),
        expect="not-applicable",
    ),
    clean("kms-key-deletion-window", "data_key"),
    Case("kms-key-deletion-window", "7-day window in run", _key_case(deletionWindowInDays=7.0), contains="30 days"),
    Case(
        "kms-key-deletion-window",
        "7-day window in crawl",
        _key_case(deletionWindowInDays=7.0),
        stage="crawl",
        expect="clean",
    ),
    Case("kms-key-deletion-window", "10-day window in walk", _key_case(deletionWindowInDays=10.0), stage="walk"),
    # S3
    clean("s3-bucket-cmk-encryption", "documents"),
    clean("s3-bucket-cmk-encryption", "access_logs"),
    Case(
        "s3-bucket-cmk-encryption",
        "no encryption configuration",
        _bucket(lambda s, sse: s.remove(sse), "case-no-sse"),
        contains="no BucketServerSideEncryptionConfiguration",
    ),
    Case(
        "s3-bucket-cmk-encryption",
        "SSE-S3 on a data bucket",
        _bucket(
            lambda s, sse: s.set(sse, "rules.0.applyServerSideEncryptionByDefault", {"sseAlgorithm": "AES256"}),
            "case-sse-s3",
        ),
        contains="AES256",
    ),
    Case(
        "s3-bucket-cmk-encryption",
        "AWS-managed key alias",
        _bucket(
            lambda s, sse: (
                s.set(sse, "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", "alias/aws/s3"),
                s[sse].property_dependencies.pop("rules"),
            ),
            "case-aws-key",
        ),
        contains="does not come from an aws:kms/key:Key",
    ),
    Case(
        "s3-bucket-cmk-encryption",
        "literal key next to a stack key dependency",
        _bucket(
            lambda s, sse: s.set(sse, "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", "alias/aws/s3"),
            "case-literal",
        ),
        contains="literal",
    ),
    Case(
        "s3-bucket-cmk-encryption",
        "bucket key off",
        _bucket(lambda s, sse: s.set(sse, "rules.0.bucketKeyEnabled", False), "case-no-bucket-key"),
        contains="bucketKeyEnabled",
    ),
    Case("s3-bucket-cmk-encryption", "key does not rotate", _rotation_off_key_bucket, contains="does not rotate"),
    Case(
        "encryption-exceptions-reported", "CMK bucket has no exception", lambda s, p, f: f["documents"], expect="clean"
    ),
    Case(
        "encryption-exceptions-reported",
        "the access-log bucket is reported",
        lambda s, p, f: f["access_logs"],
        contains="SSE-S3",
    ),
    # other stores
    clean("s3-vectors-cmk-encryption", "vectors"),
    clean("s3-vectors-cmk-encryption", "index"),
    Case(
        "s3-vectors-cmk-encryption",
        "SSE-S3 vectors",
        _changed(vector_bucket("case-vectors-s3"), ("encryptionConfigurations.0.sseType", "AES256")),
    ),
    Case(
        "s3-vectors-cmk-encryption",
        "key not of this stack",
        _changed(vector_bucket("case-vectors-foreign"), ("encryptionConfigurations", None)),
    ),
    clean("dynamodb-table-cmk-encryption", "table"),
    Case(
        "dynamodb-table-cmk-encryption", "AWS-owned key", _changed(table("case-owned"), ("serverSideEncryption", None))
    ),
    Case(
        "dynamodb-table-cmk-encryption",
        "aws/dynamodb key",
        _changed(table("case-managed"), ("serverSideEncryption.kmsKeyArn", None)),
    ),
    Case(
        "log-group-cmk-encryption",
        "baseline log group",
        lambda s, p, f: s.urn(LOG_GROUP, "orchestrator-logs"),
        expect="clean",
    ),
    Case("log-group-cmk-encryption", "key referenced by its alias", _alias_referenced_log_group, expect="clean"),
    Case(
        "log-group-cmk-encryption",
        "key removed",
        _changed(log_group("case-plain-logs"), ("kmsKeyId", None)),
        contains="not set",
    ),
    Case(
        "log-group-cmk-encryption",
        "literal foreign key ARN",
        _changed(
            log_group("case-foreign-logs"), ("kmsKeyId", None), ("kmsKeyId", "arn:aws:kms:us-east-1:999999999999:key/x")
        ),
    ),
    clean("sqs-queue-cmk-encryption", "queue"),
    clean("sqs-queue-cmk-encryption", "dlq"),
    Case(
        "sqs-queue-cmk-encryption",
        "SQS-managed SSE",
        _changed(queue("case-sse-sqs"), ("kmsMasterKeyId", None), ("sqsManagedSseEnabled", True)),
        contains="sqsManagedSseEnabled",
    ),
    clean("sns-topic-cmk-encryption", "topic"),
    Case(
        "sns-topic-cmk-encryption",
        "no key",
        _changed(lambda s, p, f: p.topic("case-plain-topic", f["data_key"]), ("kmsMasterKeyId", None)),
    ),
    clean("secret-cmk-encryption", "secret"),
    Case(
        "secret-cmk-encryption",
        "aws/secretsmanager key",
        lambda s, p, f: s.add("aws:secretsmanager/secret:Secret", "case-plain-secret", {"name": "case"}),
    ),
    clean("sfn-state-machine-cmk-encryption", "machine"),
    Case(
        "sfn-state-machine-cmk-encryption",
        "AWS-owned key",
        _changed(
            lambda s, p, f: p.state_machine("case-owned-machine", f["data_key"], f["logs_key"]),
            ("encryptionConfiguration", None),
            ("encryptionConfiguration", {"type": "AWS_OWNED_KEY"}),
        ),
        contains="CUSTOMER_MANAGED_KMS_KEY",
    ),
    clean("lambda-environment-cmk-encryption", "handler"),
    Case(
        "lambda-environment-cmk-encryption",
        "env vars under the AWS key",
        _changed(function("case-plain-env"), ("kmsKeyArn", None)),
    ),
    Case(
        "lambda-environment-cmk-encryption",
        "no environment variables, no key needed",
        _changed(function("case-no-env"), ("kmsKeyArn", None), ("environment", None)),
        expect="clean",
    ),
    clean("bedrock-agent-cmk-encryption", "agent"),
    Case(
        "bedrock-agent-cmk-encryption",
        "no CMK",
        _changed(agent("case-plain-agent"), ("customerEncryptionKeyArn", None)),
    ),
    clean("bedrock-guardrail-cmk-encryption", "guardrail"),
    Case(
        "bedrock-guardrail-cmk-encryption", "no CMK", _changed(guardrail("case-plain-guardrail"), ("kmsKeyArn", None))
    ),
    clean("bedrock-data-source-cmk-encryption", "data_source"),
    Case(
        "bedrock-data-source-cmk-encryption",
        "no CMK",
        _changed(data_source("case-plain-kb"), ("serverSideEncryptionConfiguration", None)),
    ),
    clean("eventbridge-cmk-encryption", "sync_bus"),
    clean("eventbridge-cmk-encryption", "sync_schedule"),
    Case(
        "eventbridge-cmk-encryption", "bus without CMK", _changed(worker("case-bus", "bus"), ("kmsKeyIdentifier", None))
    ),
    Case(
        "eventbridge-cmk-encryption",
        "schedule without CMK",
        _changed(worker("case-schedule", "schedule"), ("kmsKeyArn", None)),
    ),
    Case(
        "eventbridge-cmk-encryption",
        "archive without CMK",
        lambda s, p, f: s.add(
            "aws:cloudwatch/eventArchive:EventArchive",
            "case-archive",
            {"name": "a", "eventSourceArn": U},
            {"eventSourceArn": [f["sync_bus"]]},
        ),
    ),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])
