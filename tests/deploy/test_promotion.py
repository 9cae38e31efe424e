"""The promotion rule: crawl -> walk -> run, each only after the previous stage's gate passed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deploy.promotion import EXIT_ALLOWED, EXIT_REFUSED, EXIT_USAGE, context, decide, main


def _status(stage: str, state: str, created_at: str, id_: int = 1) -> dict:
    return {"context": context(stage), "state": state, "created_at": created_at, "id": id_}


def test_crawl_takes_any_commit_of_the_default_branch() -> None:
    assert decide("crawl", [])[0]


def test_walk_needs_crawls_gate_on_the_same_commit() -> None:
    assert decide("walk", [_status("crawl", "success", "2026-12-01T10:00:00Z")])[0]
    allowed, message = decide("walk", [])
    assert not allowed
    assert "has not gone through crawl" in message


def test_run_needs_walk_not_just_crawl() -> None:
    allowed, message = decide("run", [_status("crawl", "success", "2026-12-01T10:00:00Z")])
    assert not allowed
    assert "no agent-platform/promoted/walk status" in message


def test_the_newest_status_wins() -> None:
    # GIVEN crawl's gate passed, then a re-run of the gate failed on the same commit
    statuses = [
        _status("crawl", "success", "2026-12-01T10:00:00Z", 1),
        _status("crawl", "failure", "2026-12-01T11:00:00Z", 2),
    ]
    allowed, message = decide("walk", statuses)
    assert not allowed
    assert "latest agent-platform/promoted/crawl is failure" in message


def test_the_command_reads_githubs_json_lines_and_arrays(tmp_path: Path) -> None:
    lines = tmp_path / "statuses.jsonl"
    lines.write_text(json.dumps(_status("walk", "success", "2026-12-01T10:00:00Z")) + "\n")
    assert main(["check", "--stage", "run", "--statuses", str(lines)]) == EXIT_ALLOWED
    array = tmp_path / "statuses.json"
    array.write_text(json.dumps([_status("crawl", "pending", "2026-12-01T10:00:00Z")]))
    assert main(["check", "--stage", "walk", "--statuses", str(array)]) == EXIT_REFUSED


def test_an_unknown_stage_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["context", "--stage", "prod"]) == EXIT_USAGE
    assert "promotion order is crawl -> walk -> run" in capsys.readouterr().err
