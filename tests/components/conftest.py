from __future__ import annotations

import pytest

from engine import load_stack, run_program
from tests.components.harness import REPO, Built

STAGES = ("crawl", "walk", "run")


@pytest.fixture(scope="session")
def stages() -> dict[str, Built]:
    """Every shipped stage, built once per test process in `up` mode (ARNs known)."""
    return {stage: Built(run_program(load_stack(REPO, stage), "up")) for stage in STAGES}


@pytest.fixture(scope="session")
def crawl(stages: dict[str, Built]) -> Built:
    return stages["crawl"]


@pytest.fixture(scope="session")
def walk(stages: dict[str, Built]) -> Built:
    return stages["walk"]


@pytest.fixture(scope="session")
def run(stages: dict[str, Built]) -> Built:
    return stages["run"]
