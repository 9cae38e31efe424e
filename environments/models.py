"""The model catalogue: every Amazon Bedrock model the platform offers or refuses, in one place.

The only module in the repository that writes a model id. The environment schema (defaults, pins, Legacy and
End-of-Life refusals), the components (what a role may invoke, which id Bedrock is called with), the policy pack
(`model-lifecycle-active`), the tests, the templates and the README's model table all read it.

Each entry carries its lifecycle state with the date and the AWS page it was read from (AWS: "Model lifecycle",
https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html for models launched on or after
2026-09-07; "Model lifecycle (Legacy)", .../model-lifecycle-legacy.html for older ones), its class, the Regions
where it answers on-demand in-Region, and the system-defined cross-Region inference profiles AWS offers for it,
each with its source Regions and the destination Regions a request from each may be routed to (AWS: "Supported
Regions and models for inference profiles", .../inference-profiles-support.html, and each model's card).

How a stage calls a model (`invocation`): in-Region where the model answers there; otherwise through the
geographic profile whose source Regions include the stage's Region (data stays inside that geography); otherwise
through the global profile (any commercial Region: README, "Models", says what that means for Korean data).

A real deployment can confirm every fact here with `aws bedrock list-foundation-models` (`modelLifecycle`) and
`aws bedrock list-inference-profiles --type-equals SYSTEM_DEFINED` in its Region; a row whose evidence is not an
AWS page says so in `source.evidence`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MODEL_LIFECYCLE_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html"
LEGACY_LIFECYCLE_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.html"
_CARDS = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-"


class ModelUse(StrEnum):
    """What a stage uses a model for: the seed's hybrid strategy (light, strong) and the knowledge bases' embedder."""

    LIGHT = "light"  # routing, simple lookups, the orchestrator's fallback: cheap and fast
    STRONG = "strong"  # analysis, multi-step reasoning: accurate
    EMBEDDING = "embedding"  # knowledge-base vectors

    @property
    def generates_text(self) -> bool:
        return self is not ModelUse.EMBEDDING


class Lifecycle(StrEnum):
    ACTIVE = "Active"
    LEGACY = "Legacy"
    EOL = "EOL"


class Geography(StrEnum):
    """The prefixes of system-defined cross-Region inference profiles (`us.anthropic...`)."""

    US = "us"
    EU = "eu"
    APAC = "apac"
    JP = "jp"
    AU = "au"
    CA = "ca"
    US_GOV = "us-gov"
    GLOBAL = "global"


@dataclass(frozen=True)
class Source:
    """Where a fact was read: the page, the day, and what kind of evidence it is."""

    url: str
    read_on: date
    evidence: str  # "AWS model card", "AWS user guide", or a secondary source named as such


@dataclass(frozen=True)
class InferenceProfile:
    """A system-defined cross-Region inference profile of one model."""

    geography: Geography
    # Source Region -> the Regions a request from it may be processed in. A global profile routes to "all
    # commercial Regions" (AWS: inference-profiles-support.html): its destinations are not enumerable (empty here).
    routes: Mapping[str, tuple[str, ...]]
    source: Source

    @property
    def is_global(self) -> bool:
        return self.geography is Geography.GLOBAL

    def profile_id(self, model_id: str) -> str:
        return f"{self.geography.value}.{model_id}"


@dataclass(frozen=True)
class CatalogueModel:
    model_id: str  # the foundation-model id (no profile prefix)
    name: str
    provider: str
    use: ModelUse
    lifecycle: Lifecycle  # as read on `source.read_on`; `status()` moves a Legacy model to EOL on its EOL date
    source: Source
    launched: date | None = None
    legacy_since: date | None = None
    eol: date | None = None  # the EOL date AWS published (Legacy and EOL models)
    eol_no_sooner_than: date | None = None  # Active models launched from 2026-09-07: the floor on the model card
    replacement: str | None = None  # our choice of the Active model of the same class
    in_region: frozenset[str] = frozenset()  # Regions that answer on-demand, in-Region requests
    profiles: tuple[InferenceProfile, ...] = ()
    dimensions: tuple[int, ...] = ()  # embedding models: the vector sizes they produce, default first
    note: str = ""

    def status(self, on: date | None = None) -> Lifecycle:
        """The state on `on` (today): a Legacy model is End-of-Life from its EOL date on."""
        today = on or date.today()
        if self.lifecycle is Lifecycle.LEGACY and self.eol is not None and today >= self.eol:
            return Lifecycle.EOL
        return self.lifecycle

    def profile(self, geography: Geography) -> InferenceProfile | None:
        return next((p for p in self.profiles if p.geography is geography), None)

    def regions(self) -> frozenset[str]:
        """Every Region a stage can call this model from (in-Region or as a profile's source)."""
        sources = {region for p in self.profiles for region in p.routes}
        return frozenset(self.in_region | sources)


@dataclass(frozen=True)
class Invocation:
    """How a stage in `region` calls a model: the id Bedrock is given and the Regions that may serve it."""

    model: CatalogueModel
    region: str
    profile: InferenceProfile | None = None

    @property
    def model_id(self) -> str:
        """What Bedrock is called with (`modelId`, an agent's `foundationModel`): the profile id or the model id."""
        return self.profile.profile_id(self.model.model_id) if self.profile else self.model.model_id

    @property
    def destinations(self) -> tuple[str, ...]:
        """The Regions the request may be processed in (empty for a global profile: any commercial Region)."""
        if self.profile is None:
            return (self.region,)
        return self.profile.routes[self.region]

    @property
    def is_global(self) -> bool:
        return self.profile is not None and self.profile.is_global

    @property
    def route(self) -> str:
        """How README and errors describe it: 'in-Region', 'US profile', 'global profile'."""
        if self.profile is None:
            return "in-Region"
        return "global profile" if self.is_global else f"{self.profile.geography.value.upper()} profile"


class ModelCatalogueError(ValueError):
    """A model reference the platform cannot deploy; the message names the model and the fix."""


# --- facts --------------------------------------------------------------------------------------------------

_READ_ON = date(2026, 12, 2)
_US_ROUTES: Mapping[str, tuple[str, ...]] = {
    "us-east-1": ("us-east-1", "us-east-2", "us-west-2"),
    "us-east-2": ("us-east-1", "us-east-2", "us-west-2"),
    "us-west-2": ("us-east-1", "us-east-2", "us-west-2"),
    "us-west-1": ("us-east-1", "us-east-2", "us-west-1", "us-west-2"),
    "ca-central-1": ("ca-central-1", "us-east-1", "us-east-2", "us-west-2"),
    "ca-west-1": ("ca-west-1", "us-east-1", "us-east-2", "us-west-2"),
}
_EU_CORE = ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3")
_EU_ROUTES: Mapping[str, tuple[str, ...]] = {
    **{region: _EU_CORE for region in _EU_CORE},
    "eu-central-2": ("eu-central-2", *_EU_CORE),
    "eu-west-2": ("eu-west-2", *_EU_CORE),
}
# Sources of the global Claude Sonnet 5.5 profile on its model card: every Region above plus APAC, the Middle
# East, Africa and South America (in APAC it is the only route: no geographic profile is offered there).
_GLOBAL_SOURCES = (
    *_US_ROUTES,
    *_EU_ROUTES,
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-east-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "af-south-1",
    "sa-east-1",
    "mx-central-1",
)

_SONNET_5_5_CARD = Source(
    f"{_CARDS}anthropic-claude-sonnet-5-5.html",
    date(2026, 10, 6),
    "AWS model card (its text as copied to a public repository on 2026-10-06)",
)
_HAIKU_5_5_CARD = Source(f"{_CARDS}anthropic-claude-haiku-5-5.html", _READ_ON, "AWS model card")
# The Haiku 5.5 card's access table was not readable; its profiles were measured with list-inference-profiles.
_HAIKU_5_5_PROFILES = Source(
    f"{_CARDS}anthropic-claude-haiku-5-5.html",
    date(2026, 10, 7),
    "secondary: ListInferenceProfiles measured in us-east-1, us-east-2, us-west-2 and ap-northeast-2 by a Korean "
    "team (ADR-032, 2026-10-07); US destinations assumed equal to every other Claude US profile",
)
_LEGACY_SCRAPE = Source(
    LEGACY_LIFECYCLE_PAGE,
    date(2026, 2, 25),
    "secondary: the Legacy page's tables as scraped on 2026-02-25 (AI Model Deprecation Tracker)",
)
_LEGACY_REGISTRY = Source(
    LEGACY_LIFECYCLE_PAGE, date(2026, 9, 30), "secondary: provider registry citing the Legacy page (September 2026)"
)

CLAUDE_HAIKU_5_5 = CatalogueModel(
    model_id="anthropic.claude-haiku-5-5",
    name="Claude Haiku 5.5",
    provider="Anthropic",
    use=ModelUse.LIGHT,
    lifecycle=Lifecycle.ACTIVE,
    source=_HAIKU_5_5_CARD,
    launched=date(2026, 10, 7),
    eol_no_sooner_than=date(2027, 10, 7),
    profiles=(
        InferenceProfile(
            Geography.US, {r: _US_ROUTES[r] for r in ("us-east-1", "us-east-2", "us-west-2")}, _HAIKU_5_5_PROFILES
        ),
        InferenceProfile(
            Geography.GLOBAL,
            {r: () for r in ("us-east-1", "us-east-2", "us-west-2", "ap-northeast-2")},
            _HAIKU_5_5_PROFILES,
        ),
    ),
    note="Inference profiles only (no in-Region endpoint). Rejects `temperature` (400: deprecated for this model).",
)

CLAUDE_SONNET_5_5 = CatalogueModel(
    model_id="anthropic.claude-sonnet-5-5",
    name="Claude Sonnet 5.5",
    provider="Anthropic",
    use=ModelUse.STRONG,
    lifecycle=Lifecycle.ACTIVE,
    source=_SONNET_5_5_CARD,
    launched=date(2026, 9, 28),
    eol_no_sooner_than=date(2027, 9, 28),
    profiles=(
        InferenceProfile(Geography.US, _US_ROUTES, _SONNET_5_5_CARD),
        InferenceProfile(Geography.EU, _EU_ROUTES, _SONNET_5_5_CARD),
        InferenceProfile(Geography.GLOBAL, {r: () for r in _GLOBAL_SOURCES}, _SONNET_5_5_CARD),
    ),
    note="Inference profiles only (no in-Region endpoint); forced tool choice and non-default sampling are refused.",
)

TITAN_TEXT_EMBEDDINGS_V2 = CatalogueModel(
    model_id="amazon.titan-embed-text-v2:0",
    name="Titan Text Embeddings V2",
    provider="Amazon",
    use=ModelUse.EMBEDDING,
    lifecycle=Lifecycle.ACTIVE,
    source=Source(f"{_CARDS}amazon-titan-text-embeddings-v2-2.html", _READ_ON, "AWS model card (EOL date: N/A)"),
    # In-Region only. us-east-1 and us-west-2 from AWS's "Model support by AWS Region" page; ap-northeast-2 and
    # ap-southeast-2 from deployments that name the in-Region model ARN there (secondary).
    in_region=frozenset({"us-east-1", "us-west-2", "ap-northeast-2", "ap-southeast-2"}),
    dimensions=(1024, 512, 256),  # AWS: titan-embedding-models.html
    note="Korean is among its languages (AWS: titan-embedding-models.html).",
)

_LEGACY_AND_EOL = (
    CatalogueModel(
        model_id="anthropic.claude-3-haiku-20240307-v1:0",
        name="Claude 3 Haiku",
        provider="Anthropic",
        use=ModelUse.LIGHT,
        lifecycle=Lifecycle.EOL,
        source=Source(f"{_CARDS}anthropic-claude-3-haiku.html", _READ_ON, "AWS model card (Model EOL date)"),
        legacy_since=date(2026, 3, 10),
        eol=date(2026, 9, 10),
        replacement=CLAUDE_HAIKU_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-3-5-sonnet-20240620-v1:0",
        name="Claude 3.5 Sonnet",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_SCRAPE,
        legacy_since=date(2025, 8, 25),
        eol=date(2026, 4, 30),
        replacement=CLAUDE_SONNET_5_5.model_id,
        note="EOL dates are Region-specific; treated as EOL everywhere (its us-east-1 date was not readable).",
    ),
    CatalogueModel(
        model_id="anthropic.claude-3-5-sonnet-20241022-v2:0",
        name="Claude 3.5 Sonnet v2",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_SCRAPE,
        legacy_since=date(2025, 8, 25),
        eol=date(2026, 3, 1),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-3-7-sonnet-20250219-v1:0",
        name="Claude 3.7 Sonnet",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_SCRAPE,
        legacy_since=date(2025, 10, 28),
        eol=date(2026, 4, 28),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-3-5-haiku-20241022-v1:0",
        name="Claude 3.5 Haiku",
        provider="Anthropic",
        use=ModelUse.LIGHT,
        lifecycle=Lifecycle.EOL,
        source=Source(f"{_CARDS}anthropic-claude-3-5-haiku.html", _READ_ON, "AWS model card (Model EOL date)"),
        launched=date(2024, 11, 4),
        legacy_since=date(2025, 12, 19),
        eol=date(2026, 6, 19),
        replacement=CLAUDE_HAIKU_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-3-opus-20240229-v1:0",
        name="Claude 3 Opus",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_SCRAPE,
        legacy_since=date(2025, 7, 15),
        eol=date(2026, 1, 15),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-opus-4-20250514-v1:0",
        name="Claude Opus 4",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_SCRAPE,
        legacy_since=date(2025, 10, 1),
        eol=date(2026, 5, 31),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-sonnet-4-20250514-v1:0",
        name="Claude Sonnet 4",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_REGISTRY,
        legacy_since=date(2026, 4, 14),
        eol=date(2026, 10, 14),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
    CatalogueModel(
        model_id="anthropic.claude-opus-4-1-20250805-v1:0",
        name="Claude Opus 4.1",
        provider="Anthropic",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.LEGACY,
        source=_LEGACY_REGISTRY,
        legacy_since=date(2026, 7, 8),
        eol=date(2027, 1, 8),
        replacement=CLAUDE_SONNET_5_5.model_id,
        note="Public extended access (higher price) since 2026-10-08.",
    ),
    CatalogueModel(
        model_id="amazon.nova-premier-v1:0",
        name="Nova Premier",
        provider="Amazon",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_REGISTRY,
        eol=date(2026, 9, 14),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
    CatalogueModel(
        model_id="cohere.command-r-v1:0",
        name="Command R",
        provider="Cohere",
        use=ModelUse.LIGHT,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_REGISTRY,
        eol=date(2026, 8, 19),
        replacement=CLAUDE_HAIKU_5_5.model_id,
    ),
    CatalogueModel(
        model_id="cohere.command-r-plus-v1:0",
        name="Command R+",
        provider="Cohere",
        use=ModelUse.STRONG,
        lifecycle=Lifecycle.EOL,
        source=_LEGACY_REGISTRY,
        eol=date(2026, 8, 19),
        replacement=CLAUDE_SONNET_5_5.model_id,
    ),
)

CATALOGUE: tuple[CatalogueModel, ...] = (
    CLAUDE_HAIKU_5_5,
    CLAUDE_SONNET_5_5,
    TITAN_TEXT_EMBEDDINGS_V2,
    *_LEGACY_AND_EOL,
)
MODELS: Mapping[str, CatalogueModel] = {m.model_id: m for m in CATALOGUE}
# The defaults of every environment: the current Active model of each class.
DEFAULTS: Mapping[ModelUse, CatalogueModel] = {
    ModelUse.LIGHT: CLAUDE_HAIKU_5_5,
    ModelUse.STRONG: CLAUDE_SONNET_5_5,
    ModelUse.EMBEDDING: TITAN_TEXT_EMBEDDINGS_V2,
}

# A foundation-model id, optionally behind a system-defined profile prefix: the schema's syntax check.
MODEL_REFERENCE_PATTERN = r"^((" + "|".join(g.value for g in Geography) + r")\.)?[a-z0-9-]+\.[a-z0-9-]+[a-z0-9.:-]*$"
# What a Bedrock model id looks like in any text: `<provider>.<name>-<version...>` behind an optional profile prefix
# (providers as Bedrock names them). The pack finds model references in resources with it, and a test finds model
# ids written anywhere in the repository but here.
MODEL_PROVIDERS = (
    "ai21",
    "amazon",
    "anthropic",
    "cohere",
    "deepseek",
    "google",
    "luma",
    "meta",
    "minimax",
    "mistral",
    "moonshotai",
    "nvidia",
    "openai",
    "qwen",
    "stability",
    "twelvelabs",
    "writer",
)
_GEOGRAPHIES = "|".join(sorted((g.value for g in Geography), key=len, reverse=True))
MODEL_ID_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9._-])(?:(?:{_GEOGRAPHIES})\.)?(?:{'|'.join(MODEL_PROVIDERS)})\.[a-z0-9]+(?:-[a-z0-9.]+)+(?::[0-9]+)?"
)


