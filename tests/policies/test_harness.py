"""The test harness talks to the pack exactly as engine.analyzer.evaluate (and so the CLI) does."""

from __future__ import annotations

from collections.abc import Callable

from engine.analyzer import evaluate
from engine.program import ProgramRun
from tests.policies.builders import Platform, U
from tests.policies.conftest import platform
from tests.policies.harness import PACK, PackSession


def test_a_session_reports_what_engine_evaluate_reports(sessions: Callable[[str], PackSession]) -> None:
    # GIVEN the compliant platform with one violation and one preview deferral added
    stack, found = platform("crawl")
    builder = Platform(stack)
    builder.key("rotation-off-key", enableKeyRotation=False)
    builder.role_policy("deferred-policy", builder.role("deferred-role"), U, deps=[found["table"]])
    session = sessions("crawl")
    # WHEN evaluated by a long-running session and by engine.analyzer.evaluate (a fresh pack process)
    ours = session.evaluate(stack.registrations())
    theirs = evaluate(ProgramRun(session.stack, "preview", stack.registrations(), []), PACK, {})
    # THEN both report the same violations, evaluations and not-applicable reasons
    assert sorted(map(repr, ours.violations)) == sorted(map(repr, theirs.violations))
    assert ours.evaluated == theirs.evaluated
    assert ours.not_applicable == theirs.not_applicable
    assert any(v.policy == "kms-key-rotation-enabled" for v in ours.mandatory)
