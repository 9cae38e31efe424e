"""`python -m deploy`: many stacks in parallel with the Pulumi calls faked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deploy.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from deploy.operations import Changes, Operation, StackFailedError
from deploy.runner import StackResult, run_stacks, summary_table

REPO = Path(__file__).resolve().parents[2]


class FakeOperations:
    """Each stack takes `seconds`; stacks in `failing` fail with their message. Records the peak concurrency."""

    def __init__(self, seconds: float = 0.05, failing: dict[str, str] | None = None) -> None:
        self.seconds = seconds
        self.failing = failing or {}
        self.running = 0
        self.peak = 0
        self.finished: list[str] = []
        self._lock = threading.Lock()

    def run(self, stack: str, operation: Operation, on_output: Callable[[str], None]) -> Changes:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            on_output(f"running {operation.value} on {stack}")
            time.sleep(self.seconds)
            if stack in self.failing:
                raise StackFailedError(self.failing[stack])
            return Changes({"create": len(stack), "same": 1})
        finally:
            with self._lock:
                self.running -= 1
                self.finished.append(stack)


def test_no_more_stacks_run_at_once_than_the_workers_allow() -> None:
    # GIVEN six stacks and two workers
    fake = FakeOperations()
    stacks = [f"sandbox-{i}" for i in range(6)]
    # WHEN they are previewed
    results = run_stacks(stacks, Operation.PREVIEW, fake, workers=2, progress=lambda _: None)
    # THEN two ran at a time, never more, and every stack has its result in the given order
    assert fake.peak == 2
    assert [r.stack for r in results] == stacks
    assert all(r.ok for r in results)


def test_a_failing_stack_is_reported_while_the_others_finish() -> None:
    # GIVEN walk fails (a mandatory policy violation) while crawl and run succeed
    fake = FakeOperations(failing={"walk": "error: preview failed\nmandatory policy violation: s3-bucket-tls-only"})
    lines: list[str] = []
    # WHEN all three are brought up
    results = run_stacks(["crawl", "walk", "run"], Operation.UP, fake, workers=1, progress=lines.append)
    # THEN the others still ran, and walk's error is kept
    assert sorted(fake.finished) == ["crawl", "run", "walk"]
    by_stack = {r.stack: r for r in results}
    assert by_stack["crawl"].ok and by_stack["run"].ok
    assert not by_stack["walk"].ok
    assert "s3-bucket-tls-only" in (by_stack["walk"].error or "")
    # and the progress shows each stack's own lines, prefixed with its name
    assert "[walk] up FAILED" in " ".join(lines)
    assert "[crawl] running up on crawl" in lines


def test_an_unexpected_exception_fails_only_its_stack() -> None:
    class Exploding(FakeOperations):
        def run(self, stack: str, operation: Operation, on_output: Callable[[str], None]) -> Changes:
            if stack == "b":
                raise RuntimeError("boom")
            return super().run(stack, operation, on_output)

    results = run_stacks(["a", "b", "c"], Operation.PREVIEW, Exploding(), workers=3, progress=lambda _: None)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "RuntimeError: boom"


def test_the_summary_table_lists_every_stack_with_its_changes_or_error() -> None:
    results = [
        StackResult("crawl", Changes({"create": 3, "update": 1, "same": 117}), None, 12.34),
        StackResult("walk", None, "error: resource creation failed\nAccessDenied: kms:CreateKey", 3.0),
    ]
    table = summary_table(results, Operation.UP)
    assert table.splitlines() == [
        "stack  result  create  update  replace  delete  same  seconds  error",
        "-----  ------  ------  ------  -------  ------  ----  -------  ---------------------------",
        "crawl  ok      3       1       0        0       117   12.3",
        "walk   failed  -       -       -        -       -     3.0      AccessDenied: kms:CreateKey",
        "up: 1 of 2 stacks succeeded",
    ]


def test_the_command_line_runs_the_stacks_and_exits_by_their_results(capsys: pytest.CaptureFixture[str]) -> None:
    project = ["--project-dir", str(REPO)]
    fake = FakeOperations(failing={"run": "error: gate"})
    assert main(["preview", "-s", "crawl", "-s", "walk", "-s", "run", *project], operations=fake) == EXIT_FAILED
    assert "preview: 2 of 3 stacks succeeded" in capsys.readouterr().out
    assert main(["preview", "-s", "crawl", "-s", "walk", *project], operations=FakeOperations()) == EXIT_OK


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["up", "--stack", "nope"], "--stack nope: no Pulumi.<stack>.yaml"),
        (["up", "--stack", "crawl", "--workers", "0"], "--workers 0: give at least 1"),
        (["up", "--stack", "crawl", "--stack", "crawl"], "a stack is named twice"),
        (["up", "--stack", "crawl", "--policy-pack", "/nowhere"], "no PulumiPolicy.yaml there"),
    ],
)
def test_usage_errors_stop_before_any_stack_runs(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeOperations()
    assert main([*argv, "--project-dir", str(REPO)], operations=fake) == EXIT_USAGE
    assert message in capsys.readouterr().err
    assert fake.finished == []
