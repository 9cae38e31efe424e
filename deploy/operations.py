"""One stack's `pulumi preview` or `pulumi up --policy-pack`, through the Pulumi Automation API.

The Automation API drives the Pulumi CLI (which must be installed and logged in to the state backend:
README, "Deploy for real"); the runner only sees the `StackOperations` protocol, so its tests fake it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol


class Operation(StrEnum):
    PREVIEW = "preview"
    UP = "up"


@dataclass(frozen=True)
class Changes:
    """Resource operations of one stack, by kind (create, update, delete, same, replace, ...)."""

    counts: dict[str, int] = field(default_factory=dict)

    def get(self, kind: str) -> int:
        return self.counts.get(kind, 0)


class StackFailedError(Exception):
    """The Pulumi operation failed: a program error, a mandatory policy violation, a cloud error."""


class StackOperations(Protocol):
    def run(self, stack: str, operation: Operation, on_output: Callable[[str], None]) -> Changes: ...


def _changes(summary: Mapping[Any, int]) -> Changes:
    """The Automation API keys counts by OpType (a str enum: "create", "update", ...)."""
    return Changes({getattr(kind, "value", str(kind)): count for kind, count in summary.items()})


def _tail(text: str, lines: int = 5) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:]) or "no output"


class AutomationOperations:
    """The real thing: `pulumi.automation` on the project in `project_dir`, the policy pack always enforced."""

    def __init__(self, project_dir: Path, policy_packs: Sequence[Path]) -> None:
        self.project_dir = project_dir
        self.policy_packs = [str(p) for p in policy_packs]
        # `select_stack` writes the workspace's current stack: one selection at a time in a project directory.
        self._select = threading.Lock()

    def run(self, stack: str, operation: Operation, on_output: Callable[[str], None]) -> Changes:
        from pulumi import automation as auto  # the CLI is needed only here, not to import the runner

        try:
            with self._select:
                workspace_stack = auto.select_stack(stack_name=stack, work_dir=str(self.project_dir))
            if operation is Operation.PREVIEW:
                preview = workspace_stack.preview(policy_packs=self.policy_packs, on_output=on_output, color="never")
                return _changes(preview.change_summary)
            result = workspace_stack.up(policy_packs=self.policy_packs, on_output=on_output, color="never")
            return _changes(result.summary.resource_changes or {})
        except auto.StackNotFoundError as error:  # a CommandError too: caught first
            missing = f"stack {stack!r} does not exist in the backend (pulumi stack init {stack})"
            raise StackFailedError(missing) from error
        except auto.CommandError as error:
            raise StackFailedError(_tail(str(error))) from error
