"""The agent template, both ways a team uses it, through the offline engine and the policy pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.selfservice.harness import AGENT, assert_compliant, link_virtualenv, make_args, preview, run, stock
from tests.templates.pulumi_new import pulumi_new

pytestmark = pytest.mark.slow

SANDBOX_ANSWERS = {
    "name": "billing-helper",
    "owner": "billing-team",
    "description": AGENT["DESCRIPTION"],
    "instruction": AGENT["INSTRUCTION"],
    "tools": "ticket-lookup",
    "knowledgeSources": "support-handbook",
    "guardrailProfile": "strict",
}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_new_agent_adds_an_agent_that_the_policy_pack_accepts(project):
    # GIVEN a copy of the platform whose make uses the repository's virtualenv
    link_virtualenv(project)
    original = project.stage_file("walk").read_text()

    # WHEN a team runs `make new-agent` for the walk stage
    made = run(["make", "-o", ".venv/bin/.installed", "new-agent", *make_args(AGENT)], project.root)
    assert made.returncode == 0, made.stderr

    # THEN the walk stage, previewed offline with the policy pack, has the agent with its tool, knowledge and
    # strict guardrail, and no mandatory violation
    result = preview(project.root, "walk")
    resources = {tuple(r) for r in result.get("resources", [])}
    assert ("agent-platform:agents:Agent", "walk-billing-helper-agent") in resources
    assert ("agent-platform:orchestration:Workflow", "walk-billing-helper-workflow") in resources
    assert ("agent-platform:security:Guardrail", "walk-strict-guardrail") in resources
    assert_compliant(result, stock(project, "walk", original))


def test_pulumi_new_agent_is_a_sandbox_of_the_stage_that_the_policy_pack_accepts(project, tmp_path: Path):
    # GIVEN `pulumi new <platform>/templates/agent` run next to the platform checkout, with its answers
    sandbox = pulumi_new(
        project.template_dir("agent"), tmp_path / "billing-sandbox", stack="dev", config=SANDBOX_ANSWERS
    )

    # WHEN the sandbox is previewed with the platform's policy pack
    result = preview(project.root, "dev", project_dir=sandbox)

    # THEN it deploys the crawl stage's infrastructure with the new agent as its only agent
    assert "error" not in result, result.get("error")
    agents = [name for kind, name in result["resources"] if kind == "agent-platform:agents:Agent"]
    assert agents == ["crawl-billing-helper-agent"]
    # AND it says how to submit the agent to the platform
    assert result["outputs"]["stage"] == "crawl"
    assert result["outputs"]["submit"].startswith("make new-agent STAGE=crawl NAME=billing-helper OWNER=billing-team ")
    assert "TOOLS=ticket-lookup" in result["outputs"]["submit"]
    # AND its function code is addressed inside the platform checkout, where the Pulumi CLI can read it
    assert result["assetPaths"]
    assert all(Path(p).is_absolute() and Path(p).is_file() for p in result["assetPaths"])
    assert all(Path(p).is_relative_to(project.root) for p in result["assetPaths"])
    assert_compliant(result, stock(project, "crawl"))


def test_a_sandbox_with_a_wrong_answer_stops_before_any_resource_and_says_how_to_fix_it(project, tmp_path: Path):
    # GIVEN a sandbox whose tools answer names a tool the platform does not have
    answers = {**SANDBOX_ANSWERS, "tools": "ticket-lookup,invoice-search"}
    sandbox = pulumi_new(project.template_dir("agent"), tmp_path / "billing-sandbox", stack="dev", config=answers)

    # WHEN it is previewed, THEN the program fails with the question, the problem and the fix
    error = preview(project.root, "dev", project_dir=sandbox)["error"]
    assert "tools='ticket-lookup,invoice-search': unknown tool invoice-search" in error
    assert "pulumi config set" in error


def test_a_sandbox_outside_the_platform_layout_says_where_to_point_it(project, tmp_path: Path):
    # GIVEN a sandbox created somewhere else than next to the platform checkout
    answers = {**SANDBOX_ANSWERS, "platformDir": "../nowhere"}
    sandbox = pulumi_new(project.template_dir("agent"), tmp_path / "billing-sandbox", stack="dev", config=answers)

    # WHEN it is previewed, THEN it names the setting to fix
    assert "pulumi config set platformDir" in preview(project.root, "dev", project_dir=sandbox)["error"]
