"""`make preview` for crawl, walk and run: zero mandatory violations, every policy evaluated or not applicable.
Fixture stages too: English only (Classic-tier guardrails), and Seoul (global model profile, APAC guardrails).

The real program of each stage runs on the mock monitor (preview: computed values unknown; up: fake
ARNs) and the pack is evaluated exactly as the engine's CLI does (engine.analyzer.evaluate).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from engine import ProgramRun, run_program
from engine.analyzer import evaluate
from engine.project import StackConfig
from tests.policies.conftest import STAGES
from tests.policies.harness import PACK, PROJECT, REPO, write_environment


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


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variant", "fields", "region", "tier"),
    [
        # English only: Classic-tier guardrails in-Region are enough, and the pack accepts them
        ("english", {"languages": ["en"]}, "us-east-1", "CLASSIC"),
        # Seoul: models through the global profile, guardrails through the APAC guardrail profile
        ("seoul", {}, "ap-northeast-2", "STANDARD"),
    ],
)
def test_fixture_stages_deploy_without_mandatory_violations(
    tmp_path: Path, variant: str, fields: dict[str, object], region: str, tier: str
) -> None:
    # GIVEN crawl with other languages or in another Region
    path = write_environment(tmp_path, "crawl", "crawl", fields, suffix=variant)
    stack = StackConfig(
        project=PROJECT,
        stack=variant,
        project_dir=REPO,
        main=REPO / "__main__.py",
        config={"aws:region": region, f"{PROJECT}:environment": str(path)},
    )
    for mode in ("preview", "up"):
        # WHEN its real program runs and the pack judges it
        run = run_program(stack, mode)
        report = evaluate(run, PACK, {})
        # THEN nothing mandatory is violated, with the guardrail tier the languages need
        found = [f"{v.policy}: {v.urn.rsplit('::', 1)[-1]}: {v.message}" for v in report.mandatory]
        assert not found, "\n".join(found)
        guardrail = next(r for r in run.registrations if r.type == "aws:bedrock/guardrail:Guardrail")
        assert guardrail.inputs["contentPolicyConfig"]["tierConfigs"] == [{"tierName": tier}]
