"""The questions come from templates/<kind>/Pulumi.yaml, for `make` and `pulumi new` alike."""

from __future__ import annotations

import pytest

from selfservice import KINDS, AnswerError, Project, collect_answers, load_prompts, make_var

KIND_NAMES = sorted(KINDS)


@pytest.mark.parametrize(
    ("key", "variable"),
    [
        ("name", "NAME"),
        ("modelClass", "MODEL_CLASS"),
        ("knowledgeSources", "KNOWLEDGE_SOURCES"),
        ("aws:region", "REGION"),
        ("agent-platform:environment", "STAGE"),
    ],
)
def test_questions_are_make_variables_in_upper_snake_case(key, variable):
    assert make_var(key) == variable


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_question_has_its_own_make_variable(kind):
    # GIVEN a template's questions
    prompts = load_prompts(Project().template_dir(kind))

    # THEN each is described, and no two share a make variable
    assert prompts and all(p.description for p in prompts)
    variables = [p.make_var for p in prompts]
    assert len(set(variables)) == len(variables)


def test_answers_may_name_a_question_by_its_key_or_make_variable_and_defaults_fill_the_rest():
    # GIVEN the agent questions, answered partly by key, partly by make variable, one left empty
    prompts = load_prompts(Project().template_dir("agent"))
    given = {"NAME": "x-agent", "owner": "team", "DESCRIPTION": "d", "instruction": "i", "MODEL_CLASS": ""}

    # WHEN they are collected
    answers = collect_answers("agent", prompts, given, make_var, ignored=KINDS["agent"].sandbox_only)

    # THEN every question has an answer: given, or its default (an empty answer means the default)
    assert answers["name"] == "x-agent" and answers["owner"] == "team"
    assert answers["modelClass"] == "light"
    assert answers["agent-platform:environment"] == "crawl"
    assert answers["tools"] == ""
    assert "aws:region" not in answers.values  # a sandbox-only question


def test_unknown_and_missing_answers_are_refused_together_with_their_fix():
    # GIVEN a typo (TOOL for TOOLS), a sandbox-only question, and no NAME/OWNER/DESCRIPTION/INSTRUCTION
    prompts = load_prompts(Project().template_dir("agent"))
    given = {"TOOL": "ticket-lookup", "REGION": "eu-west-1"}

    # WHEN they are collected
    with pytest.raises(AnswerError) as refused:
        collect_answers("agent", prompts, given, make_var, ignored=KINDS["agent"].sandbox_only)

    # THEN every problem is named at once, with a way out
    message = str(refused.value)
    assert message.startswith("new agent refused, nothing was written:")
    assert "TOOL='ticket-lookup': the agent template has no such question\n    fix: did you mean TOOLS?" in message
    assert "REGION='eu-west-1': the agent template has no such question" in message
    for variable in ("NAME", "OWNER", "DESCRIPTION", "INSTRUCTION"):
        assert f"\n  {variable}: is required and has no default\n    fix: give it as {variable}=..." in message
    assert set(refused.value.answers) >= {"TOOL", "name", "owner", "description", "instruction"}
