"""Evaluate the real policy pack over the analyzer gRPC protocol, many registration sets per pack process.

`engine.analyzer.evaluate` starts a pack process per call (~1 s). The tests and the mutation test
evaluate dozens of registration sets for the same stack config, so `PackSession` starts the pack once
and sends each set exactly as `evaluate` does (the same engine.analyze_requests builders):
`GetAnalyzerInfo`, `ConfigureStack`, `Configure`, then `Analyze` per resource and `AnalyzeStack` per set.
test_harness.py checks that a session and `engine.analyzer.evaluate` report the same.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

from engine.analyze_requests import analyze_request, analyze_stack_request, is_analyzed, providers_of
from engine.analyzer import configure_pack
from engine.pack_process import policy_pack_for
from engine.policy_report import PolicyReport, Violation, empty_report
from engine.program import ProgramRun
from engine.project import StackConfig
from engine.recorder import Registration

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "policies"
PROJECT = "agent-platform"


def stack_config(environment: str | None, stack: str = "test") -> StackConfig:
    """A stack config naming an environment (a stage name or an absolute path to an environment file)."""
    config = {"aws:region": "us-east-1"}
    if environment is not None:
        config[f"{PROJECT}:environment"] = environment
    return StackConfig(project=PROJECT, stack=stack, project_dir=REPO, main=REPO / "__main__.py", config=config)


def write_environment(
    directory: Path, base_stage: str, owner_stage: str, fields: dict[str, Any] | None = None, suffix: str = ""
) -> Path:
    """An environment file derived from environments/<base_stage>.yaml with the singleton owner (and `fields`)
    overridden.

    Deriving from the shipped files keeps the fixtures valid while the schema evolves.
    """
    data = yaml.safe_load((REPO / "environments" / f"{base_stage}.yaml").read_text())
    data["account"] = {**data["account"], "owner_stage": owner_stage}
    data.update(fields or {})
    path = directory / f"{base_stage}-owner-{owner_stage}{'-' + suffix if suffix else ''}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


class PackSession:
    """One running policy pack for one stack config; `evaluate()` many registration sets through it."""

    def __init__(self, stack: StackConfig, mode: str = "preview", overrides: dict[str, Any] | None = None) -> None:
        self.stack = stack
        self.mode = mode
        self.overrides = overrides or {}
        self._process = policy_pack_for(stack, mode, PACK)
        self._lock = threading.Lock()
        self.stub: Any = None
        self.info: Any = None

    def __enter__(self) -> PackSession:
        self.stub = self._process.__enter__()
        self.info = configure_pack(self.stub, self.stack, self.mode, self.overrides)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._process.__exit__(exc_type, exc, tb)

    def _report(self) -> PolicyReport:
        return empty_report(self.info, self._process.version)

    def evaluate(self, registrations: Iterable[Registration], analyze: set[str] | None = None) -> PolicyReport:
        """Analyze every resource (or only the URNs in `analyze`), then the stack - as engine.analyzer.evaluate.

        `analyze` lets the mutation test skip `Analyze` for resources whose request is byte-for-byte the
        baseline's (their diagnostics cannot change); `AnalyzeStack` always sees the whole stack.
        """
        registrations = list(registrations)
        providers = providers_of(registrations)
        report = self._report()
        with self._lock:
            for registration in registrations:
                if not is_analyzed(registration):
                    continue
                if analyze is not None and registration.urn not in analyze:
                    continue
                request = analyze_request(registration, providers)
                report.record(self.stub.Analyze(request), registration.urn)
            stack_request = analyze_stack_request(registrations, providers)
            report.record(self.stub.AnalyzeStack(stack_request), "")
        return report

    def evaluate_run(self, run: ProgramRun) -> PolicyReport:
        return self.evaluate(run.registrations)


# --- assertions --------------------------------------------------------------------------------------


def violations(report: PolicyReport, policy: str, urn: str | None = None, level: str | None = None) -> list[Violation]:
    return [
        v
        for v in report.violations
        if v.policy == policy and (urn is None or v.urn == urn) and (level is None or v.level == level)
    ]


def assert_violates(report: PolicyReport, policy: str, urn: str, contains: str = "") -> None:
    found = violations(report, policy, urn)
    assert found, f"{policy} did not flag {urn}; violations of {policy}: {[v.urn for v in violations(report, policy)]}"
    if contains:
        assert any(contains in v.message for v in found), f"{policy} on {urn}: {[v.message for v in found]}"


def assert_clean(report: PolicyReport, policy: str, urn: str) -> None:
    found = violations(report, policy, urn)
    assert not found, f"{policy} flagged the compliant {urn}: {[v.message for v in found]}"
    assert policy in report.evaluated, (
        f"{policy} was not evaluated (not applicable: {report.not_applicable.get(policy)})"
    )
