"""Exposure family: no public buckets, queues or functions, TLS only, authenticated and filtered APIs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policies.builders import ACCOUNT, Platform, Stack, U, api_case, doc, tls_deny
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

Build = Callable[[Stack, Platform, dict[str, str]], str]
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
METHOD = "aws:apigateway/method:Method"


def _bucket(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        bucket = p.bucket(name, found["data_key"], log_target=found["access_logs"])
        change(s, name)
        return bucket

    return build


def _public_bucket_policy(s: Stack, p: Platform, found: dict[str, str]) -> str:
    p.bucket("case-public", found["data_key"], log_target=found["access_logs"])
    arn = f"arn:aws:s3:::ap-case-public-{ACCOUNT}"
    policy = s.urn(BUCKET_POLICY, "case-public-policy")
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{arn}/*"}
    s.set(policy, "policy", doc(tls_deny("s3:*", [arn, f"{arn}/*"]), statement))
    return policy


def _scoped_queue_policy(s: Stack, p: Platform, found: dict[str, str]) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sqs:SendMessage",
        "Resource": "*",
        "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:ap-alarms"}},
    }
    return s.add(
        "aws:sqs/queuePolicy:QueuePolicy",
        "case-scoped-queue-policy",
        {"queueUrl": U, "policy": doc(statement)},
        {"queueUrl": [found["queue"]]},
    )


def _queue(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        queue, _ = p.queue_with_dlq(name, found["data_key"])
        change(s, s.urn(QUEUE_POLICY, f"{name}-policy"))
        return queue

    return build


def _topic_without_policy(s: Stack, p: Platform, found: dict[str, str]) -> str:
    topic = p.topic("case-open-topic", found["data_key"])
    s.remove(s.urn(TOPIC_POLICY, "case-open-topic-policy"))
    return topic


def _url(**inputs: object) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        name = f"case-url-{len(s.registrations())}"
        return s.add(
            "aws:lambda/functionUrl:FunctionUrl", name, {"functionName": U, **inputs}, {"functionName": [found["tool"]]}
        )

    return build


def _method(name: str, **inputs: object) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        base = {"restApi": U, "resourceId": U, "httpMethod": "GET", "requestValidatorId": U}
        deps = {"restApi": [found["api_api"]], "requestValidatorId": [found["api_validator"]]}
        merged = {k: v for k, v in {**base, **inputs}.items() if v is not None}
        return s.add(METHOD, name, merged, deps)

    return build


def _api_change(change: Callable[[Stack, dict[str, str]], str]) -> Build:
    return lambda s, p, found: change(s, found)


def _acl(name: str, change: Callable[[dict], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        acl = p.web_acl(name, found["api_stage"], found["logs_key"])
        change(s[acl].inputs)
        return acl

    return build


def _without_rule(group: str) -> Callable[[dict], None]:
    return lambda inputs: inputs.update(rules=[r for r in inputs["rules"] if r["name"] != group])


def _pool(name: str, change: Callable[[dict], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        pool = p.user_pool(name)
        change(s[pool].inputs)
        return pool

    return build


def _env(name: str, variables: dict[str, str]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        function = p.function(name, found["data_key"], found["logs_key"])
        s.set(function, "environment.variables", variables)
        return function

    return build


CASES = [
    clean("s3-bucket-public-access-block", "documents"),
    Case(
        "s3-bucket-public-access-block",
        "no public access block",
        _bucket("case-no-pab", lambda s, n: s.remove(s.urn(PAB, f"{n}-pab"))),
    ),
    Case(
        "s3-bucket-public-access-block",
        "public policies allowed",
        _bucket("case-pab-off", lambda s, n: s.set(s.urn(PAB, f"{n}-pab"), "blockPublicPolicy", False)),
        contains="blockPublicPolicy",
    ),
    clean("s3-bucket-tls-only", "documents"),
    Case(
        "s3-bucket-tls-only",
        "no bucket policy",
        _bucket("case-no-policy", lambda s, n: s.remove(s.urn(BUCKET_POLICY, f"{n}-policy"))),
    ),
    Case(
        "s3-bucket-tls-only",
        "policy without the TLS deny",
        _bucket(
            "case-no-tls",
            lambda s, n: s.set(
                s.urn(BUCKET_POLICY, f"{n}-policy"),
                "policy",
                doc({"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}),
            ),
        ),
    ),
    Case(
        "s3-bucket-tls-only",
        "policy unknown in preview",
        _bucket("case-unknown-policy", lambda s, n: s.set(s.urn(BUCKET_POLICY, f"{n}-policy"), "policy", U)),
        expect="clean",
    ),
    clean("s3-bucket-ownership-enforced", "documents"),
    Case(
        "s3-bucket-ownership-enforced",
        "ACLs enabled",
        _bucket(
            "case-acls", lambda s, n: s.set(s.urn(OWNERSHIP, f"{n}-ownership"), "rule.objectOwnership", "ObjectWriter")
        ),
    ),
    Case(
        "s3-bucket-ownership-enforced",
        "a bucket ACL resource",
        _bucket(
            "case-acl-resource",
            lambda s, n: s.add(
                "aws:s3/bucketAcl:BucketAcl",
                f"{n}-acl",
                {"bucket": U, "acl": "public-read"},
                {"bucket": [s.urn("aws:s3/bucket:Bucket", n)]},
            ),
        ),
    ),
    Case("resource-policy-no-public-access", "scoped to a source ARN", _scoped_queue_policy, expect="clean"),
    Case("resource-policy-no-public-access", "public read on objects", _public_bucket_policy, contains="everyone"),
    clean("messaging-tls-only", "queue"),
    clean("messaging-tls-only", "topic"),
    Case(
        "messaging-tls-only",
        "queue policy without TLS deny",
        _queue(
            "case-plain-queue",
            lambda s, policy: s.set(
                policy, "policy", doc({"Effect": "Deny", "Principal": "*", "Action": "sqs:PurgeQueue", "Resource": "*"})
            ),
        ),
    ),
    Case("messaging-tls-only", "topic without access policy", _topic_without_policy),
    clean("lambda-function-url-auth", "function_url"),
    Case("lambda-function-url-auth", "public URL", _url(authorizationType="NONE")),
    Case(
        "lambda-function-url-auth", "any CORS origin", _url(authorizationType="AWS_IAM", cors={"allowOrigins": ["*"]})
    ),
    clean("lambda-environment-no-secrets", "handler"),
    Case(
        "lambda-environment-no-secrets",
        "secret passed by ARN",
        _env("case-secret-arn", {"DB_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:x"}),
        expect="clean",
    ),
    Case(
        "lambda-environment-no-secrets",
        "literal password",
        _env("case-password", {"DB_PASSWORD": "hunter2"}),
        contains="DB_PASSWORD",
    ),
    Case(
        "lambda-environment-no-secrets",
        "access key value",
        _env("case-access-key", {"UPSTREAM": "AKIAABCDEFGHIJKLMNOP"}),
    ),
    clean("apigateway-method-authorization", "api_method"),
    clean("apigateway-method-authorization", "api_options"),
    Case("apigateway-method-authorization", "NONE", _method("case-open-get", authorization="NONE"), contains="NONE"),
    Case(
        "apigateway-method-authorization",
        "IAM in run",
        _method("case-iam-get", authorization="AWS_IAM"),
        contains="COGNITO_USER_POOLS",
    ),
    Case(
        "apigateway-method-authorization",
        "IAM in crawl",
        _method("case-crawl-iam-get", authorization="AWS_IAM"),
        stage="crawl",
        expect="clean",
    ),
    Case(
        "apigateway-method-authorization",
        "Cognito without authorizer",
        _method("case-no-authorizer", authorization="COGNITO_USER_POOLS"),
    ),
    clean("apigateway-request-validation", "api_method"),
    Case(
        "apigateway-request-validation",
        "no validator",
        _method("case-unvalidated", authorization="AWS_IAM", requestValidatorId=None),
        stage="crawl",
    ),
    Case(
        "apigateway-request-validation",
        "validator checks nothing",
        api_case(
            "case-validator-checks-nothing",
            lambda s, f: (
                s.set(f["api_validator"], "validateRequestBody", False),
                s.set(f["api_validator"], "validateRequestParameters", False),
                f["api_method"],
            )[-1],
        ),
    ),
    clean("apigateway-waf-protection", "api_stage"),
    Case(
        "apigateway-waf-protection",
        "stage without web ACL in run",
        api_case("case-stage-without-web-acl-in-run", lambda s, f: f["api_stage"]),
    ),
    Case(
        "apigateway-waf-protection",
        "no WAF needed in walk",
        lambda s, p, f: f["api_stage"],
        stage="walk",
        expect="not-applicable",
    ),
    clean("waf-web-acl-managed-rules", "web_acl"),
    Case(
        "waf-web-acl-managed-rules",
        "KnownBadInputs missing",
        _acl("case-no-log4j", _without_rule("AWSManagedRulesKnownBadInputsRuleSet")),
        contains="KnownBadInputs",
    ),
    Case(
        "waf-web-acl-managed-rules",
        "rule group only counts",
        _acl("case-count", lambda i: i["rules"][0].update(overrideAction={"count": {}})),
    ),
    Case(
        "waf-web-acl-managed-rules", "no rate limit", _acl("case-no-rate", _without_rule("rate")), contains="rate-based"
    ),
    Case(
        "apigateway-cache-encrypted",
        "cache without encryption",
        api_case(
            "case-cache-without-encryption",
            lambda s, f: (s.set(f["api_stage"], "cacheClusterEnabled", True), f["api_stage"])[-1],
        ),
    ),
    Case(
        "apigateway-cache-encrypted",
        "encrypted cache",
        api_case(
            "case-encrypted-cache",
            lambda s, f: (
                s.set(f["api_stage"], "cacheClusterEnabled", True),
                s.set(f["api_settings"], "settings.cacheDataEncrypted", True),
                f["api_stage"],
            )[-1],
        ),
        expect="clean",
    ),
    Case(
        "apigateway-cache-encrypted",
        "no cache at all",
        lambda s, p, f: f["api_stage"],
        stage="crawl",
        expect="not-applicable",
    ),
    clean("cognito-user-pool-password-policy", "api_pool"),
    Case(
        "cognito-user-pool-password-policy",
        "8 characters",
        _pool("case-short-pw", lambda i: i["passwordPolicy"].update(minimumLength=8.0)),
        contains="14",
    ),
    Case(
        "cognito-user-pool-password-policy",
        "no symbols",
        _pool("case-no-symbols", lambda i: i["passwordPolicy"].update(requireSymbols=False)),
    ),
    clean("cognito-user-pool-mfa", "api_pool"),
    Case("cognito-user-pool-mfa", "MFA off", _pool("case-mfa-off", lambda i: i.update(mfaConfiguration="OFF"))),
    Case(
        "cognito-user-pool-mfa",
        "optional in run",
        _pool("case-mfa-optional", lambda i: i.update(mfaConfiguration="OPTIONAL")),
    ),
    Case(
        "cognito-user-pool-mfa",
        "optional in walk",
        _pool("case-walk-optional", lambda i: i.update(mfaConfiguration="OPTIONAL")),
        stage="walk",
        expect="clean",
    ),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])
