"""Tier-dependent wording is written from the tier matrix, so it changes when the matrix does."""

from __future__ import annotations

import dataclasses

import pytest

from environments.tiers import TIERS, Tier, TierProfile
from policies.core import tier_text
from policies.core.tier_text import by_tier, per_tier, where, which_do


def test_the_shipped_matrix_reads_as_the_readme_says() -> None:
    assert which_do(lambda p: p.contextual_grounding) == "walk and run do"
    assert which_do(lambda p: p.waf) == "run does"
    assert where(lambda p: p.point_in_time_recovery) == "from walk on"
    assert where(lambda p: p.deletion_protection) == "in run"
    assert per_tier(lambda p: p.log_retention_days) == "30 / 90 / 365"
    assert per_tier(lambda p: p.kms_deletion_window_days, "/") == "7/14/30"
    assert by_tier(lambda p: p.step_functions_log_level) == "ERROR in crawl, ALL from walk on"


def test_all_and_none() -> None:
    assert where(lambda p: True) == "in every tier"
    assert where(lambda p: False) == "in no tier"
    assert which_do(lambda p: False) == "no tier does"
    assert by_tier(lambda p: "x") == "x in every tier"


def test_the_wording_follows_a_changed_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a matrix where walk already requires a WAF and crawl and walk keep logs 90 days
    changed = {
        Tier.CRAWL: dataclasses.replace(TIERS[Tier.CRAWL], log_retention_days=90),
        Tier.WALK: dataclasses.replace(TIERS[Tier.WALK], waf=True),
        Tier.RUN: TIERS[Tier.RUN],
    }
    ordered: list[TierProfile] = [changed[t] for t in Tier]
    monkeypatch.setattr(tier_text, "ORDERED", ordered)
    # THEN the wording says so
    assert which_do(lambda p: p.waf) == "walk and run do"
    assert where(lambda p: p.waf) == "from walk on"
    assert by_tier(lambda p: p.log_retention_days) == "90 in crawl and walk, 365 in run"