# --- lookups ------------------------------------------------------------------------------------------------


def split_reference(reference: str) -> tuple[Geography | None, str]:
    """`us.anthropic.claude-haiku-5-5` -> (US, 'anthropic.claude-haiku-5-5'); a plain model id -> (None, id)."""
    for geography in sorted(Geography, key=lambda g: -len(g.value)):  # `us-gov.` before `us.`
        prefix = f"{geography.value}."
        if reference.startswith(prefix) and reference[len(prefix) :] in MODELS:
            return geography, reference[len(prefix) :]
    return None, reference


def base_model_id(reference: str) -> str:
    """The foundation-model id behind a model or profile id (unknown references come back unchanged)."""
    return split_reference(reference)[1]


def lookup(reference: str) -> CatalogueModel:
    geography, model_id = split_reference(reference)
    model = MODELS.get(model_id)
    if model is None:
        active = ", ".join(m.model_id for m in CATALOGUE if m.status() is Lifecycle.ACTIVE)
        raise ModelCatalogueError(
            f"{reference} is not in the model catalogue (environments/models.py); Active models: {active}. "
            "To offer another model, add it there with its lifecycle state, Regions and the AWS page they come from"
        )
    if geography is not None and model.profile(geography) is None:
        offered = ", ".join(p.profile_id(model.model_id) for p in model.profiles) or "none (in-Region only)"
        raise ModelCatalogueError(
            f"{reference} names the {geography.value}. profile, which AWS does not offer for {model.name}; "
            f"its profiles: {offered}"
        )
    return model


