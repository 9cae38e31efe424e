"""A new agent: one entry appended to `environments/<stage>.yaml`, submitted as a pull request.

The platform stack owns the CMKs, guardrails, tool roles and the API, and the policy pack proves "encrypted
with a CMK of this stack" through the resource graph; an agent therefore joins a stage of this project rather
than becoming a stack of its own (README "Self-service").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import ValidationError

from environments import EnvironmentFileError, Tier, parse_environment, profile
from environments.schema import Agent as AgentSpec
from environments.schema import Environment
from selfservice.changes import FileChange
from selfservice.errors import AnswerError, Problem
from selfservice.project import Project
from selfservice.prompts import Answers, split_list
from selfservice.rendering import jinja_environment, render
from selfservice.yaml_edit import EditError, append_list_item

KIND = "agent"
STAGE = "agent-platform:environment"
ENTRY_TEMPLATE = "agent/files/agent.yaml.j2"
# Agent field -> the question that answers it in templates/agent/Pulumi.yaml.
QUESTIONS = {
    "name": "name",
    "owner": "owner",
    "description": "description",
    "instruction": "instruction",
    "model_class": "modelClass",
    "tools": "tools",
    "knowledge_sources": "knowledgeSources",
    "guardrail_profile": "guardrailProfile",
}
_HINTS = {
    "name": ("use 2 to 32 lowercase letters, digits and single hyphens, starting with a letter", "billing-helper"),
    "owner": ("use letters, digits, spaces and + - = . _ : / @, at most 128 characters", "billing-team"),
    "description": ("say what the agent does in 10 to 200 characters", None),
    "instruction": ("give its role, what it may use and what it must never do, in 40 to 4000 characters", None),
    "model_class": ("choose light or strong", "light"),
    "tools": ("list tool names separated by commas", "ticket-lookup,ticket-create"),
    "knowledge_sources": ("list knowledge source names separated by commas", "support-handbook"),
    "guardrail_profile": ("choose baseline or strict", "strict"),
}


def entry_from(answers: Answers) -> dict[str, Any]:
    """The environment-file entry the agent template's answers describe."""
    return {
        "name": answers["name"],
        "owner": answers["owner"],
        "description": " ".join(answers["description"].split()),
        "instruction": " ".join(answers["instruction"].split()),
        "model_class": answers["modelClass"],
        "tools": split_list(answers["tools"]),
        "knowledge_sources": split_list(answers["knowledgeSources"]),
        "guardrail_profile": answers["guardrailProfile"],
    }


def check_entry(entry: Mapping[str, Any], answers: Answers, questions: Mapping[str, str]) -> list[Problem]:
    """The entry against the environment schema, each error blamed on the question that answered the field."""
    try:
        AgentSpec.model_validate(entry)
    except ValidationError as error:
        problems: dict[str, Problem] = {}
        for detail in error.errors():
            field = str(detail["loc"][0])
            key = questions.get(field)
            if key is None or key in problems:
                continue
            item = f"{detail['input']!r}: " if len(detail["loc"]) > 1 else ""
            hint, example = _HINTS[field]
            problems[key] = answers.refusal(key, str(detail["msg"]), answers.fix(key, hint, example), item)
        return list(problems.values())
    return []


def render_entry(project: Project, entry: Mapping[str, Any]) -> str:
    """The entry as YAML text (unindented list item), checked to read back as exactly the entry."""
    text = render(jinja_environment(project.templates_dir), ENTRY_TEMPLATE, entry)
    expected = {key: value for key, value in entry.items() if value != []}
    if yaml.safe_load(text) != [expected]:
        raise RuntimeError(f"{ENTRY_TEMPLATE} does not render the entry faithfully: {text!r}")
    return text


