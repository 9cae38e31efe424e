"""One evaluation over the analyzer protocol: every analyzed resource once, the stack once, phases timed."""

from __future__ import annotations

from pathlib import Path

from engine import ProgramRun, evaluate
from engine.analyze_requests import is_analyzed

PACK = Path(__file__).parent / "fixtures" / "pack"


def test_evaluate_analyzes_each_resource_and_the_stack(tiny_preview: ProgramRun) -> None:
    # GIVEN the tiny program, whose key does not rotate
    # WHEN the engine's test pack evaluates it
    report = evaluate(tiny_preview, PACK, {"kms-key-deletion-window": {"minimumDays": 14}})
    # THEN every analyzed resource was sent once and the violation is reported against the key
    assert report.timings["analyzeCalls"] == sum(is_analyzed(r) for r in tiny_preview.registrations)
    assert {"startSeconds", "configureSeconds", "analyzeSeconds", "analyzeStackSeconds"} <= set(report.timings)
    [violation] = report.mandatory
    assert violation.policy == "kms-key-rotation-enabled" and violation.urn.endswith("::vault-key")
    assert report.version == "1.2.3"
    assert report.evaluated == {"kms-key-rotation-enabled", "kms-key-deletion-window"}
