"""Refusals: what is wrong with which answer, and how to fix it, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One refused answer. `label` is how the user gave it (NAME for make, name for pulumi config)."""

    answer: str  # the question's key in templates/<kind>/Pulumi.yaml
    label: str
    value: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        given = f"{self.label}={self.value!r}" if self.value else self.label
        return f"{given}: {self.message}\n    fix: {self.fix}"


class AnswerError(Exception):
    """The answers cannot produce a valid agent, tool or stage; nothing was written."""

    def __init__(self, kind: str, problems: list[Problem]) -> None:
        self.kind = kind
        self.problems = problems
        lines = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(f"new {kind} refused, nothing was written:{lines}")

    @property
    def answers(self) -> list[str]:
        """The keys of the refused answers (tests and the sandbox use them)."""
        return [problem.answer for problem in self.problems]
