"""The pack as a whole: well-formed policies, each with compliant and non-compliant cases in the tests."""

from __future__ import annotations

import re

import jsonschema
import pytest
from pulumi_policy import EnforcementLevel, Policy, StackValidationPolicy

from policies.core.tags import FAMILIES, anchors_of, family_of
from policies.pack import POLICIES
from tests.policies import (
    test_encryption,
    test_exposure,
    test_governance,
    test_guardrails,
    test_iam,
    test_logging,
    test_models,
    test_operations,
)

ALL_CASES = [
    *test_iam.CASES,
    *test_encryption.CASES,
    *test_guardrails.CASES,
    *test_models.CASES,
    *test_logging.CASES,
    *test_exposure.CASES,
    *test_operations.CASES,
    *test_governance.CASES,
]
ADVISORY = {
    "iam-wildcard-resource-justified",
    "encryption-exceptions-reported",
    "policy-stage-resolved",
    "policy-documents-deferred-to-up",
}
# Policies whose threshold or tier behaviour is configurable must say so in a schema.
CONFIGURABLE = {
    "kms-key-rotation-enabled",
    "kms-key-deletion-window",
    "iam-no-aws-managed-policies",
    "iam-trust-confused-deputy",
    "kms-key-policy-least-privilege",
    "bedrock-guardrail-content-filters",
    "bedrock-guardrail-sensitive-information",
    "bedrock-guardrail-contextual-grounding",
    "log-group-retention",
    "sfn-state-machine-logging",
    "apigateway-method-authorization",
    "waf-web-acl-managed-rules",
    "cognito-user-pool-password-policy",
    "cognito-user-pool-mfa",
    "dynamodb-point-in-time-recovery",
    "deletion-protection",
    "lambda-runtime-supported",
    "lambda-function-limits",
    "secrets-manager-rotation",
    "required-cost-tags",
}


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_policy_is_complete(policy: Policy) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", policy.name)
    assert policy.description.rstrip(")").endswith(".") or policy.description.endswith(")")
    assert policy.severity is not None
    assert policy.remediation_steps
    assert family_of(policy) in FAMILIES
    expected = EnforcementLevel.ADVISORY if policy.name in ADVISORY else EnforcementLevel.MANDATORY
    assert policy.enforcement_level == expected
    assert (policy.config_schema is not None) == (policy.name in CONFIGURABLE), policy.name


@pytest.mark.parametrize("policy", [p for p in POLICIES if p.config_schema], ids=lambda p: p.name)
def test_every_config_schema_is_valid_json_schema(policy: Policy) -> None:
    # The engine checks config values against these schemas without re-checking the schemas themselves.
    schema = {"type": "object", "properties": policy.config_schema.properties}
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_policy_names_are_unique() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_policy_has_a_compliant_and_a_non_compliant_case(policy: Policy) -> None:
    expectations = {c.expect for c in ALL_CASES if c.policy == policy.name}
    assert "clean" in expectations, f"{policy.name} has no compliant case"
    assert "violation" in expectations, f"{policy.name} has no non-compliant case"


def test_cases_only_name_policies_of_the_pack() -> None:
    assert {c.policy for c in ALL_CASES} <= {p.name for p in POLICIES}


def test_stack_policies_are_the_graph_proofs() -> None:
    """CMK proofs need property dependencies, which only AnalyzeStack carries."""
    stack = {p.name for p in POLICIES if isinstance(p, StackValidationPolicy)}
    assert {n for n in (p.name for p in POLICIES) if n.endswith("-cmk-encryption")} <= stack


def test_anchor_ids_are_well_formed() -> None:
    pattern = re.compile(
        r"^(CKV2?_AWS_\d+|AwsSolutions-[A-Z0-9]+|Serverless-[A-Za-z]+|\[[A-Za-z0-9]+\.\d+\]|awsguard:[a-z0-9-]+|aws-[a-z0-9-]+)$"
    )
    for policy in POLICIES:
        for anchor in anchors_of(policy):
            assert pattern.match(anchor), f"{policy.name}: {anchor}"
