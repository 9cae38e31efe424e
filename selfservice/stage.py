"""A new stage: `environments/<name>.yaml` and `Pulumi.<name>.yaml`, on the crawl tier unless told otherwise.

Account-wide singletons (Bedrock model-invocation logging, the API Gateway account's CloudWatch role) exist
once per account and region. A stage in an account of its own owns them; a stage that shares an account names
the stage that owns them there, so two stacks never fight over them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import ValidationError

from environments import EnvironmentFileError, Tier, parse_environment, profile
from environments.schema import Environment
from selfservice.agent import check_entry, render_entry
from selfservice.changes import FileChange
from selfservice.errors import AnswerError, Problem
from selfservice.project import Project
from selfservice.prompts import Answers, split_list
from selfservice.rendering import jinja_environment, render_tree

KIND = "stage"
REGION = "aws:region"
NO_KNOWLEDGE = "none"
_REGION_PATTERN = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]")
# Where in the environment file each question lands (longest prefix of a validation error's location wins).
_QUESTIONS: dict[tuple[Any, ...], str] = {
    ("stage",): "name",
    ("tier",): "tier",
    ("owner",): "owner",
    ("cost_center",): "costCenter",
    ("account", "account_label"): "accountLabel",
    ("account", "owner_stage"): "ownerStage",
    ("alarm_emails",): "alarmEmails",
    ("budget",): "budget",
    ("knowledge_sources", 0, "name"): "knowledgeSource",
    ("knowledge_sources", 0, "description"): "knowledgeDescription",
}
_STARTER_QUESTIONS = {
    "name": "agentName",
    "owner": "owner",
    "description": "agentDescription",
    "instruction": "agentInstruction",
}
_HINTS = {
    "name": ("use 2 to 16 lowercase letters, digits and single hyphens, starting with a letter", "billing-sbx"),
    "tier": ("choose crawl, walk or run", "crawl"),
    "owner": ("use letters, digits, spaces and + - = . _ : / @", "billing-team"),
    "costCenter": ("use letters, digits, spaces and + - = . _ : / @", "cc-ai-1001"),
    "accountLabel": ("use 2 to 32 lowercase letters, digits and single hyphens, or leave it empty", "billing-sbx"),
    "ownerStage": ("name the stage that owns the account's singletons, or leave it empty", "crawl"),
    "alarmEmails": ("give 1 to 10 emails separated by commas", "team@example.com"),
    "budget": ("give a monthly amount in USD, more than 0 and at most 1000000", "100"),
    "knowledgeSource": ("use 2 to 32 lowercase letters, digits and single hyphens", "billing-docs"),
    "knowledgeDescription": ("say what the documents contain in 10 to 200 characters", None),
}


def new_stage(project: Project, answers: Answers) -> list[FileChange]:
    """The files of the new stage; AnswerError (nothing written) if the answers can't make a valid one."""
    name = answers["name"]
    owner_stage = answers["ownerStage"] or name
    data, problems = _environment(project, answers, owner_stage)
    if not _REGION_PATTERN.fullmatch(answers[REGION]):
        problems.append(
            answers.problem(REGION, "is not an AWS region name", f"e.g. {answers.example(REGION, 'us-east-1')}")
        )
    if name in project.stages() or project.stack_file(name).exists():
        problems.insert(
            0,
            answers.problem(
                "name",
                f"stage {name} exists already (environments/{name}.yaml or Pulumi.{name}.yaml)",
                "choose another name",
            ),
        )
    problems.extend(_account(project, answers, name, owner_stage))
    if problems:
        first_per_question = {p.answer: p for p in reversed(problems)}
        raise AnswerError(KIND, [p for p in problems if first_per_question[p.answer] is p])
    context = {
        **_tier_text(data["tier"]),
        "name": name,
        "tier": data["tier"],
        "owner": data["owner"],
        "cost_center": data["cost_center"],
        "account_label": data["account"]["account_label"],
        "owner_stage": owner_stage,
        "ownership": _ownership(name, owner_stage, data["account"]["account_label"]),
        "alarm_emails": data["alarm_emails"],
        "budget": data["budget"]["monthly_limit_usd"],
        "knowledge_source": _source_name(data),
        "knowledge_description": (data["knowledge_sources"] or [{"description": ""}])[0]["description"],
        "starter_agent": render_entry(project, data["agents"][0]).rstrip("\n"),
        "region": answers[REGION],
    }
    files = render_tree(jinja_environment(project.templates_dir), KIND, context, {"name": name})
    _validate(files, name, answers)
    return [FileChange(project.root / path, content, before=None) for path, content in files.items()]


def _environment(project: Project, answers: Answers, owner_stage: str) -> tuple[dict[str, Any], list[Problem]]:
    """The environment data the answers describe, and what the schema refuses in it, per question."""
    name = answers["name"]
    problems: list[Problem] = []
    try:
        budget: float | str = float(answers["budget"])
        budget = int(budget) if budget.is_integer() else budget
    except ValueError:
        budget = answers["budget"]  # the schema names it below
    source = answers["knowledgeSource"] or f"{name}-docs"
    if source == NO_KNOWLEDGE:
        source = ""  # walk and run refuse it below: they ground answers in knowledge
    knowledge = [{"name": source, "description": " ".join(answers["knowledgeDescription"].split())}]
    starter = {
        "name": answers["agentName"] or f"{name}-assistant",
        "owner": answers["owner"],
        "description": " ".join(answers["agentDescription"].split()),
        "instruction": " ".join(answers["agentInstruction"].split()),
        "model_class": "light",
        "tools": [],
        "knowledge_sources": [source] if source else [],
        "guardrail_profile": "baseline",
    }
    problems.extend(check_entry(starter, answers, _STARTER_QUESTIONS))
    label = answers["accountLabel"] or _owner_label(project, owner_stage) or name
    data = {
        "stage": name,
        "tier": answers["tier"],
        "owner": answers["owner"],
        "cost_center": answers["costCenter"],
        "account": {"account_label": label, "owner_stage": owner_stage},
        "alarm_emails": split_list(answers["alarmEmails"]),
        "budget": {"monthly_limit_usd": budget},
        "knowledge_sources": knowledge if source else [],
        "agents": [starter],
    }
    try:
        Environment.model_validate(data)
    except ValidationError as error:
        seen = {p.answer for p in problems}
        for detail in error.errors():
            key = _question(tuple(detail["loc"]), str(detail["msg"]))
            if key is None or key in seen:
                continue
            seen.add(key)
            hint, example = _HINTS.get(key, ("correct the answer", None))
            problems.append(answers.refusal(key, str(detail["msg"]), answers.fix(key, hint, example)))
    return data, problems


