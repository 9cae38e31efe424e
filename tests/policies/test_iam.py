"""IAM family: least privilege in identity, trust, resource and key policies (policies/iam.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.policies.builders import ACCOUNT, KEY_POLICY, Platform, Stack, U, allow, doc, trust
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def _role_policy(document: str) -> Callable[[Stack, Platform, dict[str, str]], str]:
    """A fresh role with one inline policy `document` (the target)."""

    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        name = f"case-{abs(hash(document)) % 10**8}"
        role = p.role(f"{name}-role")
        return p.role_policy(f"{name}-policy", role, document)

    return build


def _role(assume: str | None = None, **inputs: object) -> Callable[[Stack, Platform, dict[str, str]], str]:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        name = f"case-role-{abs(hash((assume, json.dumps(inputs, sort_keys=True)))) % 10**8}"
        return s.add(ROLE, name, {"name": name, "assumeRolePolicy": assume or trust("lambda.amazonaws.com"), **inputs})

    return build


def _attachment(arn: str) -> Callable[[Stack, Platform, dict[str, str]], str]:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        role = p.role(f"case-attached-{arn.rsplit('/', 1)[-1].lower()}")
        return s.add(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            f"case-attachment-{arn.rsplit('/', 1)[-1].lower()}",
            {"role": U, "policyArn": arn},
            {"role": [role]},
        )

    return build


def _permission(**inputs: object) -> Callable[[Stack, Platform, dict[str, str]], str]:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        name = f"case-permission-{abs(hash(json.dumps(inputs, sort_keys=True))) % 10**8}"
        base = {"action": "lambda:InvokeFunction", "function": "ap-tool", "principal": "events.amazonaws.com"}
        return s.add("aws:lambda/permission:Permission", name, {**base, **inputs}, {"function": [found["tool"]]})

    return build


def _key(**inputs: object) -> Callable[[Stack, Platform, dict[str, str]], str]:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        key = p.key(f"case-key-{abs(hash(json.dumps(inputs, sort_keys=True))) % 10**8}", **inputs)
        if inputs.get("policy") is None and "policy" in inputs:
            s.drop(key, "policy")
        return key

    return build


def _unknown_policy(s: Stack, p: Platform, found: dict[str, str]) -> str:
    role = p.role("case-unknown-doc-role")
    return p.role_policy("case-unknown-doc-policy", role, U, deps=[found["table"]])


def _public_queue_policy(s: Stack, p: Platform, found: dict[str, str]) -> str:
    statement = {"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}
    return s.add(
        "aws:sqs/queuePolicy:QueuePolicy",
        "case-queue-star-policy",
        {"queueUrl": U, "policy": doc(statement)},
        {"queueUrl": [found["queue"]]},
    )


def _shared_role(s: Stack, p: Platform, found: dict[str, str]) -> str:
    p.function("case-role-owner", found["data_key"], found["logs_key"])
    function = p.function("case-shared-role", found["data_key"], found["logs_key"])
    s[function].property_dependencies["role"] = [s.urn(ROLE, "case-role-owner-role")]
    return function


def _foreign_role(s: Stack, p: Platform, found: dict[str, str]) -> str:
    function = p.function("case-foreign-role", found["data_key"], found["logs_key"])
    s.drop(function, "role", prop="role")
    s.set(function, "role", f"arn:aws:iam::{ACCOUNT}:role/shared-admin")
    return function


ROOT = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}
PASS_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ap-worker"

CASES = [
    # iam-no-wildcard-actions
    clean("iam-no-wildcard-actions", "handler"),
    Case(
        "iam-no-wildcard-actions",
        "baseline orchestrator policy",
        lambda s, p, f: s.urn(ROLE_POLICY, "orchestrator-policy"),
        expect="clean",
    ),
    Case("iam-no-wildcard-actions", "Action *", _role_policy(doc(allow("*", "*"))), contains="Action '*'"),
    Case("iam-no-wildcard-actions", "service:*", _role_policy(doc(allow("s3:*", "arn:aws:s3:::b"))), contains="s3:*"),
    Case("iam-no-wildcard-actions", "pattern s3:Get*", _role_policy(doc(allow("s3:Get*", "arn:aws:s3:::b")))),
    Case("iam-no-wildcard-actions", "resource policy Allow sqs:*", _public_queue_policy),
    Case("iam-no-wildcard-actions", "unknown document in preview", _unknown_policy, expect="not-applicable"),
    # iam-no-wildcard-resources
    Case(
        "iam-no-wildcard-resources",
        "baseline orchestrator policy",
        lambda s, p, f: s.urn(ROLE_POLICY, "orchestrator-policy"),
        expect="clean",
    ),
    Case(
        "iam-no-wildcard-resources",
        "GetItem on *",
        _role_policy(doc(allow(["dynamodb:GetItem"], "*"))),
        contains="dynamodb:GetItem",
    ),
    Case("iam-no-wildcard-resources", "service-wide ARN", _role_policy(doc(allow(["s3:GetObject"], "arn:aws:s3:::*")))),
    Case("iam-no-wildcard-resources", "kms:Decrypt on every key", _role_policy(doc(allow(["kms:Decrypt"], "*")))),
    # iam-wildcard-resource-justified (advisory)
    Case(
        "iam-wildcard-resource-justified",
        "agent policy names its resources",
        lambda s, p, f: s.urn(ROLE_POLICY, "assistant-policy"),
        expect="clean",
    ),
    Case(
        "iam-wildcard-resource-justified",
        "xray on * is reported with its justification",
        _role_policy(doc(allow(["xray:PutTraceSegments"], "*", Sid="Tracing"))),
        contains="X-Ray has no resource-level permission",
    ),
    # iam-no-not-action-or-not-resource
    Case(
        "iam-no-not-action-or-not-resource",
        "baseline orchestrator policy",
        lambda s, p, f: s.urn(ROLE_POLICY, "orchestrator-policy"),
        expect="clean",
    ),
    Case(
        "iam-no-not-action-or-not-resource",
        "Allow NotAction",
        _role_policy(doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b"})),
        contains="NotAction",
    ),
    Case(
        "iam-no-not-action-or-not-resource",
        "Allow NotResource",
        _role_policy(doc({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})),
        contains="NotResource",
    ),
    # iam-pass-role-scoped
    Case(
        "iam-pass-role-scoped",
        "named role with iam:PassedToService",
        _role_policy(
            doc(
                allow(
                    "iam:PassRole",
                    PASS_ROLE,
                    Condition={"StringEquals": {"iam:PassedToService": "states.amazonaws.com"}},
                )
            )
        ),
        expect="clean",
    ),
    Case(
        "iam-pass-role-scoped",
        "PassRole on role/*",
        _role_policy(doc(allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/*"))),
    ),
    Case(
        "iam-pass-role-scoped",
        "PassRole without PassedToService",
        _role_policy(doc(allow("iam:PassRole", PASS_ROLE))),
        contains="PassedToService",
    ),
    # managed policies
    clean("iam-no-privileged-managed-policies", "handler"),
    Case(
        "iam-no-privileged-managed-policies",
        "role with AdministratorAccess",
        _role(managedPolicyArns=["arn:aws:iam::aws:policy/AdministratorAccess"]),
    ),
    Case(
        "iam-no-privileged-managed-policies",
        "attachment of AmazonBedrockFullAccess",
        _attachment("arn:aws:iam::aws:policy/AmazonBedrockFullAccess"),
    ),
    Case(
        "iam-no-aws-managed-policies",
        "inline policies only",
        lambda s, p, f: s.urn(ROLE, "orchestrator-role"),
        expect="clean",
    ),
    Case(
        "iam-no-aws-managed-policies",
        "attachment of ReadOnlyAccess",
        _attachment("arn:aws:iam::aws:policy/ReadOnlyAccess"),
    ),
    Case(
        "iam-no-aws-managed-policies",
        "service-role managed policy",
        _role(managedPolicyArns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]),
    ),
    # iam-trust-confused-deputy
    Case(
        "iam-trust-confused-deputy",
        "bedrock trust with SourceAccount and SourceArn",
        lambda s, p, f: s.urn(ROLE, "assistant-role"),
        expect="clean",
    ),
    Case(
        "iam-trust-confused-deputy",
        "lambda trust without SourceAccount",
        _role(doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})),
        contains="aws:SourceAccount",
    ),
    Case(
        "iam-trust-confused-deputy",
        "bedrock trust without SourceArn",
        _role(trust("bedrock.amazonaws.com")),
        contains="aws:SourceArn",
    ),
    Case(
        "iam-trust-confused-deputy",
        "anyone may assume",
        _role(doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})),
        contains="'*'",
    ),
    # lambda-permission-source-arn
    clean("lambda-permission-source-arn", "tool_permission"),
    Case("lambda-permission-source-arn", "service principal without sourceArn", _permission(), contains="sourceArn"),
    Case("lambda-permission-source-arn", "principal *", _permission(principal="*")),
    Case(
        "lambda-permission-source-arn",
        "s3 without sourceAccount",
        _permission(principal="s3.amazonaws.com", sourceArn="arn:aws:s3:::b"),
    ),
    Case("lambda-permission-source-arn", "public function URL", _permission(principal="*", functionUrlAuthType="NONE")),
    # lambda-function-unique-role
    clean("lambda-function-unique-role", "handler"),
    Case(
        "lambda-function-unique-role", "two functions share a role", _shared_role, contains="shares its execution role"
    ),
    Case("lambda-function-unique-role", "role outside the stack", _foreign_role, contains="not a role of this stack"),
    # kms-key-policy-least-privilege
    clean("kms-key-policy-least-privilege", "data_key"),
    Case(
        "kms-key-policy-least-privilege",
        "Principal * may decrypt",
        _key(policy=doc(ROOT, {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"})),
        contains="any principal",
    ),
    Case(
        "kms-key-policy-least-privilege",
        "kms:* to a role",
        _key(policy=doc(ROOT, {**ROOT, "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"}})),
        contains="only the account root",
    ),
    Case(
        "kms-key-policy-least-privilege",
        "service grant without condition",
        _key(
            policy=doc(
                ROOT,
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "kms:Decrypt",
                    "Resource": "*",
                },
            )
        ),
    ),
    Case(
        "kms-key-policy-least-privilege",
        "two accounts administer",
        _key(policy=doc(ROOT, {**ROOT, "Principal": {"AWS": "arn:aws:iam::999999999999:root"}})),
        contains="several accounts",
    ),
    Case("kms-key-policy-least-privilege", "no key policy", _key(policy=None), contains="no explicit key policy"),
    Case(
        "kms-key-policy-least-privilege",
        "lockout check bypassed",
        _key(policy=KEY_POLICY, bypassPolicyLockoutSafetyCheck=True),
    ),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])
