"""Move rendered files into place all together, or not at all.

Every file is first written beside its target (same directory, so `os.replace` is an atomic rename), and only
when all of them are written are they renamed over their targets. A failure on the way removes what was
written and restores what was replaced, so a refused or crashed run never leaves a partial agent, tool or stage.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileChange:
    path: Path
    content: str
    before: str | None  # None: a new file, which must not exist; else the content it must still have

    @property
    def created(self) -> bool:
        return self.before is None


class ChangeConflictError(RuntimeError):
    """A target appeared or changed since it was read; nothing was written."""


def apply_changes(changes: Iterable[FileChange]) -> None:
    pending = list(changes)
    for change in pending:
        _check_unchanged(change)
    staged: list[tuple[FileChange, Path]] = []
    new_dirs: list[Path] = []
    done: list[FileChange] = []
    try:
        for change in pending:
            new_dirs.extend(_make_parents(change.path.parent))
            temporary = change.path.with_name(f".{change.path.name}.{os.getpid()}.tmp")
            temporary.write_text(change.content, encoding="utf-8")
            staged.append((change, temporary))
        for change, temporary in staged:
            os.replace(temporary, change.path)
            done.append(change)
    except BaseException:
        _roll_back(done, [t for _, t in staged], new_dirs)
        raise


def _check_unchanged(change: FileChange) -> None:
    if change.before is None:
        if change.path.exists():
            raise ChangeConflictError(f"{change.path} exists already; nothing was written")
    elif not change.path.is_file() or change.path.read_text(encoding="utf-8") != change.before:
        raise ChangeConflictError(f"{change.path} changed while rendering; nothing was written, run the command again")


def _make_parents(directory: Path) -> list[Path]:
    """Create missing directories; return them outermost first, so a rollback removes innermost first."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _roll_back(done: list[FileChange], temporaries: list[Path], new_dirs: list[Path]) -> None:
    for change in done:
        if change.before is None:
            change.path.unlink(missing_ok=True)
        else:
            change.path.write_text(change.before, encoding="utf-8")
    for temporary in temporaries:
        temporary.unlink(missing_ok=True)
    for directory in reversed(new_dirs):
        with contextlib.suppress(OSError):
            directory.rmdir()
