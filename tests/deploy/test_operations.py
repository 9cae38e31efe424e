"""AutomationOperations drives pulumi.automation with the policy pack always on (the Automation API faked)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from pulumi import automation as auto
from pulumi.automation.events import OpType

from deploy.operations import AutomationOperations, Operation, StackFailedError


class FakeStack:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.error = error

    def preview(self, **kwargs: object) -> SimpleNamespace:
        self.calls.append(("preview", kwargs))
        if self.error:
            raise self.error
        return SimpleNamespace(change_summary={OpType.CREATE: 2, OpType.SAME: 5})

    def up(self, **kwargs: object) -> SimpleNamespace:
        self.calls.append(("up", kwargs))
        return SimpleNamespace(summary=SimpleNamespace(resource_changes={OpType.UPDATE: 1}))


@pytest.fixture
def fake_stack(monkeypatch: pytest.MonkeyPatch) -> FakeStack:
    stack = FakeStack()
    monkeypatch.setattr(auto, "select_stack", lambda stack_name, work_dir: stack)
    return stack


def test_preview_and_up_enforce_the_policy_pack(fake_stack: FakeStack) -> None:
    operations = AutomationOperations(Path("/repo"), [Path("/repo/policies")])
    assert operations.run("crawl", Operation.PREVIEW, print).counts == {"create": 2, "same": 5}
    assert operations.run("crawl", Operation.UP, print).counts == {"update": 1}
    assert [(name, kwargs["policy_packs"]) for name, kwargs in fake_stack.calls] == [
        ("preview", ["/repo/policies"]),
        ("up", ["/repo/policies"]),
    ]


def test_a_cli_failure_becomes_the_stacks_error_with_the_last_lines(fake_stack: FakeStack) -> None:
    stderr = "noise\nerror: mandatory policy violation: kms-key-rotation-enabled"
    fake_stack.error = auto.CommandError(SimpleNamespace(stdout="", stderr=stderr, code=255))
    with pytest.raises(StackFailedError, match="kms-key-rotation-enabled"):
        AutomationOperations(Path("/repo"), []).run("walk", Operation.PREVIEW, print)
