from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine import ProgramRun, load_stack, run_program

REPO = Path(__file__).resolve().parents[2]
BOOTSTRAP = REPO / "bootstrap"
ACCOUNTS = ("nonprod", "prod")


@pytest.fixture(scope="session")
def bootstrap_runs() -> Callable[[str, str], ProgramRun]:
    """The bootstrap program of an account, run once per (account, mode) and test process."""
    cache: dict[tuple[str, str], ProgramRun] = {}

    def run(account: str, mode: str) -> ProgramRun:
        if (account, mode) not in cache:
            cache[(account, mode)] = run_program(load_stack(BOOTSTRAP, account), mode)  # type: ignore[arg-type]
        return cache[(account, mode)]

    return run


def policy_documents(run: ProgramRun, type_: str, prop: str) -> dict[str, dict[str, Any]]:
    """Name -> parsed document of every `type_` resource's JSON `prop`."""
    return {r.name: json.loads(r.inputs[prop]) for r in run.resources if r.type == type_}
