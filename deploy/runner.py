"""Run one operation on many stacks, at most `workers` at a time; a failing stack never stops the others."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from deploy.operations import Changes, Operation, StackFailedError, StackOperations

Progress = Callable[[str], None]


@dataclass(frozen=True)
class StackResult:
    stack: str
    changes: Changes | None  # None when the stack failed
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


def run_stacks(
    stacks: Sequence[str],
    operation: Operation,
    operations: StackOperations,
    workers: int,
    progress: Progress = print,
) -> list[StackResult]:
    """Each stack's result, in the order given."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    lock = threading.Lock()

    def say(line: str) -> None:
        with lock:  # whole lines, never interleaved
            progress(line)

    def one(stack: str) -> StackResult:
        say(f"[{stack}] {operation.value} started")
        started = time.monotonic()
        try:
            changes = operations.run(stack, operation, lambda line: say(f"[{stack}] {line.rstrip()}"))
        except StackFailedError as error:
            result = StackResult(stack, None, str(error), time.monotonic() - started)
        except Exception as error:  # an unexpected failure of one stack is still that stack's failure only
            result = StackResult(stack, None, f"{type(error).__name__}: {error}", time.monotonic() - started)
        else:
            result = StackResult(stack, changes, None, time.monotonic() - started)
        say(f"[{stack}] {operation.value} {'succeeded' if result.ok else 'FAILED'} in {result.seconds:.1f}s")
        return result

    with ThreadPoolExecutor(max_workers=min(workers, len(stacks)) or 1, thread_name_prefix="stack") as pool:
        return list(pool.map(one, stacks))


COLUMNS = ("create", "update", "replace", "delete", "same")


def summary_table(results: Sequence[StackResult], operation: Operation) -> str:
    """A plain-text table: one row per stack, its changes or its error."""
    header = ("stack", "result", *COLUMNS, "seconds", "error")
    rows = []
    for r in results:
        counts = [str(r.changes.get(c)) if r.changes else "-" for c in COLUMNS]
        error = (r.error or "").splitlines()[-1] if r.error else ""
        rows.append((r.stack, "ok" if r.ok else "failed", *counts, f"{r.seconds:.1f}", error))
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    failed = sum(not r.ok for r in results)
    footer = f"{operation.value}: {len(results) - failed} of {len(results)} stacks succeeded"
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows), footer])
