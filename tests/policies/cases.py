"""Policy test cases: one change to a compliant baseline resource, evaluated over the analyzer protocol.

A `Case` builds its resource(s) next to the compliant mini platform (its own names, so cases do not
interfere) and returns the URN the policy must - or, with `expect="clean"`, must not - flag.
Cases that change the platform as a whole (`isolated=True`) get a stack of their own. All cases of
a stage are evaluated in one `AnalyzeStack` call of that stage's pack process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from engine.policy_report import PolicyReport
from tests.policies.builders import Platform, Stack
from tests.policies.conftest import platform
from tests.policies.harness import PackSession, assert_clean, assert_violates

Build = Callable[[Stack, Platform, dict[str, str]], str]
Expect = Literal["violation", "clean", "not-applicable"]


@dataclass(frozen=True)
class Case:
    policy: str
    title: str
    build: Build  # returns the URN to judge ("" for the stack as a whole)
    stage: str = "run"
    expect: Expect = "violation"
    isolated: bool = False
    contains: str = ""

    @property
    def id(self) -> str:
        return f"{self.policy}: {self.title} [{self.stage}]"


def clean(policy: str, key: str, stage: str = "run") -> Case:
    """The baseline resource `found[key]` passes `policy`."""
    return Case(policy, f"baseline {key}", lambda s, p, found: found[key], stage=stage, expect="clean")


@dataclass
class Outcome:
    report: PolicyReport
    urn: str


def run_cases(sessions: Callable[[str], PackSession], cases: list[Case]) -> dict[str, Outcome]:
    """Evaluate every case; shared-stack cases of one stage in one evaluation."""
    outcomes: dict[str, Outcome] = {}
    by_stage: dict[str, list[Case]] = {}
    for case in cases:
        if case.isolated:
            stack, found = platform(case.stage)
            urn = case.build(stack, Platform(stack), found)
            outcomes[case.id] = Outcome(sessions(case.stage).evaluate(stack.registrations()), urn)
        else:
            by_stage.setdefault(case.stage, []).append(case)
    for stage, shared in by_stage.items():
        stack, found = platform(stage)
        builder = Platform(stack)
        urns = {case.id: case.build(stack, builder, found) for case in shared}
        report = sessions(stage).evaluate(stack.registrations())
        outcomes.update({case_id: Outcome(report, urn) for case_id, urn in urns.items()})
    return outcomes


def check(case: Case, outcome: Outcome) -> None:
    report = outcome.report
    level = report.policies[case.policy]["level"]
    if case.expect == "violation":
        assert_violates(report, case.policy, outcome.urn, case.contains)
        assert all(v.level == level for v in report.violations if v.policy == case.policy)
    elif case.expect == "clean":
        assert_clean(report, case.policy, outcome.urn)
    else:
        assert case.policy in report.not_applicable, f"{case.policy} was not reported not applicable"
        assert not [v for v in report.violations if v.policy == case.policy and v.urn == outcome.urn]


def ids(cases: list[Case]) -> list[str]:
    return [case.id for case in cases]
