from __future__ import annotations

from pathlib import Path

import pytest

from engine import ProgramRun, load_stack, run_program

TINY = Path(__file__).parent / "fixtures" / "tiny"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_preview() -> ProgramRun:
    return run_program(load_stack(TINY, "dev"), "preview")


@pytest.fixture(scope="module")
def tiny_up() -> ProgramRun:
    return run_program(load_stack(TINY, "dev"), "up")
