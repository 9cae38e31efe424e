"""The three things a team can create, how each is created, and what to do next."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from selfservice.changes import FileChange
from selfservice.project import Project
from selfservice.prompts import Answers, Prompt, make_var


@dataclass(frozen=True)
class Kind:
    name: str
    sandbox_only: tuple[str, ...]  # questions only the `pulumi new` project uses; `make` refuses them
    create: Callable[[Project, Answers], list[FileChange]]
    next_steps: Callable[[Answers], list[str]]
    explicit: tuple[str, ...] = ()  # questions `make_command` spells out even when they have the default


def _create_agent(project: Project, answers: Answers) -> list[FileChange]:
    from selfservice.agent import new_agent

    return new_agent(project, answers)


def _create_tool(project: Project, answers: Answers) -> list[FileChange]:
    from selfservice.tool import new_tool  # imports the Pulumi program's components: only when needed

    return new_tool(project, answers)


def _create_stage(project: Project, answers: Answers) -> list[FileChange]:
    from selfservice.stage import new_stage

    return new_stage(project, answers)


KINDS = {
    "agent": Kind(
        "agent",
        ("aws:region", "platformDir"),
        _create_agent,
        lambda a: [
            f"make preview STAGE={a['agent-platform:environment']}   # offline preview, policy pack included",
            "then open a pull request: CI previews every stage with the policy pack",
        ],
        explicit=("agent-platform:environment",),
    ),
    "tool": Kind(
        "tool",
        ("platformDir",),
        _create_tool,
        lambda a: [
            "write the tool's logic in repository.py and api.py; make test runs its generated tests",
            f"give it to an agent: make new-agent ... TOOLS={a['name']} (or add it to an entry's tools)",
        ],
    ),
    "stage": Kind(
        "stage",
        ("platformDir",),
        _create_stage,
        lambda a: [
            f"make preview STAGE={a['name']}   # offline preview, policy pack included",
            f"then open a pull request; it deploys with `pulumi stack init {a['name']}` and "
            "`pulumi up --policy-pack policies`",
        ],
    ),
}


def make_command(kind: str, prompts: tuple[Prompt, ...], answers: Answers) -> str:
    """The `make new-<kind>` command that gives these answers (defaults left out)."""
    skipped, explicit = set(KINDS[kind].sandbox_only), set(KINDS[kind].explicit)
    words = [
        f"{make_var(p.key)}={shlex.quote(answers[p.key])}"
        for p in prompts
        if p.key not in skipped and (p.key in explicit or answers[p.key] != (p.default or ""))
    ]
    return " ".join([f"make new-{kind}", *words])
