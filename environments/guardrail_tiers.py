"""Guardrail safeguard tiers: which tier a stage's languages need, and the guardrail profile of its Region.

AWS, "Safeguard tiers for guardrails policies" (https://docs.aws.amazon.com/bedrock/latest/userguide/
guardrails-tiers.html): the Classic tier supports English, French and Spanish only; the Standard tier has
extensive language support and more robust prompt-attack detection, and requires cross-Region inference through
a guardrail profile. "Languages supported by Amazon Bedrock Guardrails" (.../guardrails-supported-languages.html)
lists the Standard tier's languages for content filters and prompt attacks; Korean is "optimized and supported".
"Supported Regions for cross-Region guardrail inference" (.../guardrails-cross-region-support.html) lists each
guardrail profile with its source Regions and the destination Regions a request from each may be routed to.

The environment schema reads LANGUAGES (what `languages:` accepts), the Guardrail component and the policy pack
read `required_tier` and `guardrail_profile`, so the tier a stage needs is decided once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

TIERS_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-tiers.html"
PROFILES_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-cross-region-support.html"


class SafeguardTier(StrEnum):
    CLASSIC = "CLASSIC"
    STANDARD = "STANDARD"


# ISO 639-1 code -> the language as AWS's Standard-tier table names it (content filters and prompt attacks).
LANGUAGES: Mapping[str, str] = {
    "ar": "Arabic",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "ms": "Malay",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}
CLASSIC_LANGUAGES = frozenset({"en", "fr", "es"})


def required_tier(languages: Iterable[str]) -> SafeguardTier:
    """Standard as soon as one language is not among Classic's (English, French, Spanish)."""
    return SafeguardTier.CLASSIC if set(languages) <= CLASSIC_LANGUAGES else SafeguardTier.STANDARD


@dataclass(frozen=True)
class GuardrailInferenceProfile:
    """A system-defined guardrail profile: where guardrail inference from each source Region may run."""

    profile_id: str
    partition: str
    routes: Mapping[str, tuple[str, ...]]  # source Region -> destination Regions

    def arn(self, region: str, account_id: str) -> str:
        return f"arn:{self.partition}:bedrock:{region}:{account_id}:guardrail-profile/{self.profile_id}"


_US = ("us-east-1", "us-east-2", "us-west-2")
_EU = ("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2")
_APAC = ("ap-south-1", "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1")

GUARDRAIL_PROFILES: tuple[GuardrailInferenceProfile, ...] = (
    GuardrailInferenceProfile(
        "us.guardrail.v1:0",
        "aws",
        {**{r: _US for r in _US}, "us-west-1": ("us-east-1", "us-east-2", "us-west-1", "us-west-2")},
    ),
    GuardrailInferenceProfile(
        "us-gov.guardrail.v1:0",
        "aws-us-gov",
        {r: ("us-gov-east-1", "us-gov-west-1") for r in ("us-gov-east-1", "us-gov-west-1")},
    ),
    GuardrailInferenceProfile(
        "eu.guardrail.v1:0", "aws", {**{r: _EU for r in _EU}, "il-central-1": (*_EU, "il-central-1")}
    ),
    GuardrailInferenceProfile("uk.guardrail.v1:0", "aws", {"eu-west-2": ("eu-west-2",)}),
    GuardrailInferenceProfile("ca.guardrail.v1:0", "aws", {"ca-central-1": ("ca-central-1", "ca-west-1")}),
    # Sydney is a source of both au. and apac.; listed first, au. keeps its guardrail inference in Australia.
    GuardrailInferenceProfile("au.guardrail.v1:0", "aws", {"ap-southeast-2": ("ap-southeast-2",)}),
    GuardrailInferenceProfile(
        "apac.guardrail.v1:0",
        "aws",
        {
            **{
                r: _APAC for r in ("ap-south-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1")
            },
            "ap-southeast-3": (*_APAC, "ap-south-2", "ap-southeast-3", "ap-southeast-4"),
        },
    ),
)


def guardrail_profile(region: str) -> GuardrailInferenceProfile | None:
    """The guardrail profile a guardrail in `region` uses: the one whose source Regions include it."""
    return next((p for p in GUARDRAIL_PROFILES if region in p.routes), None)


def guardrail_profile_by_id(profile_id: str) -> GuardrailInferenceProfile | None:
    """The profile named by an id or a guardrail-profile ARN (`arn:...:guardrail-profile/<id>`)."""
    wanted = profile_id.rsplit("/", 1)[-1]
    return next((p for p in GUARDRAIL_PROFILES if p.profile_id == wanted), None)
