"""The deployment critical path: `pulumi up` creates independent resources in parallel, so the
longest chain of dependent resources bounds how fast a stage can deploy."""

from __future__ import annotations

from functools import cache

from engine.program import ProgramRun


def critical_path(run: ProgramRun) -> list[str]:
    """The longest chain of custom resources, first to last, each depending on the one before.

    Dependencies on a component stand for all custom resources inside it (as the engine expands them).
    """
    by_urn = {r.urn: r for r in run.registrations}
    children: dict[str, list[str]] = {}
    for r in run.registrations:
        children.setdefault(r.parent, []).append(r.urn)

    def customs_within(urn: str) -> list[str]:
        found = [urn] if by_urn[urn].custom else []
        for child in children.get(urn, []):
            found += customs_within(child)
        return found

    deployable = {r.urn for r in run.registrations if r.custom and not r.type.startswith("pulumi:providers:")}

    def predecessors(urn: str) -> set[str]:
        found: set[str] = set()
        for dependency in by_urn[urn].dependencies:
            if dependency in by_urn:
                found.update(u for u in customs_within(dependency) if u in deployable)
        return found - {urn}

    @cache
    def longest_ending_at(urn: str) -> tuple[str, ...]:
        best: tuple[str, ...] = ()
        for before in predecessors(urn):
            chain = longest_ending_at(before)
            if len(chain) > len(best):
                best = chain
        return (*best, urn)

    chains = [longest_ending_at(urn) for urn in deployable]
    longest = max(chains, key=len) if chains else ()
    return [f"{by_urn[u].type.split(':')[-1]} {by_urn[u].name}" for u in longest]
