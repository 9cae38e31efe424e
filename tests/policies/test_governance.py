"""Governance family: no unregistered type, a resolved stage, reported preview deferrals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policies.builders import Platform, Stack, U
from tests.policies.cases import Case, Outcome, check, ids, run_cases
from tests.policies.harness import PackSession

Build = Callable[[Stack, Platform, dict[str, str]], str]


def _unregistered(s: Stack, p: Platform, found: dict[str, str]) -> str:
    return s.add("aws:ec2/instance:Instance", "case-instance", {"instanceType": "t3.micro", "ami": "ami-1"})


def _unknown_document(s: Stack, p: Platform, found: dict[str, str]) -> str:
    role = p.role("case-deferred-role")
    return p.role_policy("case-deferred-policy", role, U, deps=[found["table"]])


CASES = [
    Case("resource-type-registered", "a registered type", lambda s, p, f: f["table"], expect="clean"),
    Case(
        "resource-type-registered",
        "an EC2 instance nobody registered",
        _unregistered,
        contains="policies/core/registry.py",
    ),
    Case("policy-stage-resolved", "the environment loads", lambda s, p, f: "", stage="crawl", expect="clean"),
    Case(
        "policy-stage-resolved",
        "no environment in the stack config",
        lambda s, p, f: "",
        stage="unresolved",
        contains="strictest",
    ),
    Case(
        "policy-documents-deferred-to-up",
        "known documents",
        lambda s, p, f: s.urn("aws:iam/rolePolicy:RolePolicy", "orchestrator-policy"),
        expect="clean",
    ),
    Case("policy-documents-deferred-to-up", "a document unknown in preview", _unknown_document, contains="pulumi up"),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])


def test_an_unresolved_stage_is_judged_by_the_run_tier(outcomes: dict[str, Outcome]) -> None:
    # GIVEN no environment in the stack config (CASES' unresolved stage)
    report = next(o.report for c, o in outcomes.items() if "[unresolved]" in c)
    # THEN tier-gated run policies apply (not "not applicable") and the stage owns the singletons
    assert "deletion-protection" not in report.not_applicable
    assert "apigateway-waf-protection" not in report.not_applicable
    assert "bedrock-model-invocation-logging" in report.evaluated
