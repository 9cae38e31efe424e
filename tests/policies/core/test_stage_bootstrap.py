"""The pack judges the bootstrap program (bootstrap/) as the stages of its account."""

from __future__ import annotations

from environments.tiers import Tier
from policies.core.stage import resolve

PROJECT = "agent-platform-bootstrap"


def test_a_bootstrap_stack_is_judged_on_the_highest_tier_of_its_stages_owning_no_singletons() -> None:
    stage = resolve({f"{PROJECT}:stages": '["crawl", "walk"]'}, PROJECT)
    assert stage.resolved
    assert stage.name == "bootstrap-nonprod"
    assert stage.tier.tier is Tier.WALK
    assert not stage.owns_account_singletons
    assert stage.owner_stage == "crawl"


def test_unloadable_stages_fall_back_to_the_strictest_settings_and_say_why() -> None:
    stage = resolve({f"{PROJECT}:stages": '["nope"]'}, PROJECT)
    assert not stage.resolved
    assert stage.tier.tier is Tier.RUN
    assert f"{PROJECT}:stages does not name loadable environments" in stage.source
    assert not resolve({f"{PROJECT}:stages": "[]"}, PROJECT).resolved


def test_platform_stacks_resolve_as_before() -> None:
    stage = resolve({"agent-platform:environment": "run"})
    assert (stage.name, stage.tier.tier, stage.owns_account_singletons) == ("run", Tier.RUN, True)
