"""Tier-dependent wording, written from the tier matrix (environments/tiers.py) rather than by hand.

Descriptions, config schemas and "not applicable" reasons name the tiers a threshold applies to ("from walk
on", "walk and run do", "30 / 90 / 365 days"); phrased from `TIERS`, they stay true when the matrix changes.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import TypeVar

from environments.tiers import TIERS, Tier, TierProfile

ORDERED = sorted(TIERS.values(), key=lambda p: p.tier.rank)
Value = TypeVar("Value")


def _listed(tiers: list[Tier]) -> str:
    names = [t.value for t in tiers]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _span(tiers: list[Tier]) -> str:
    """Where a run of consecutive tiers applies: "in every tier", "from walk on", "in run", "in crawl and walk"."""
    if not tiers:
        return "in no tier"
    if len(tiers) == len(ORDERED):
        return "in every tier"
    if len(tiers) > 1 and tiers[-1] is ORDERED[-1].tier:
        return f"from {tiers[0].value} on"
    return f"in {_listed(tiers)}"


def which_do(requires: Callable[[TierProfile], bool]) -> str:
    """ "walk and run do", "run does", "no tier does": the tiers whose profile `requires` it."""
    tiers = [p.tier for p in ORDERED if requires(p)]
    if not tiers:
        return "no tier does"
    return f"{_listed(tiers)} {'does' if len(tiers) == 1 else 'do'}"


def where(requires: Callable[[TierProfile], bool]) -> str:
    """ "from walk on", "in run", ...: where the tiers that require it lie (they are consecutive: the matrix is
    monotone)."""
    return _span([p.tier for p in ORDERED if requires(p)])


def per_tier(value: Callable[[TierProfile], object], separator: str = " / ") -> str:
    """ "30 / 90 / 365": the value of each tier, in tier order."""
    return separator.join(str(value(p)) for p in ORDERED)


def by_tier(value: Callable[[TierProfile], Value], show: Callable[[Value], str] = str) -> str:
    """ "ERROR in crawl, ALL from walk on": each value with the run of tiers that has it."""
    runs = [(key, [p.tier for p in group]) for key, group in groupby(ORDERED, key=value)]
    return ", ".join(f"{show(key)} {_span(tiers)}" for key, tiers in runs)
