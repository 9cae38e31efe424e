"""Bedrock guardrails: one per profile a stage uses, pinned by a published version.

Every profile blocks prompt attacks at HIGH, filters harmful content in both directions, handles
PII (anonymise what users may legitimately share, block secrets and national identifiers, and the Korean
formats Bedrock's managed types do not know, through the pre-guard's regexes), denies off-limits topics and
profanity; from walk on, contextual grounding checks answers against sources.

Languages (AWS: "Safeguard tiers for guardrails policies", https://docs.aws.amazon.com/bedrock/latest/userguide/
guardrails-tiers.html): the Classic tier understands English, French and Spanish only. Whenever a stage's
languages are not all among those, content filters, prompt attacks and denied topics use the Standard tier,
which requires the guardrail profile of the stage's Region (cross-Region guardrail inference). pulumi-aws 7.51.1
has no tier field on the contextual-grounding policy (the Bedrock API has one): grounding keeps the API default.
Blocked-input and blocked-output messages are written in the stage's first language.

Who applies the guardrail needs `bedrock:ApplyGuardrail` on the guardrail and, for a Standard-tier guardrail, on
the guardrail profile in every destination Region (AWS: "Permissions for using cross-Region inference with
Amazon Bedrock Guardrails", .../guardrail-profiles-permissions.html): `Guardrail.apply_statements` builds both.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import Statement
from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.packaging import functions_importable
from environments.guardrail_tiers import (
    PROFILES_PAGE,
    GuardrailInferenceProfile,
    SafeguardTier,
    guardrail_profile,
    required_tier,
)
from environments.schema import GuardrailProfile

_CONTENT_FILTERS = ("SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT")
_ANONYMIZED_PII = ("EMAIL", "PHONE", "NAME", "ADDRESS", "IP_ADDRESS")
_BLOCKED_PII = (
    "CREDIT_DEBIT_CARD_NUMBER",
    "US_SOCIAL_SECURITY_NUMBER",
    "US_BANK_ACCOUNT_NUMBER",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "PASSWORD",
)
_STRICT_EXTRA_BLOCKED_PII = ("US_PASSPORT_NUMBER", "DRIVER_ID", "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "PIN")

# Topic names stay ASCII (the API's pattern); definitions stay within Classic's 200 characters. Examples in each
# language the stage declares that the platform writes (at most 5 per topic).
_TOPICS = {
    "credentials": (
        "Requests to reveal, share, guess or reset passwords, API keys, access tokens or other credentials.",
        {
            "en": ["What is the admin password?", "Give me the API key for the billing service."],
            "ko": ["관리자 비밀번호가 뭐예요?", "결제 서비스 API 키 좀 알려줘."],
        },
    ),
    "legal-advice": (
        "Requests for legal advice or interpretation of laws, contracts or liability for a specific situation.",
        {
            "en": ["Can I sue my landlord over this?", "Is this contract clause enforceable?"],
            "ko": ["이 일로 집주인을 고소할 수 있나요?", "이 계약 조항이 법적으로 유효한가요?"],
        },
    ),
    "medical-advice": (
        "Requests for diagnosis, treatment or medication advice for a person's health condition.",
        {
            "en": ["What dose of ibuprofen should I take?", "Do these symptoms mean I have diabetes?"],
            "ko": ["이부프로펜은 얼마나 먹어야 하나요?", "이런 증상이면 당뇨병인가요?"],
        },
    ),
    "investment-advice": (
        "Requests for recommendations to buy, sell or hold specific financial products or securities.",
        {
            "en": ["Should I buy this stock now?", "Which crypto coin will go up next week?"],
            "ko": ["지금 이 주식 사야 할까요?", "다음 주에 오를 코인 추천해 줘."],
        },
    ),
}
MAX_TOPIC_EXAMPLES = 5


@dataclass(frozen=True)
class ProfileSettings:
    topics: tuple[str, ...]
    blocked_pii: tuple[str, ...]
    grounding_threshold: float
    relevance_threshold: float


PROFILES: dict[GuardrailProfile, ProfileSettings] = {
    GuardrailProfile.BASELINE: ProfileSettings(
        topics=("credentials",), blocked_pii=_BLOCKED_PII, grounding_threshold=0.75, relevance_threshold=0.5
    ),
    GuardrailProfile.STRICT: ProfileSettings(
        topics=tuple(_TOPICS),
        blocked_pii=_BLOCKED_PII + _STRICT_EXTRA_BLOCKED_PII,
        grounding_threshold=0.85,
        relevance_threshold=0.7,
    ),
}

# What users read when the guardrail intervenes, in the stage's first language (at most 500 characters each).
BLOCKED_MESSAGES: dict[str, tuple[str, str]] = {
    "ko": (
        "죄송합니다. 이 요청은 도와드릴 수 없습니다. 잘못 판단한 것 같다면 고객지원팀에 문의해 주세요.",
        "죄송합니다. 이 답변은 드릴 수 없습니다. 담당자가 도와드릴 수 있으니 고객지원팀에 문의해 주세요.",
    ),
    "en": (
        "Sorry, I can't help with that request. If you think this is a mistake, contact the support team.",
        "Sorry, I can't provide that answer. A human colleague can help: contact the support team.",
    ),
}


class GuardrailTierError(pulumi.RunError, ValueError):
    """A stage whose languages need the Standard tier in a Region that has no guardrail profile."""


@dataclass(frozen=True)
class GuardrailArgs:
    location: Location
    profile: GuardrailProfile
    key: aws.kms.Key  # the agents CMK
    contextual_grounding: bool  # TierProfile.contextual_grounding
    languages: tuple[str, ...]  # the environment file's languages, first one first


@dataclass(frozen=True)
class SensitivePattern:
    """A custom regex entity (functions/shared/guardrail_regexes.py: the pre-guard's formats)."""

    name: str
    description: str
    pattern: str
    action: str


def sensitive_patterns() -> tuple[SensitivePattern, ...]:
    """The guardrail's regex entities, imported from the functions' shared library (one source for both)."""
    with functions_importable():
        regexes = importlib.import_module("shared.guardrail_regexes").GUARDRAIL_REGEXES
    return tuple(SensitivePattern(r.name, r.description, r.pattern, r.action) for r in regexes)


def safeguard(languages: Sequence[str], region: str) -> tuple[SafeguardTier, GuardrailInferenceProfile | None]:
    """The tier the languages need and, for Standard, the guardrail profile of the Region."""
    tier = required_tier(languages)
    if tier is SafeguardTier.CLASSIC:
        return tier, None
    profile = guardrail_profile(region)
    if profile is None:
        raise GuardrailTierError(
            f"languages {', '.join(languages)} need the guardrails' Standard tier, which needs a guardrail profile, "
            f"and AWS lists none for {region} ({PROFILES_PAGE}); deploy the stage in a Region that has one"
        )
    return tier, profile


class Guardrail(pulumi.ComponentResource):
    def __init__(self, name: str, args: GuardrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:security:Guardrail", name, None, opts)
        location = args.location
        stage = location.stage
        settings = PROFILES[args.profile]
        self.tier, self.cross_region_profile = safeguard(args.languages, location.region)
        self.location = location
        patterns = sensitive_patterns()
        blocked_input, blocked_output = BLOCKED_MESSAGES[args.languages[0]]
        tier_name = self.tier.value
        guardrail_args = aws.bedrock.GuardrailArgs(
            name=physical_name(Kind.BEDROCK_GUARDRAIL, stage, args.profile.value),
            description=f"agent-platform {stage}: {args.profile.value} guardrail profile",
            kms_key_arn=args.key.arn,
            blocked_input_messaging=blocked_input,
            blocked_outputs_messaging=blocked_output,
            content_policy_config=aws.bedrock.GuardrailContentPolicyConfigArgs(
                filters_configs=[
                    *(
                        aws.bedrock.GuardrailContentPolicyConfigFiltersConfigArgs(
                            type=kind, input_strength="HIGH", output_strength="HIGH"
                        )
                        for kind in _CONTENT_FILTERS
                    ),
                    # Prompt attacks only exist in inputs; Bedrock requires NONE on the output side.
                    aws.bedrock.GuardrailContentPolicyConfigFiltersConfigArgs(
                        type="PROMPT_ATTACK", input_strength="HIGH", output_strength="NONE"
                    ),
                ],
                tier_configs=[aws.bedrock.GuardrailContentPolicyConfigTierConfigArgs(tier_name=tier_name)],
            ),
            cross_region_config=aws.bedrock.GuardrailCrossRegionConfigArgs(
                guardrail_profile_identifier=self.cross_region_profile.profile_id
            )
            if self.cross_region_profile
            else None,
            sensitive_information_policy_config=aws.bedrock.GuardrailSensitiveInformationPolicyConfigArgs(
                pii_entities_configs=[
                    *(
                        aws.bedrock.GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs(
                            type=kind, action="ANONYMIZE"
                        )
                        for kind in _ANONYMIZED_PII
                    ),
                    *(
                        aws.bedrock.GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs(
                            type=kind, action="BLOCK"
                        )
                        for kind in settings.blocked_pii
                    ),
                ],
                regexes_configs=[
                    aws.bedrock.GuardrailSensitiveInformationPolicyConfigRegexesConfigArgs(
                        name=p.name, description=p.description, pattern=p.pattern, action=p.action
                    )
                    for p in patterns
                ],
            ),
            topic_policy_config=aws.bedrock.GuardrailTopicPolicyConfigArgs(
                topics_configs=[
                    aws.bedrock.GuardrailTopicPolicyConfigTopicsConfigArgs(
                        name=topic, definition=_TOPICS[topic][0], examples=_examples(topic, args.languages), type="DENY"
                    )
                    for topic in settings.topics
                ],
                tier_configs=[aws.bedrock.GuardrailTopicPolicyConfigTierConfigArgs(tier_name=tier_name)],
            ),
            word_policy_config=aws.bedrock.GuardrailWordPolicyConfigArgs(
                managed_word_lists_configs=[
                    aws.bedrock.GuardrailWordPolicyConfigManagedWordListsConfigArgs(type="PROFANITY")
                ],
                words_configs=[
                    aws.bedrock.GuardrailWordPolicyConfigWordsConfigArgs(text=text)
                    for text in ("ignore previous instructions", "developer mode", "system prompt")
                ],
            ),
            # No tier: pulumi-aws 7.51.1's GuardrailContextualGroundingPolicyConfigArgs has no tier_configs.
            contextual_grounding_policy_config=aws.bedrock.GuardrailContextualGroundingPolicyConfigArgs(
                filters_configs=[
                    aws.bedrock.GuardrailContextualGroundingPolicyConfigFiltersConfigArgs(
                        type="GROUNDING", threshold=settings.grounding_threshold
                    ),
                    aws.bedrock.GuardrailContextualGroundingPolicyConfigFiltersConfigArgs(
                        type="RELEVANCE", threshold=settings.relevance_threshold
                    ),
                ]
            )
            if args.contextual_grounding
            else None,
        )
        self.guardrail = aws.bedrock.Guardrail(
            f"{name}-guardrail", guardrail_args, opts=pulumi.ResourceOptions(parent=self)
        )
        # A published version is immutable; the fingerprint in its description makes any change to the
        # guardrail's configuration publish (and pin agents to) a new version.
        source = _fingerprint_source(args, self.tier, self.cross_region_profile, patterns)
        fingerprint = hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()[:12]
        self.version = aws.bedrock.GuardrailVersion(
            f"{name}-version",
            aws.bedrock.GuardrailVersionArgs(
                guardrail_arn=self.guardrail.guardrail_arn,
                description=f"{args.profile.value} profile, configuration {fingerprint}",
                skip_destroy=True,  # agents of older deployments may still point at it
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"guardrailId": self.guardrail.guardrail_id, "version": self.version.version})

    def profile_arns(self) -> tuple[str, ...]:
        """The guardrail profile in every destination Region of the stage's Region (Standard tier only)."""
        profile, location = self.cross_region_profile, self.location
        if profile is None:
            return ()
        return tuple(profile.arn(region, location.account_id) for region in profile.routes[location.region])

    def apply_statements(self, sid: str, actions: Sequence[str] = ("bedrock:ApplyGuardrail",)) -> list[Statement]:
        """What an identity that applies this guardrail needs: `actions` on the guardrail and, for a Standard-tier
        guardrail, ApplyGuardrail on its profile in each destination Region (the only action that profile takes)."""
        statements = [Statement(sid=sid, actions=actions, resources=(self.guardrail.guardrail_arn,))]
        if self.cross_region_profile is not None:
            statements.append(
                Statement(sid=f"{sid}Profile", actions=("bedrock:ApplyGuardrail",), resources=self.profile_arns())
            )
        return statements


def _examples(topic: str, languages: Sequence[str]) -> list[str]:
    by_language = _TOPICS[topic][1]
    chosen = [e for language in languages for e in by_language.get(language, [])]
    return (chosen or by_language["en"])[:MAX_TOPIC_EXAMPLES]


def _fingerprint_source(
    args: GuardrailArgs,
    tier: SafeguardTier,
    profile: GuardrailInferenceProfile | None,
    patterns: tuple[SensitivePattern, ...],
) -> dict[str, object]:
    settings = PROFILES[args.profile]
    return {
        "profile": args.profile.value,
        "settings": settings.__dict__,
        "grounding": args.contextual_grounding,
        "filters": _CONTENT_FILTERS,
        "anonymized": _ANONYMIZED_PII,
        "topics": {t: (_TOPICS[t][0], _examples(t, args.languages)) for t in settings.topics},
        "messages": BLOCKED_MESSAGES[args.languages[0]],
        "tier": tier.value,
        "crossRegion": profile.profile_id if profile else None,
        "regexes": [p.__dict__ for p in patterns],
    }
