"""make new-stage: a stage file and a stack file that never fight over account singletons, or a refusal."""

from __future__ import annotations

import pytest
import yaml

from environments import load_environment
from selfservice import AnswerError, apply_changes
from selfservice.cli import main
from selfservice.stage import new_stage
from tests.selfservice.harness import STAGE, answers, snapshot


def created(project, **given):
    changes = new_stage(project, answers("stage", project, {**STAGE, **given}))
    apply_changes(changes)
    return {project.shown(c.path) for c in changes}


def test_a_sandbox_in_its_own_account_owns_its_singletons(project):
    # GIVEN only the required answers
    files = created(project)

    # THEN the stage file and the stack file exist
    assert files == {"environments/billing-sbx.yaml", "Pulumi.billing-sbx.yaml"}
    # AND the stage is crawl, in an account of its own whose singletons it owns, with one starter agent that
    # answers from the stage's own knowledge source
    environment = load_environment(str(project.stage_file("billing-sbx")))
    assert (environment.stage, environment.tier.value) == ("billing-sbx", "crawl")
    assert (environment.account.account_label, environment.owns_account_singletons) == ("billing-sbx", True)
    assert [a.name for a in environment.agents] == ["billing-sbx-assistant"]
    assert [k.name for k in environment.knowledge_sources] == ["billing-sbx-docs"]
    assert environment.agents[0].knowledge_sources == ("billing-sbx-docs",)
    assert environment.alarm_emails == ("billing-oncall@example.com",)
    # AND the stack deploys that environment file
    stack = yaml.safe_load(project.stack_file("billing-sbx").read_text())
    assert stack == {"config": {"aws:region": "us-east-1", "agent-platform:environment": "billing-sbx"}}
    # AND the file explains itself
    text = project.stage_file("billing-sbx").read_text()
    assert text.startswith("# billing-sbx: tier crawl - up to 1 agent(s) for internal users")
    assert "owner_stage: billing-sbx  # owns the singletons of account billing-sbx" in text


def test_a_stage_sharing_an_account_names_its_owner_and_inherits_label_and_region(project):
    # GIVEN a walk stage in the non-prod account, whose singletons crawl owns
    created(project, NAME="billing-walk", TIER="walk", OWNER_STAGE="crawl")

    # THEN it does not own them, and takes the owner's account label
    environment = load_environment(str(project.stage_file("billing-walk")))
    assert (environment.account.account_label, environment.account.owner_stage) == ("nonprod", "crawl")
    assert not environment.owns_account_singletons
    # AND walk's requirement of knowledge is met by a source of its own, which the starter agent uses
    assert [k.name for k in environment.knowledge_sources] == ["billing-walk-docs"]
    assert environment.agents[0].knowledge_sources == ("billing-walk-docs",)


def test_the_starter_agent_and_knowledge_take_the_answers(project):
    created(
        project,
        AGENT_NAME="billing-bot",
        AGENT_DESCRIPTION="Answers billing questions, politely.",
        KNOWLEDGE_SOURCE="billing-handbook",
        KNOWLEDGE_DESCRIPTION="The billing handbook: invoices, refunds, payment terms.",
        BUDGET="250.5",
    )
    environment = load_environment(str(project.stage_file("billing-sbx")))
    assert (environment.agents[0].name, environment.agents[0].knowledge_sources) == (
        "billing-bot",
        ("billing-handbook",),
    )
    assert environment.budget.monthly_limit_usd == 250.5


REFUSALS = [
    ({"NAME": "walk"}, "NAME", "stage walk exists already"),
    ({"NAME": "Billing_Sbx"}, "NAME", "string should match pattern"),
    ({"NAME": "billing-sandbox-01"}, "NAME", "at most 16 characters"),
    ({"TIER": "jog"}, "TIER", "input should be 'crawl', 'walk' or 'run'"),
    ({"ACCOUNT_LABEL": "nonprod"}, "ACCOUNT_LABEL", "account nonprod exists, and stage crawl owns its singletons"),
    ({"OWNER_STAGE": "walk"}, "OWNER_STAGE", "stage walk does not exist or does not own its account's singletons"),
    ({"OWNER_STAGE": "crawl", "REGION": "eu-west-1"}, "REGION", "account nonprod is deployed in us-east-1"),
    ({"OWNER_STAGE": "crawl", "ACCOUNT_LABEL": "prod"}, "ACCOUNT_LABEL", "owns the singletons of account nonprod"),
    ({"REGION": "Frankfurt"}, "REGION", "is not an AWS region name"),
    ({"ALARM_EMAILS": "oncall"}, "ALARM_EMAILS", "string should match pattern"),
    ({"BUDGET": "lots"}, "BUDGET", "input should be a valid number"),
    ({"BUDGET": "0"}, "BUDGET", "greater than 0"),
    ({"COST_CENTER": "cc#1"}, "COST_CENTER", "string should match pattern"),
    ({"AGENT_NAME": "Bot"}, "AGENT_NAME", "string should match pattern"),
    ({"AGENT_INSTRUCTION": "Be nice."}, "AGENT_INSTRUCTION", "at least 40 characters"),
    ({"KNOWLEDGE_SOURCE": "Docs"}, "KNOWLEDGE_SOURCE", "string should match pattern"),
]


@pytest.mark.parametrize(("change", "variable", "message"), REFUSALS, ids=[r[2][:40] for r in REFUSALS])
def test_an_invalid_answer_is_refused_with_its_fix_and_nothing_is_written(project, capsys, change, variable, message):
    # GIVEN one wrong answer
    before = snapshot(project.root)
    given = {**STAGE, **change}

    # WHEN `make new-stage` runs with it
    code = main(["stage", *[arg for k, v in given.items() for arg in ("--set", f"{k}={v}")]], project)

    # THEN it exits 2 naming the variable and a fix, and writes nothing
    lines = capsys.readouterr().err.splitlines()
    assert code == 2
    index = next(i for i, line in enumerate(lines) if line.startswith((f"  {variable}=", f"  {variable}:")))
    assert message in lines[index]
    assert lines[index + 1].startswith("    fix: ")
    assert snapshot(project.root) == before


def test_walk_and_run_refuse_a_stage_without_knowledge(project):
    with pytest.raises(AnswerError) as refused:
        new_stage(project, answers("stage", project, {**STAGE, "TIER": "walk", "KNOWLEDGE_SOURCE": "none"}))
    (problem,) = refused.value.problems
    assert (problem.label, problem.value) == ("KNOWLEDGE_SOURCE", "none")
    assert "tier walk grounds answers in knowledge" in problem.message


def test_crawl_may_go_without_knowledge(project):
    created(project, KNOWLEDGE_SOURCE="none")
    environment = load_environment(str(project.stage_file("billing-sbx")))
    assert environment.knowledge_sources == () and environment.agents[0].knowledge_sources == ()
