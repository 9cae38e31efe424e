"""All files of a change land together, or none does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from selfservice.changes import ChangeConflictError, FileChange, apply_changes
from tests.selfservice.harness import snapshot


def changes(root: Path) -> list[FileChange]:
    return [
        FileChange(root / "environments" / "walk.yaml", "agents: [a, b]\n", before="agents: [a]\n"),
        FileChange(root / "functions" / "tools" / "new_tool" / "api.py", "app = 1\n", before=None),
        FileChange(root / "tests" / "events" / "new_tool_get_item.json", "{}\n", before=None),
    ]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "walk.yaml").write_text("agents: [a]\n")
    return tmp_path


def test_every_file_is_written_and_every_directory_made(root):
    apply_changes(changes(root))
    assert (root / "environments" / "walk.yaml").read_text() == "agents: [a, b]\n"
    assert (root / "functions" / "tools" / "new_tool" / "api.py").read_text() == "app = 1\n"
    assert sorted(p.name for p in root.rglob("*.tmp")) == []


def test_a_file_changed_since_it_was_read_stops_everything(root):
    # GIVEN the stage file was edited after it was read
    (root / "environments" / "walk.yaml").write_text("agents: [c]\n")
    before = snapshot(root)

    # WHEN the change is applied, THEN it is refused and nothing is written
    with pytest.raises(ChangeConflictError, match="changed while rendering"):
        apply_changes(changes(root))
    assert snapshot(root) == before


def test_an_existing_new_file_stops_everything(root):
    # GIVEN one of the new files exists already
    (root / "tests" / "events").mkdir(parents=True)
    (root / "tests" / "events" / "new_tool_get_item.json").write_text("mine\n")
    before = snapshot(root)

    # WHEN the change is applied, THEN it is refused and nothing is written
    with pytest.raises(ChangeConflictError, match="exists already"):
        apply_changes(changes(root))
    assert snapshot(root) == before


def test_a_failure_half_way_restores_the_tree(root, monkeypatch):
    # GIVEN the third rename fails (disk full, permissions, ...)
    before = snapshot(root)
    renames = []

    def flaky_replace(source, target):
        renames.append(target)
        if len(renames) == 3:
            raise OSError("disk full")
        os.rename(source, target)

    monkeypatch.setattr(os, "replace", flaky_replace)

    # WHEN the change is applied
    with pytest.raises(OSError, match="disk full"):
        apply_changes(changes(root))

    # THEN the updated file is restored, new files, temporaries and new directories are gone
    assert snapshot(root) == before
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["environments", "environments/walk.yaml"]
