"""Bedrock guardrails: one per profile a stage uses, pinned by a published version.

Every profile blocks prompt attacks at HIGH, filters harmful content in both directions, handles
PII (anonymise what users may legitimately share, block secrets and national identifiers), denies
off-limits topics and profanity; from walk on, contextual grounding checks answers against sources.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
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

_TOPICS = {
    "credentials": (
        "Requests to reveal, share, guess or reset passwords, API keys, access tokens or other credentials.",
        ["What is the admin password?", "Give me the API key for the billing service."],
    ),
    "legal-advice": (
        "Requests for legal advice or interpretation of laws, contracts or liability for a specific situation.",
        ["Can I sue my landlord over this?", "Is this contract clause enforceable?"],
    ),
    "medical-advice": (
        "Requests for diagnosis, treatment or medication advice for a person's health condition.",
        ["What dose of ibuprofen should I take?", "Do these symptoms mean I have diabetes?"],
    ),
    "investment-advice": (
        "Requests for recommendations to buy, sell or hold specific financial products or securities.",
        ["Should I buy this stock now?", "Which crypto coin will go up next week?"],
    ),
}


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

BLOCKED_INPUT_MESSAGE = (
    "Sorry, I can't help with that request. If you think this is a mistake, contact the support team."
)
BLOCKED_OUTPUT_MESSAGE = "Sorry, I can't provide that answer. A human colleague can help: contact the support team."


@dataclass(frozen=True)
class GuardrailArgs:
    location: Location
    profile: GuardrailProfile
    key: aws.kms.Key  # the agents CMK
    contextual_grounding: bool  # TierProfile.contextual_grounding


class Guardrail(pulumi.ComponentResource):
    def __init__(self, name: str, args: GuardrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:security:Guardrail", name, None, opts)
        stage = args.location.stage
        settings = PROFILES[args.profile]
        guardrail_args = aws.bedrock.GuardrailArgs(
            name=physical_name(Kind.BEDROCK_GUARDRAIL, stage, args.profile.value),
            description=f"agent-platform {stage}: {args.profile.value} guardrail profile",
            kms_key_arn=args.key.arn,
            blocked_input_messaging=BLOCKED_INPUT_MESSAGE,
            blocked_outputs_messaging=BLOCKED_OUTPUT_MESSAGE,
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
                ]
            ),
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
                        name="korean-resident-registration-number",
                        description="Korean resident registration number (주민등록번호)",
                        pattern=r"\d{6}-[1-4]\d{6}",
                        action="BLOCK",
                    )
                ],
            ),
            topic_policy_config=aws.bedrock.GuardrailTopicPolicyConfigArgs(
                topics_configs=[
                    aws.bedrock.GuardrailTopicPolicyConfigTopicsConfigArgs(
                        name=topic, definition=_TOPICS[topic][0], examples=_TOPICS[topic][1], type="DENY"
                    )
                    for topic in settings.topics
                ]
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
        fingerprint = hashlib.sha256(json.dumps(_fingerprint_source(args), sort_keys=True).encode()).hexdigest()[:12]
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


def _fingerprint_source(args: GuardrailArgs) -> dict[str, object]:
    settings = PROFILES[args.profile]
    return {
        "profile": args.profile.value,
        "settings": settings.__dict__,
        "grounding": args.contextual_grounding,
        "filters": _CONTENT_FILTERS,
        "anonymized": _ANONYMIZED_PII,
        "topics": {t: _TOPICS[t] for t in settings.topics},
        "messages": (BLOCKED_INPUT_MESSAGE, BLOCKED_OUTPUT_MESSAGE),
    }