def _source_name(data: Mapping[str, Any]) -> str:
    return data["knowledge_sources"][0]["name"] if data["knowledge_sources"] else ""


def _question(loc: tuple[Any, ...], message: str) -> str | None:
    if not loc:  # a rule across fields names its field first: "knowledge_sources: tier walk grounds ..."
        loc = (message.removeprefix("Value error, ").partition(":")[0], 0, "name")
    for length in range(len(loc), 0, -1):
        if loc[:length] in _QUESTIONS:
            return _QUESTIONS[loc[:length]]
    return None


def _stages(project: Project) -> dict[str, Mapping[str, Any]]:
    """The other stages' data, as far as it reads (a broken file is its own pull request's problem)."""
    loaded = {stage: project.read_yaml(project.stage_file(stage)) for stage in project.stages()}
    return {stage: data for stage, data in loaded.items() if isinstance(data, dict)}


def _account_of(data: Mapping[str, Any]) -> Mapping[str, Any]:
    account = data.get("account")
    return account if isinstance(account, dict) else {}


def _owner_label(project: Project, owner_stage: str) -> str | None:
    data = _stages(project).get(owner_stage)
    return _account_of(data).get("account_label") if data else None


def _account(project: Project, answers: Answers, name: str, owner_stage: str) -> list[Problem]:
    """No two stages own the singletons of one account; a sharing stage names the owner and its region."""
    stages = _stages(project)
    if owner_stage == name:
        label = answers["accountLabel"] or name
        owners = sorted(
            s
            for s, data in stages.items()
            if _account_of(data).get("account_label") == label and _account_of(data).get("owner_stage") == s
        )
        if not owners:
            return []
        return [
            answers.problem(
                "accountLabel",
                f"account {label} exists, and stage {owners[0]} owns its singletons (Bedrock model-invocation "
                "logging, API Gateway account role); a second owner would fight over them",
                f"share the account with {answers.example('ownerStage', owners[0])}, or deploy to an account of "
                f"your own: leave {answers.label('accountLabel')} empty or give a new label",
            )
        ]
    owner = stages.get(owner_stage)
    if owner is None or _account_of(owner).get("owner_stage") != owner_stage:
        owning = sorted(s for s, data in stages.items() if _account_of(data).get("owner_stage") == s)
        return [
            answers.problem(
                "ownerStage",
                f"stage {owner_stage} does not exist or does not own its account's singletons "
                f"(stages that own theirs: {', '.join(owning) or 'none'})",
                f"name one of those to share its account, or leave {answers.label('ownerStage')} empty for an "
                "account of your own",
            )
        ]
    label = _account_of(owner).get("account_label")
    problems = []
    if answers["accountLabel"] and answers["accountLabel"] != label:
        problems.append(
            answers.problem(
                "accountLabel",
                f"stage {owner_stage} owns the singletons of account {label}, not {answers['accountLabel']}",
                f"leave it empty or give {answers.example('accountLabel', str(label))}",
            )
        )
    region = ((project.read_yaml(project.stack_file(owner_stage)) or {}).get("config") or {}).get(REGION)
    if region and region != answers[REGION]:
        problems.append(
            answers.problem(
                REGION,
                f"account {label} is deployed in {region} (stage {owner_stage}), and singletons are per region",
                f"use {answers.example(REGION, region)}, or an account of your own",
            )
        )
    return problems


def _tier_text(tier: str) -> dict[str, str]:
    try:
        t = profile(Tier(tier))
    except ValueError:
        return {"tier_summary": ""}
    extras = [("WAF", t.waf), ("grounded-agent workflow", t.workflow), ("async work", t.async_work)]
    parts = [
        f"up to {t.max_agents} agent(s) for {t.audience}",
        f"{t.api_auth.label} API auth",
        *(label for label, on in extras if on),
        f"{t.log_retention_days}-day logs",
    ]
    return {"tier_summary": ", ".join(parts)}


def _ownership(name: str, owner_stage: str, label: str) -> str:
    if owner_stage == name:
        return f"owns the singletons of account {label}: model-invocation logging, API Gateway account role"
    return f"stage {owner_stage} owns the singletons of account {label}; this stage shares them"


def _validate(files: dict[str, str], name: str, answers: Answers) -> None:
    """The rendered files, exactly as the program and the engine will read them."""
    source = f"environments/{name}.yaml"
    try:
        parse_environment(yaml.safe_load(files[source]), source)
    except EnvironmentFileError as error:
        raise AnswerError(KIND, [answers.problem("name", str(error), "fix the answers")]) from None
    stack = yaml.safe_load(files[f"Pulumi.{name}.yaml"])
    if stack["config"] != {REGION: answers[REGION], "agent-platform:environment": name}:
        raise RuntimeError(f"templates/stage renders an unexpected Pulumi.{name}.yaml: {stack}")
