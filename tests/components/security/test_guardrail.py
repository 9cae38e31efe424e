from __future__ import annotations

from types import SimpleNamespace

import pytest
from shared.guardrail_regexes import GUARDRAIL_REGEXES

from components.security.guardrail import (
    _TOPICS,
    BLOCKED_MESSAGES,
    MAX_TOPIC_EXAMPLES,
    GuardrailTierError,
    _fingerprint_source,
    safeguard,
    sensitive_patterns,
)
from environments import load_environment
from environments.guardrail_tiers import SafeguardTier
from environments.schema import TEXT_LANGUAGES, GuardrailProfile
from tests.components.harness import Built, build_platform

GUARDRAIL = "aws:bedrock/guardrail:Guardrail"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


@pytest.fixture(scope="module")
def english() -> Built:
    """crawl whose users write English only: Classic-tier guardrails are enough."""
    return build_platform(load_environment("crawl").model_copy(update={"languages": ("en",)}))


@pytest.fixture(scope="module")
def seoul() -> Built:
    """crawl deployed to ap-northeast-2: the APAC guardrail profile, the global model profiles."""
    return build_platform(load_environment("crawl"), region="ap-northeast-2")


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_every_guardrail_blocks_prompt_attacks_filters_content_and_handles_pii(
    stages: dict[str, Built], stage: str
) -> None:
    built = stages[stage]
    for guardrail in built.of_type(GUARDRAIL):
        filters = {f["type"]: f for f in guardrail.inputs["contentPolicyConfig"]["filtersConfigs"]}
        assert filters["PROMPT_ATTACK"]["inputStrength"] == "HIGH"
        assert {"SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT"} <= set(filters)
        assert all(f["inputStrength"] == "HIGH" for f in filters.values())
        pii = {
            p["type"]: p["action"] for p in guardrail.inputs["sensitiveInformationPolicyConfig"]["piiEntitiesConfigs"]
        }
        assert pii["EMAIL"] == "ANONYMIZE" and pii["AWS_SECRET_KEY"] == "BLOCK"
        assert guardrail.inputs["kmsKeyArn"] == built.one("aws:kms/key:Key", "agents-key").outputs["arn"]


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_every_shipped_guardrail_understands_korean(stages: dict[str, Built], stage: str) -> None:
    # GIVEN the shipped stages, whose users write Korean first (languages: ko, en)
    for guardrail in stages[stage].of_type(GUARDRAIL):
        inputs = guardrail.inputs
        # THEN content filters, prompt attacks and denied topics use the Standard tier, through the US profile
        assert inputs["contentPolicyConfig"]["tierConfigs"] == [{"tierName": "STANDARD"}]
        assert inputs["topicPolicyConfig"]["tierConfigs"] == [{"tierName": "STANDARD"}]
        assert inputs["crossRegionConfig"] == {"guardrailProfileIdentifier": "us.guardrail.v1:0"}
        # AND users read why in Korean
        assert (inputs["blockedInputMessaging"], inputs["blockedOutputsMessaging"]) == BLOCKED_MESSAGES["ko"]
        # AND denied topics carry Korean examples
        assert any("비밀번호" in e for t in inputs["topicPolicyConfig"]["topicsConfigs"] for e in t["examples"])


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_the_regexes_are_the_pre_guards_one_entity_each(stages: dict[str, Built], stage: str) -> None:
    for guardrail in stages[stage].of_type(GUARDRAIL):
        regexes = guardrail.inputs["sensitiveInformationPolicyConfig"]["regexesConfigs"]
        assert regexes == [
            {"name": r.name, "description": r.description, "pattern": r.pattern, "action": r.action}
            for r in GUARDRAIL_REGEXES
        ]


def test_every_role_that_applies_a_standard_guardrail_may_use_its_profile_in_each_destination(crawl: Built) -> None:
    # AWS, "Permissions for using cross-Region inference with Amazon Bedrock Guardrails"
    expected = [
        f"arn:aws:bedrock:{region}:123456789012:guardrail-profile/us.guardrail.v1:0"
        for region in ("us-east-1", "us-east-2", "us-west-2")
    ]
    guardrail_arn = crawl.one(GUARDRAIL).outputs["guardrailArn"]
    appliers = 0
    for policy in crawl.of_type(ROLE_POLICY):
        statements = crawl.document(policy)["Statement"]
        on_guardrail = [
            s for s in statements if "bedrock:ApplyGuardrail" in s["Action"] and s["Resource"] == guardrail_arn
        ]
        if not on_guardrail:
            continue
        appliers += 1
        profiles = [s for s in statements if s["Sid"] == f"{on_guardrail[0]['Sid']}Profile"]
        assert profiles and profiles[0]["Resource"] == expected and profiles[0]["Action"] == ["bedrock:ApplyGuardrail"]
    assert appliers == 2  # the agent's role and the orchestrator's


