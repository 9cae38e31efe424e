"""Which stage the pack judges: resolved from the stack config, or the strictest settings."""

from __future__ import annotations

import json

import pytest

from environments.tiers import Tier, strictest
from policies.core import stage


def test_no_environment_means_the_strictest_settings() -> None:
    resolved = stage.resolve({"aws:region": "us-east-1"})
    assert not resolved.resolved
    assert resolved.tier is strictest() and resolved.owns_account_singletons
    assert resolved.tier.tier is Tier.RUN
    assert "strictest" in resolved.source


def test_an_environment_that_does_not_load_means_the_strictest_settings() -> None:
    resolved = stage.resolve({"agent-platform:environment": "no-such-stage"})
    assert not resolved.resolved and "does not load" in resolved.source


@pytest.mark.parametrize("name", ["crawl", "walk", "run"])
def test_the_shipped_environments_resolve_to_their_tier(name: str) -> None:
    resolved = stage.resolve({"agent-platform:environment": name})
    assert resolved.resolved and resolved.name == name and resolved.tier.tier is Tier(name)
    assert resolved.owns_account_singletons == (resolved.owner_stage == name)


def test_the_pack_reads_its_stack_config_from_pulumi_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"agent-platform:environment": "walk"}))
    monkeypatch.setenv("PULUMI_PROJECT", "agent-platform")
    stage.current.cache_clear()
    try:
        assert stage.current().name == "walk"
    finally:
        stage.current.cache_clear()
