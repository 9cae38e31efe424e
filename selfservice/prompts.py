"""The questions a template asks: `template.config` of `templates/<kind>/Pulumi.yaml`, for every front end.

`pulumi new` prompts them (descriptions, defaults) and stores the answers as stack config; `make new-<kind>`
takes them as make variables in UPPER_SNAKE_CASE (`modelClass` -> `MODEL_CLASS`, `aws:region` -> `REGION`).
Both go through `collect_answers`, so a question exists, is required or has a default in one place only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from selfservice.errors import AnswerError, Problem

# make variables that don't follow from the key: the stage an agent joins is the platform's own config key.
MAKE_ALIASES = {"agent-platform:environment": "STAGE"}


@dataclass(frozen=True)
class Prompt:
    key: str
    description: str
    default: str | None  # None: the question must be answered

    @property
    def make_var(self) -> str:
        return make_var(self.key)


def make_var(key: str) -> str:
    """`modelClass` -> `MODEL_CLASS`; `aws:region` -> `REGION`; `agent-platform:environment` -> `STAGE`."""
    if key in MAKE_ALIASES:
        return MAKE_ALIASES[key]
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key.rpartition(":")[2]).upper()


def load_prompts(template_dir: Path) -> tuple[Prompt, ...]:
    """The `template.config` questions of a template directory, in file order."""
    project = yaml.safe_load((template_dir / "Pulumi.yaml").read_text(encoding="utf-8"))
    config = project["template"]["config"]
    return tuple(
        Prompt(key, spec["description"], None if spec.get("default") is None else str(spec["default"]))
        for key, spec in config.items()
    )


@dataclass(frozen=True)
class Answers:
    """The answers to one template, defaults filled in; `label` names a question the way the user gave it."""

    kind: str
    values: Mapping[str, str]
    label: Callable[[str], str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def problem(self, key: str, message: str, fix: str) -> Problem:
        return Problem(key, self.label(key), self.values.get(key), message, fix)

    def example(self, key: str, value: str) -> str:
        """How to give `value` for a question: `NAME=billing-helper` (make) or `name=billing-helper` (config)."""
        return f"{self.label(key)}={value}"

    def refusal(self, key: str, pydantic_message: str, fix: str, item: str = "") -> Problem:
        """A problem from a pydantic error message, worded as a clause (without pydantic's "Value error, ")."""
        message = pydantic_message.removeprefix("Value error, ")
        return self.problem(key, item + message[0].lower() + message[1:], fix)

    def fix(self, key: str, hint: str, example: str | None) -> str:
        """`hint`, with how to answer `example` for this question when there is one."""
        return f"{hint}, e.g. {self.example(key, example)}" if example else hint


def split_list(value: str) -> list[str]:
    """`"ticket-lookup, ticket-create"` -> `["ticket-lookup", "ticket-create"]` (commas or spaces)."""
    return [item for item in re.split(r"[,\s]+", value) if item]


def _normalized(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def collect_answers(
    kind: str,
    prompts: Iterable[Prompt],
    given: Mapping[str, str],
    label: Callable[[str], str],
    ignored: Iterable[str] = (),
) -> Answers:
    """Match what the user gave to the questions, refuse unknown and missing answers, fill in defaults.

    `given` may name a question by its key or its make variable, in any case. `ignored` are questions this
    front end does not use (the sandbox-only ones for `make`); giving one is refused as unknown.
    """
    skipped = set(ignored)
    asked = [p for p in prompts if p.key not in skipped]
    by_name = {_normalized(name): p for p in asked for name in (p.key, p.make_var, p.key.rpartition(":")[2])}
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for name, value in given.items():
        prompt = by_name.get(_normalized(name))
        if prompt is None:
            problems.append(_unknown(kind, name, value, [label(p.key) for p in asked]))
            continue
        values[prompt.key] = value.strip()
    for prompt in asked:
        value = values.get(prompt.key) or prompt.default
        if value is None:  # not given (or given empty) and no default
            problems.append(
                Problem(
                    prompt.key,
                    label(prompt.key),
                    None,
                    "is required and has no default",
                    f"give it as {label(prompt.key)}=... ({prompt.description})",
                )
            )
            continue
        values[prompt.key] = value
    if problems:
        raise AnswerError(kind, problems)
    return Answers(kind, values, label)


def _unknown(kind: str, name: str, value: str, known: list[str]) -> Problem:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
    hint = f"did you mean {close[0]}? " if close else ""
    return Problem(
        name, name, value, f"the {kind} template has no such question", f"{hint}its questions: {', '.join(known)}"
    )
