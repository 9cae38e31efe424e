"""`make preview` for crawl, walk and run: zero mandatory violations, every policy evaluated or not applicable.

The real program of each stage runs on the mock monitor (preview: computed values unknown; up: fake
ARNs) and the pack is evaluated exactly as the engine's CLI does (engine.analyzer.evaluate).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine import ProgramRun
from engine.analyzer import evaluate
from tests.policies.conftest import STAGES
from tests.policies.harness import PACK


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["preview", "up"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_deploys_without_mandatory_violations(
    stage_runs: Callable[[str, str], ProgramRun], stage: str, mode: str
) -> None:
    # GIVEN the stage's real resources
    run = stage_runs(stage, mode)
    # WHEN the pack judges them over the analyzer protocol
    report = evaluate(run, PACK, {})
    # THEN nothing mandatory is violated, and every policy ran or said why it does not apply
    found = [f"{v.policy}: {v.urn.rsplit('::', 1)[-1]}: {v.message.splitlines()[-1]}" for v in report.mandatory]
    assert not found, "\n".join(found)
    assert set(report.policies) == report.evaluated | set(report.not_applicable)
    assert not [v for v in report.violations if v.policy == "policy-stage-resolved"]
