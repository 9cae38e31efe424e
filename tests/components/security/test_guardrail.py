from __future__ import annotations

import pytest

from tests.components.harness import Built

GUARDRAIL = "aws:bedrock/guardrail:Guardrail"


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
        regexes = guardrail.inputs["sensitiveInformationPolicyConfig"]["regexesConfigs"]
        assert regexes[0]["name"] == "korean-resident-registration-number"
        assert guardrail.inputs["blockedInputMessaging"] and guardrail.inputs["blockedOutputsMessaging"]
        assert guardrail.inputs["kmsKeyArn"] == built.one("aws:kms/key:Key", "agents-key").outputs["arn"]


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