def is_model_reference(text: str) -> bool:
    """Whether `text` is, as a whole, a model or inference-profile id (of any provider, in the catalogue or not)."""
    return MODEL_ID_IN_TEXT.fullmatch(text) is not None


def lifecycle_problem(model: CatalogueModel, on: date | None = None) -> str | None:
    """Why `model` must not be called any more (Legacy, End-of-Life), naming the replacement; None when Active."""
    status = model.status(on)
    if status is Lifecycle.ACTIVE:
        return None
    replacement = MODELS[model.replacement or DEFAULTS[model.use].model_id]
    page = MODEL_LIFECYCLE_PAGE if (model.launched or date.min) >= date(2026, 9, 7) else LEGACY_LIFECYCLE_PAGE
    if status is Lifecycle.LEGACY:
        return (
            f"{model.model_id} is Legacy on Amazon Bedrock (end of life {model.eol}; {page}); "
            f"use {replacement.model_id} ({replacement.name})"
        )
    since = f" since {model.eol}" if model.eol else ""
    return (
        f"{model.model_id} is End-of-Life on Amazon Bedrock{since} and no longer answers ({page}); "
        f"use {replacement.model_id} ({replacement.name})"
    )


def refusal(reference: str, use: ModelUse, on: date | None = None) -> str | None:
    """Why `reference` cannot be a stage's `use` model (None when it can): unknown, wrong class, Legacy, EOL."""
    try:
        model = lookup(reference)
    except ModelCatalogueError as error:
        return str(error)
    if model.use.generates_text != use.generates_text:
        kind = "an embedding model" if model.use is ModelUse.EMBEDDING else "a text model"
        return f"{reference} is {kind}; use {DEFAULTS[use].model_id} (the Active {use.value} default)"
    return lifecycle_problem(model, on)