def test_an_english_only_stage_keeps_the_classic_tier_in_its_region(english: Built) -> None:
    guardrail = english.one(GUARDRAIL)
    assert guardrail.inputs["contentPolicyConfig"]["tierConfigs"] == [{"tierName": "CLASSIC"}]
    assert "crossRegionConfig" not in guardrail.inputs
    assert guardrail.inputs["blockedInputMessaging"] == BLOCKED_MESSAGES["en"][0]
    assert not any(
        "guardrail-profile" in str(s["Resource"])
        for p in english.of_type(ROLE_POLICY)
        for s in english.document(p)["Statement"]
    )


def test_seoul_evaluates_through_the_apac_guardrail_profile(seoul: Built) -> None:
    assert seoul.one(GUARDRAIL).inputs["crossRegionConfig"] == {"guardrailProfileIdentifier": "apac.guardrail.v1:0"}
    resources = {
        r
        for p in seoul.of_type(ROLE_POLICY)
        for s in seoul.document(p)["Statement"]
        if s["Sid"].endswith("GuardrailProfile")
        for r in s["Resource"]
    }
    assert {r.split(":")[3] for r in resources} == {
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-southeast-1",
        "ap-southeast-2",
    }


def test_a_region_without_a_guardrail_profile_cannot_serve_korean() -> None:
    assert safeguard(("en", "fr"), "sa-east-1") == (SafeguardTier.CLASSIC, None)
    with pytest.raises(GuardrailTierError, match=r"Standard tier.*sa-east-1"):
        safeguard(("ko", "en"), "sa-east-1")


def test_texts_fit_the_api_limits() -> None:
    assert set(BLOCKED_MESSAGES) == set(TEXT_LANGUAGES)
    assert all(0 < len(text) <= 500 for pair in BLOCKED_MESSAGES.values() for text in pair)
    for definition, examples in _TOPICS.values():
        assert len(definition) <= 200  # the Classic tier's limit, so an English-only stage can keep it
        assert all(len(e) <= 100 for es in examples.values() for e in es)
        assert sum(len(es) for es in examples.values()) <= MAX_TOPIC_EXAMPLES


def test_contextual_grounding_starts_at_walk(crawl: Built, walk: Built) -> None:
    assert "contextualGroundingPolicyConfig" not in crawl.one(GUARDRAIL).inputs
    for guardrail in walk.of_type(GUARDRAIL):
        types = {f["type"] for f in guardrail.inputs["contextualGroundingPolicyConfig"]["filtersConfigs"]}
        assert types == {"GROUNDING", "RELEVANCE"}


def test_the_strict_profile_denies_more_topics_and_blocks_more_pii(walk: Built) -> None:
    baseline = walk.one(GUARDRAIL, "baseline")
    strict = walk.one(GUARDRAIL, "strict")

    def topics(g):
        return {t["name"] for t in g.inputs["topicPolicyConfig"]["topicsConfigs"]}

    assert topics(baseline) < topics(strict)
    assert {"legal-advice", "medical-advice"} <= topics(strict)


def test_one_guardrail_per_profile_in_use_each_with_a_published_version(walk: Built) -> None:
    assert sorted(g.inputs["name"] for g in walk.of_type(GUARDRAIL)) == ["ap_walk_baseline", "ap_walk_strict"]
    for version in walk.of_type("aws:bedrock/guardrailVersion:GuardrailVersion"):
        assert version.inputs["skipDestroy"] is True
        assert "configuration" in version.inputs["description"]


def test_a_new_regex_or_tier_publishes_a_new_version() -> None:
    # The version's description carries a fingerprint of everything the guardrail is configured with.
    args = SimpleNamespace(profile=GuardrailProfile.BASELINE, contextual_grounding=False, languages=("ko", "en"))
    patterns = sensitive_patterns()
    base = _fingerprint_source(args, SafeguardTier.STANDARD, None, patterns)
    assert _fingerprint_source(args, SafeguardTier.STANDARD, None, patterns[:-1]) != base
    assert _fingerprint_source(args, SafeguardTier.CLASSIC, None, patterns) != base
