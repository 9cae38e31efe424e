"""The compliant mini platform every policy test starts from is clean in every stage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policies.conftest import evaluate, platform
from tests.policies.harness import PackSession


@pytest.mark.parametrize("stage", ["crawl", "walk", "run", "unresolved"])
def test_the_baseline_platform_has_no_mandatory_violation(sessions: Callable[[str], PackSession], stage: str) -> None:
    # GIVEN the compliant mini platform of the stage
    stack, _ = platform(stage)
    # WHEN the pack analyzes it over the analyzer protocol
    report = evaluate(sessions(stage), stack)
    # THEN nothing mandatory is reported
    assert [(v.policy, v.urn.rsplit("::", 1)[-1], v.message) for v in report.mandatory] == []