def new_agent(project: Project, answers: Answers) -> list[FileChange]:
    """The change that adds the agent to its stage; AnswerError (nothing written) if the answers can't."""
    entry = entry_from(answers)
    problems = check_entry(entry, answers, QUESTIONS)
    stage, data, text = _stage(project, answers, problems)
    problems.extend(_references(project, answers, entry, stage, data))
    agents = [a.get("name") for a in data.get("agents") or [] if isinstance(a, dict)]
    if entry["name"] in agents:
        problems.append(
            answers.problem(
                "name",
                f"stage {stage} already has an agent named {entry['name']}",
                f"choose another name, or change the existing entry in environments/{stage}.yaml",
            ),
        )
    problems.extend(_tier_room(answers, stage, data, agents))
    if problems:
        raise AnswerError(KIND, problems)
    path = project.stage_file(stage)
    try:
        edited = append_list_item(text, "agents", render_entry(project, entry))
    except EditError as error:
        fix = "write `agents:` as a block list (one `- name: ...` item per agent) and run again, or edit it by hand"
        raise AnswerError(KIND, [answers.problem(STAGE, f"{project.shown(path)}: {error}", fix)]) from None
    _validate(yaml.safe_load(edited), project.shown(path), answers)
    return [FileChange(path, edited, before=text)]


def sandbox_environment(project: Project, answers: Answers) -> Environment:
    """The stage of the answers with the new agent as its only agent (the `pulumi new` sandbox deploys it)."""
    entry = entry_from(answers)
    problems = check_entry(entry, answers, QUESTIONS)
    stage, data, _ = _stage(project, answers, problems)
    problems.extend(_references(project, answers, entry, stage, data))
    if problems:
        raise AnswerError(KIND, problems)
    return _validate({**data, "agents": [entry]}, f"environments/{stage}.yaml with agent {entry['name']}", answers)


def _stage(project: Project, answers: Answers, problems: list[Problem]) -> tuple[str, dict[str, Any], str]:
    """The stage file the agent joins; refuses (with the problems found so far) when it can't be read."""
    stage = answers[STAGE]
    path = project.stage_file(stage)
    if stage not in project.stages():
        known = ", ".join(project.stages()) or "none"
        problems.append(
            answers.problem(
                STAGE,
                f"no stage {stage} (environments/{stage}.yaml); known stages: {known}",
                f"choose one of them, or create yours first with `make new-stage NAME={stage}`",
            )
        )
        raise AnswerError(KIND, problems)
    text = path.read_text(encoding="utf-8")
    data = project.read_yaml(path)
    if not isinstance(data, dict):
        problems.append(answers.problem(STAGE, f"{project.shown(path)} is not a YAML mapping", "fix that file first"))
        raise AnswerError(KIND, problems)
    return stage, data, text


def _references(
    project: Project, answers: Answers, entry: Mapping[str, Any], stage: str, data: Mapping[str, Any]
) -> list[Problem]:
    problems = []
    tools = project.tools()
    unknown = [t for t in entry["tools"] if t not in tools]
    if unknown:
        problems.append(
            answers.problem(
                "tools",
                f"unknown tool {', '.join(unknown)}; available: {', '.join(sorted(tools)) or 'none'}",
                f"choose from them, or create it first with `make new-tool NAME={unknown[0]}`",
            )
        )
    declared = {k.get("name") for k in data.get("knowledge_sources") or [] if isinstance(k, dict)}
    undeclared = [k for k in entry["knowledge_sources"] if k not in declared]
    if undeclared:
        problems.append(
            answers.problem(
                "knowledgeSources",
                f"{', '.join(undeclared)} not declared in environments/{stage}.yaml "
                f"(declared: {', '.join(sorted(declared)) or 'none'})",
                "choose from the declared ones, or declare the source under knowledge_sources in a pull request first",
            )
        )
    return problems


def _tier_room(answers: Answers, stage: str, data: Mapping[str, Any], agents: list[Any]) -> list[Problem]:
    try:
        tier = profile(str(data.get("tier")))
    except ValueError:
        return []  # the full validation below names the broken tier
    if len(agents) < tier.max_agents:
        return []
    roomier = ", ".join(f"{t.value}: {profile(t).max_agents}" for t in Tier if profile(t).max_agents > tier.max_agents)
    return [
        answers.problem(
            STAGE,
            f"tier {tier.tier.value} allows at most {tier.max_agents} agent(s) and stage {stage} has "
            f"{len(agents)} ({', '.join(map(str, agents))})",
            f"choose a stage on a tier with room ({roomier}), or create your own stage with `make new-stage`",
        )
    ]


def _validate(data: dict[str, Any], source: str, answers: Answers) -> Environment:
    """The whole resulting file, exactly as the program will load it."""
    try:
        return parse_environment(data, source)
    except EnvironmentFileError as error:
        raise AnswerError(KIND, [answers.problem(STAGE, str(error), "fix the stage file or the answers")]) from None
