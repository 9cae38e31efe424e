"""The stage template: a team's own stage passes the policy pack, owning or sharing its account's singletons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selfservice.harness import STAGE, assert_compliant, preview, selfservice, stock
from tests.templates.pulumi_new import pulumi_new

pytestmark = pytest.mark.slow

SINGLETONS = {
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
    "aws:apigateway/account:Account",
}


@pytest.mark.parametrize(
    ("answers", "stock_stage", "owns"),
    [
        pytest.param({}, "crawl", True, id="own-account-crawl"),
        pytest.param({"NAME": "billing-walk", "TIER": "walk", "OWNER_STAGE": "crawl"}, "walk", False, id="shared-walk"),
        pytest.param({"KNOWLEDGE_SOURCE": "none"}, "crawl", True, id="crawl-without-knowledge"),
    ],
)
def test_make_new_stage_yields_a_stack_that_the_policy_pack_accepts(project, answers, stock_stage, owns):
    # GIVEN a new stage made by `make new-stage`'s renderer in a copy of the platform
    given = {**STAGE, **answers}
    made = selfservice(project, "stage", given)
    assert made.returncode == 0, made.stderr

    # WHEN its stack is previewed offline with the policy pack (the pack reads the new environment file too)
    result = preview(project.root, given["NAME"])

    # THEN it has its starter agent, owns the account singletons exactly when it should, and is compliant
    resources = {tuple(r) for r in result.get("resources", [])}
    assert ("agent-platform:agents:Agent", f"{given['NAME']}-{given['NAME']}-assistant-agent") in resources
    assert bool(SINGLETONS & {kind for kind, _ in resources}) is owns
    assert_compliant(result, stock(project, stock_stage))


def test_pulumi_new_stage_checks_the_answers_and_prints_the_make_command(project, tmp_path: Path):
    # GIVEN `pulumi new templates/stage` answered for a team's sandbox
    config = {
        "name": "billing-sbx",
        "owner": "billing-team",
        "costCenter": "cc-ai-3001",
        "alarmEmails": "a@example.com",
    }
    checker = pulumi_new(project.template_dir("stage"), tmp_path / "billing-sbx", stack="dev", config=config)

    # WHEN it is previewed, THEN it deploys nothing and says what `make new-stage` would write
    result = preview(project.root, "dev", project_dir=checker)
    assert "error" not in result, result.get("error")
    assert result["resources"] == []
    assert sorted(result["outputs"]["files"]) == ["Pulumi.billing-sbx.yaml", "environments/billing-sbx.yaml"]
    assert result["outputs"]["submit"] == (
        "make new-stage NAME=billing-sbx OWNER=billing-team COST_CENTER=cc-ai-3001 ALARM_EMAILS=a@example.com"
    )