def invocation(reference: str, region: str) -> Invocation:
    """How a stage in `region` calls `reference`: a pinned profile as given, else in-Region, geographic, global."""
    geography, _ = split_reference(reference)
    model = lookup(reference)
    if geography is not None:
        pinned = model.profile(geography)
        if pinned is not None and region in pinned.routes:
            return Invocation(model, region, pinned)
        sources = ", ".join(sorted(pinned.routes)) if pinned else "none"
        raise ModelCatalogueError(
            f"{reference} cannot be called from {region}: the {geography.value}. profile's source Regions are "
            f"{sources}; pin {model.model_id} and the platform picks the route {region} offers"
        )
    if region in model.in_region:
        return Invocation(model, region)
    for preferred in (False, True):  # a geographic profile keeps the data in its geography: prefer it
        for profile in model.profiles:
            if profile.is_global is preferred and region in profile.routes:
                return Invocation(model, region, profile)
    offered = ", ".join(sorted(model.regions())) or "none"
    raise ModelCatalogueError(
        f"{model.model_id} ({model.name}) is not offered in {region}, in-Region or through an inference profile; "
        f"Regions it can be called from: {offered}"
    )


def reachable(reference: str, region: str) -> bool:
    try:
        invocation(reference, region)
    except ModelCatalogueError:
        return False
    return True
