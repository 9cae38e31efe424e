"""The benchmarks' own inputs and analyses (no timings here: speed targets live in `make bench`)."""

from __future__ import annotations

import itertools

import pytest

from bench.critical_path import critical_path
from bench.scale import run_tier_environment
from engine import load_stack, run_program
from environments import parse_environment
from tests.components.harness import REPO


@pytest.mark.parametrize("agents", [1, 200])
def test_scale_environments_are_valid_run_tier_stages(agents: int) -> None:
    environment = parse_environment(run_tier_environment(agents))
    assert environment.tier.value == "run" and len(environment.agents) == agents


def test_the_critical_path_is_a_chain_of_real_dependencies() -> None:
    run = run_program(load_stack(REPO, "crawl"), "preview")
    chain = critical_path(run)
    by_label = {f"{r.type.split(':')[-1]} {r.name}": r for r in run.registrations}
    steps = [by_label[label] for label in chain]
    assert len(steps) >= 5
    for before, after in itertools.pairwise(steps):
        # `after` depends on `before`, directly or through a component that contains it
        assert before.urn in after.dependencies or before.parent in after.dependencies, (before.name, after.name)
