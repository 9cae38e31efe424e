"""Mutation test: every single security-degrading change to a stage's real resources is refused.

For each stage the real program runs in preview (mock monitor). Each mutation of the catalogue
(tests/policies/mutations.py) is applied to one of its candidate resources, and the pack - over the
analyzer protocol - must report a *new* mandatory violation on the resource the mutation degrades.
Mutations are batched: two share an evaluation only when neither's target lies in the other's
reach (the resources it edits, their dependencies and their dependents up to two hops), and a
catch by an unexpected policy is confirmed by evaluating that mutation alone.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from engine import ProgramRun
from engine.policy_report import PolicyReport
from engine.recorder import Registration
from policies.core import stage as stage_module
from tests.policies.conftest import STAGES
from tests.policies.harness import PackSession
from tests.policies.mutations import CATALOGUE, Mutation, RunView

Key = tuple[str, str, str]


@dataclass
class Planned:
    mutation: Mutation
    pick: str  # the candidate resource it degrades
    target: str = ""  # the resource that must carry the violation ("" = the stack)
    changed: set[str] = field(default_factory=set)
    reach: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)  # top-level properties edited, for single-resource edits

    @property
    def in_place(self) -> bool:
        """Edits properties of its own target only (adds, removes and touches nothing else)."""
        return bool(self.properties) and self.changed == {self.target}


@dataclass
class Result:
    stage: str
    mutation: str
    target: str
    caught_by: list[str]
    expected: str

    @property
    def caught(self) -> bool:
        return bool(self.caught_by)


def _signature(r: Registration) -> tuple:
    return (repr(r.inputs), repr(r.outputs), repr(r.property_dependencies), r.protect, r.provider)


def _changed(before: RunView, after: RunView) -> set[str]:
    urns = set(before.registrations) | set(after.registrations)
    return {
        u
        for u in urns
        if u not in before.registrations
        or u not in after.registrations
        or (
            before.registrations[u] is not after.registrations[u]
            and _signature(before.registrations[u]) != _signature(after.registrations[u])
        )
    }


# Resources that many others depend on but whose evaluation does not look at them (a key does not care
# which log groups it encrypts): the reach of a change does not spread through them to their siblings.
HUBS = ("aws:kms/key:Key", "aws:kms/alias:Alias", "pulumi:providers:aws", "pulumi:pulumi:Stack")


def _reach(views: tuple[RunView, RunView], changed: set[str]) -> set[str]:
    """Resources a change can affect: the changed ones, their dependencies, their dependents (two hops)."""
    reach = set(changed)
    frontier = set(changed)
    for hop in range(2):
        following = set()
        for urn in frontier:
            for view in views:
                registration = view.registrations.get(urn)
                if hop > 0 and registration is not None and registration.type in HUBS:
                    continue
                dependencies, dependents = view.neighbours(urn)
                if hop == 0:
                    following |= {
                        d for d in dependencies if view.registrations.get(d) and view.registrations[d].type not in HUBS
                    }
                following |= dependents
        reach |= following
        frontier = following
    return reach


def _edited_properties(before: RunView, after: RunView, urn: str) -> set[str]:
    old, new = before.registrations.get(urn), after.registrations.get(urn)
    if old is None or new is None or old.protect != new.protect or old.provider != new.provider:
        return set()
    keys = set(old.inputs) | set(new.inputs) | set(old.property_dependencies) | set(new.property_dependencies)
    return {
        k
        for k in keys
        if old.inputs.get(k) != new.inputs.get(k)
        or old.property_dependencies.get(k) != new.property_dependencies.get(k)
    }


def _conflict(a: Planned, b: Planned) -> bool:
    if a.in_place and b.in_place and a.target == b.target:
        # Two edits of different properties of one resource, each judged by its own policy.
        return bool(a.properties & b.properties) or a.mutation.expected == b.mutation.expected
    return a.target in b.reach or b.target in a.reach or bool(a.changed & b.changed) or a.target == b.target


def plan(view: RunView) -> tuple[list[Planned], list[str]]:
    """One candidate per mutation (distinct where possible); mutations without a candidate are skipped."""
    planned, skipped, taken = [], [], set()
    for mutation in CATALOGUE:
        candidates = mutation.candidates(view)
        if not candidates:
            skipped.append(mutation.id)
            continue
        pick = next((c for c in candidates if c not in taken), candidates[0])
        taken.add(pick)
        trial = view.fork()
        target = mutation.apply(trial, pick)
        changed = _changed(view, trial)
        properties = _edited_properties(view, trial, target) if changed == {target} else set()
        planned.append(Planned(mutation, pick, target, changed, _reach((view, trial), changed), properties))
    return planned, skipped


def batches(planned: list[Planned]) -> list[list[Planned]]:
    result: list[list[Planned]] = []
    for item in planned:
        if item.mutation.exclusive:
            result.append([item])
            continue
        for batch in result:
            if not batch[0].mutation.exclusive and not any(_conflict(item, other) for other in batch):
                batch.append(item)
                break
        else:
            result.append([item])
    return result


def _keys(report: PolicyReport) -> set[Key]:
    return {(v.policy, v.urn, v.message) for v in report.mandatory}


def _new_catches(report: PolicyReport, baseline: set[Key], target: str) -> list[str]:
    return sorted(
        {v.policy for v in report.mandatory if v.urn == target and (v.policy, v.urn, v.message) not in baseline}
    )


def _evaluate(session: PackSession, baseline: RunView, mutated: RunView) -> PolicyReport:
    """AnalyzeStack on the whole mutated stack; Analyze for every resource whose request changed."""
    changed = _changed(baseline, mutated)
    affected = changed | {u for u, r in mutated.registrations.items() if r.provider.rsplit("::", 1)[0] in changed}
    return session.evaluate(list(mutated.registrations.values()), analyze=affected)


def run_stage(stage: str, run: ProgramRun, session: PackSession) -> tuple[list[Result], list[str]]:
    resolved = stage_module.resolve(run.stack.config, run.stack.project)
    view = RunView(run.registrations, resolved.tier, resolved.owns_account_singletons)
    baseline = _keys(session.evaluate(run.registrations))
    planned, skipped = plan(view)
    results = []
    for batch in batches(planned):
        mutated = view.fork()
        for item in batch:
            item.mutation.apply(mutated, item.pick)
        report = _evaluate(session, view, mutated)
        for item in batch:
            caught = _new_catches(report, baseline, item.target)
            if item.mutation.expected not in caught and len(batch) > 1:  # confirm without the batch's other edits
                alone = view.fork()
                item.mutation.apply(alone, item.pick)
                caught = _new_catches(_evaluate(session, view, alone), baseline, item.target)
            results.append(Result(stage, item.mutation.id, item.target, caught, item.mutation.expected))
    return results, skipped


def _summary(results: list[Result], skipped: dict[str, list[str]]) -> str:
    lines = ["mutation test (preview, analyzer protocol):"]
    for result in results:
        mark = "caught" if result.caught else "MISSED"
        by = ", ".join(result.caught_by) or "-"
        note = "" if result.expected in result.caught_by or not result.caught else f" (expected {result.expected})"
        lines.append(f"  [{result.stage:5}] {result.mutation:34} {mark} by {by}{note}")
    for stage, ids in skipped.items():
        if ids:
            lines.append(f"  [{stage:5}] no target in this stage: {', '.join(ids)}")
    caught = sum(r.caught for r in results)
    rate = 100.0 * caught / len(results) if results else 0.0
    lines.append(f"catch rate: {caught}/{len(results)} = {rate:.1f} % over {len(CATALOGUE)} catalogue entries")
    return "\n".join(lines)


@pytest.mark.slow
def test_every_catalogued_degradation_is_caught(
    stage_runs: Callable[[str, str], ProgramRun],
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[[str, object], None],
) -> None:
    # GIVEN the real resources of every stage and the catalogue of single security-degrading changes
    runs = {stage: stage_runs(stage, "preview") for stage in STAGES}
    assert len(CATALOGUE) >= 30
    # WHEN each change is evaluated by the pack (one pack process per stage, in parallel)
    with ThreadPoolExecutor(max_workers=len(STAGES)) as pool, PackSessions(runs) as sessions:
        outcomes = dict(zip(STAGES, pool.map(lambda s: run_stage(s, runs[s], sessions[s]), STAGES), strict=True))
    results = [r for stage in STAGES for r in outcomes[stage][0]]
    skipped = {stage: outcomes[stage][1] for stage in STAGES}
    summary = _summary(results, skipped)
    with capsys.disabled():
        print("\n" + summary)
    record_property("mutation_catch_rate", summary.splitlines()[-1])  # printed in the session summary too
    # THEN every catalogue entry applies to some stage, and every applied change is caught (100 %)
    never = sorted(set.intersection(*(set(ids) for ids in skipped.values())))
    assert not never, f"catalogue entries with no target in any stage: {never}\n{summary}"
    assert all(r.caught for r in results), summary


class PackSessions:
    """One PackSession per stage, configured with the stage's real stack config."""

    def __init__(self, runs: dict[str, ProgramRun]) -> None:
        self._sessions = {stage: PackSession(run.stack) for stage, run in runs.items()}

    def __enter__(self) -> dict[str, PackSession]:
        for session in self._sessions.values():
            session.__enter__()
        return self._sessions

    def __exit__(self, *exc: object) -> None:
        for session in self._sessions.values():
            session.__exit__(None, None, None)
