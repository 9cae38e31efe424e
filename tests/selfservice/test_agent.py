"""make new-agent: an entry appended to environments/<stage>.yaml, or a refusal that names the fix."""

from __future__ import annotations

import pytest
import yaml

from environments import load_environment
from selfservice import AnswerError, apply_changes
from selfservice.agent import new_agent
from selfservice.cli import main
from tests.selfservice.harness import AGENT, answers, snapshot


def test_the_entry_is_appended_and_the_rest_of_the_file_is_kept_byte_for_byte(project):
    # GIVEN the walk stage as the platform team wrote it
    path = project.stage_file("walk")
    original = path.read_text()

    # WHEN a team adds its agent
    apply_changes(new_agent(project, answers("agent", project, AGENT)))

    # THEN the file starts with exactly what was there (comments included) and ends with the new entry
    edited = path.read_text()
    assert edited.startswith(original)
    entry = yaml.safe_load(edited)["agents"][-1]
    assert entry == {
        "name": "billing-helper",
        "owner": "billing-team",
        "description": AGENT["DESCRIPTION"],
        "instruction": AGENT["INSTRUCTION"],
        "model_class": "light",
        "tools": ["ticket-lookup"],
        "knowledge_sources": ["support-handbook"],
        "guardrail_profile": "strict",
    }
    # AND the stage loads as the program will load it
    environment = load_environment(str(path))
    assert [a.name for a in environment.agents][-1] == "billing-helper"


def test_defaults_fill_what_a_team_leaves_out(project):
    # GIVEN only the required answers, on a stage with room
    given = {k: AGENT[k] for k in ("NAME", "OWNER", "DESCRIPTION", "INSTRUCTION")} | {"STAGE": "walk"}

    # WHEN the agent is rendered
    (change,) = new_agent(project, answers("agent", project, given))

    # THEN it is a light, baseline-guarded agent without tools or knowledge
    entry = yaml.safe_load(change.content)["agents"][-1]
    assert (entry["model_class"], entry["guardrail_profile"]) == ("light", "baseline")
    assert "tools" not in entry and "knowledge_sources" not in entry


REFUSALS = [
    # (answers changed, make variable blamed, what the message says)
    ({"NAME": "Billing_Helper"}, "NAME", "string should match pattern"),
    ({"NAME": "b"}, "NAME", "at least 2 characters"),
    ({"NAME": "support-assistant"}, "NAME", "stage walk already has an agent named support-assistant"),
    ({"STAGE": "prod"}, "STAGE", "no stage prod (environments/prod.yaml); known stages: crawl, run, walk"),
    ({"STAGE": "../walk"}, "STAGE", "no stage ../walk"),
    ({"STAGE": "crawl"}, "STAGE", "tier crawl allows at most 1 agent(s) and stage crawl has 1 (support-assistant)"),
    ({"TOOLS": "ticket-lookup,invoice-search"}, "TOOLS", "unknown tool invoice-search; available: public-holidays"),
    ({"KNOWLEDGE_SOURCES": "billing-docs"}, "KNOWLEDGE_SOURCES", "billing-docs not declared in environments/walk"),
    ({"INSTRUCTION": "Answer billing questions."}, "INSTRUCTION", "at least 40 characters"),
    ({"MODEL_CLASS": "medium"}, "MODEL_CLASS", "input should be 'light' or 'strong'"),
    ({"GUARDRAIL_PROFILE": "none"}, "GUARDRAIL_PROFILE", "input should be 'baseline' or 'strict'"),
    ({"OWNER": "billing team!"}, "OWNER", "string should match pattern"),
    ({"TOOLS": "ticket-lookup ticket-lookup"}, "TOOLS", "lists ticket-lookup more than once"),
]


@pytest.mark.parametrize(("change", "variable", "message"), REFUSALS, ids=[r[2][:40] for r in REFUSALS])
def test_an_invalid_answer_is_refused_with_its_fix_and_nothing_is_written(project, capsys, change, variable, message):
    # GIVEN one wrong answer
    before = snapshot(project.root)
    given = {**AGENT, **change}

    # WHEN `make new-agent` runs with it
    code = main(["agent", *[arg for k, v in given.items() for arg in ("--set", f"{k}={v}")]], project)

    # THEN it exits 2 naming the variable, the value, the problem and a fix, and writes nothing
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("make new-agent: new agent refused, nothing was written:\n")
    lines = err.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith((f"  {variable}=", f"  {variable}:")))
    assert message in lines[index]
    assert lines[index + 1].startswith("    fix: ")
    assert snapshot(project.root) == before


def test_every_problem_is_reported_at_once(project):
    # GIVEN three wrong answers
    given = {**AGENT, "NAME": "Bad_Name", "TOOLS": "nope", "KNOWLEDGE_SOURCES": "nothing"}

    # WHEN the agent is rendered, THEN all three are named
    with pytest.raises(AnswerError) as refused:
        new_agent(project, answers("agent", project, given))
    assert refused.value.answers == ["name", "tools", "knowledgeSources"]


def test_a_stage_file_that_is_not_a_block_list_is_refused_without_rewriting_it(project):
    # GIVEN a stage whose agents are written in flow style
    path = project.stage_file("walk")
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**data, "agents": data["agents"]}, default_flow_style=True))
    before = snapshot(project.root)

    # WHEN an agent is added, THEN it is refused with the file named, and the file is not re-dumped
    with pytest.raises(AnswerError, match=r"environments/walk.yaml: no top-level `agents:` block list"):
        new_agent(project, answers("agent", project, AGENT))
    assert snapshot(project.root) == before
