"""Schema of `environments/<stage>.yaml`: the stage, its tier, sizing and the agents teams declared.

Strict by design: an unknown key, a wrong type or an impossible value is refused before any resource
exists, so a typo can never deploy half a stage. Cross-field rules (tool and knowledge references,
collaborators, tier limits) live in the model validators at the bottom.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from environments.guardrail_tiers import LANGUAGES
from environments.models import DEFAULTS, MODEL_REFERENCE_PATTERN, MODELS, ModelUse, base_model_id, refusal
from environments.tiers import Tier, profile

# A lowercase slug with single hyphens: valid inside every AWS name we derive (IAM, S3, Bedrock's
# `([0-9a-zA-Z][_-]?){1,100}`, Lambda, DynamoDB ...), and free of `--`, which Bedrock rejects.
SLUG_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=2, max_length=32)]
StageName = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=2, max_length=16)]
# Tag values: AWS allows letters, digits, spaces and + - = . _ : / @ (up to 256 characters).
TagValue = Annotated[str, Field(pattern=r"^[A-Za-z0-9 +\-=._:/@]+$", min_length=1, max_length=128)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", max_length=254)]
# A foundation-model id, optionally behind a cross-Region inference profile prefix; environments/models.py then
# says whether the platform offers it (Active) or refuses it (Legacy, End-of-Life, unknown).
ModelId = Annotated[str, Field(pattern=MODEL_REFERENCE_PATTERN, max_length=128)]
# An ISO 639-1 language code; environments/guardrail_tiers.py lists the ones the guardrails' Standard tier supports.
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
# The languages the platform writes its own texts in (guardrail blocked messages, the orchestrator's notices): a
# stage's first language must be one of them.
TEXT_LANGUAGES = ("ko", "en")
# As EventBridge Scheduler accepts them: `rate(1 day)` / `rate(6 hours)` (singular unit only for 1), or a
# six-field `cron(minutes hours day-of-month month day-of-week year)`.
ScheduleExpression = Annotated[
    str,
    Field(
        pattern=r"^(rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\)"
        r"|cron\([^\s()]+( [^\s()]+){5}\))$"
    ),
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ModelClass(StrEnum):
    LIGHT = "light"  # routing, simple lookups: cheap and fast
    STRONG = "strong"  # analysis, multi-step reasoning: accurate


class GuardrailProfile(StrEnum):
    BASELINE = "baseline"
    STRICT = "strict"


class Models(StrictModel):
    """The stage's models, one per class (the seed's hybrid strategy), from the catalogue (environments/models.py).

    A model or inference-profile id may be pinned; a Legacy model is refused with its replacement and end-of-life
    date, an End-of-Life or unknown model always. Which Region serves it is decided for the stage's Region when the
    program runs (`environments.models.invocation`).
    """

    light: ModelId = DEFAULTS[ModelUse.LIGHT].model_id
    strong: ModelId = DEFAULTS[ModelUse.STRONG].model_id
    embedding: ModelId = DEFAULTS[ModelUse.EMBEDDING].model_id
    embedding_dimensions: Annotated[int, Field(ge=256, le=1024)] = DEFAULTS[ModelUse.EMBEDDING].dimensions[0]

    @field_validator("light", "strong", "embedding")
    @classmethod
    def _offered(cls, value: str, info: ValidationInfo) -> str:
        problem = refusal(value, ModelUse(str(info.field_name)))
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("embedding_dimensions")
    @classmethod
    def _embedding_dimension(cls, value: int, info: ValidationInfo) -> int:
        embedding = info.data.get("embedding")  # absent when it was refused: that error is reported instead
        model = MODELS.get(base_model_id(embedding)) if isinstance(embedding, str) else None
        if model is not None and value not in model.dimensions:
            sizes = ", ".join(str(d) for d in sorted(model.dimensions))
            raise ValueError(f"{model.model_id} produces {sizes} dimensions; choose one of them")
        return value


class AccountSingletons(StrictModel):
    """Account-wide resources that exactly one stage per account and region may own."""

    account_label: Slug  # stages with the same label share an AWS account and region
    owner_stage: StageName  # the stage that creates model-invocation logging and the API Gateway account role


class Budget(StrictModel):
    monthly_limit_usd: Annotated[float, Field(gt=0, le=1_000_000)]
    alert_threshold_percent: Annotated[int, Field(ge=1, le=100)] = 80


class Alarms(StrictModel):
    latency_p99_ms: Annotated[int, Field(ge=100, le=120_000)] = 15_000
    error_rate_percent: Annotated[float, Field(gt=0, le=100)] = 5
    tool_failure_rate_percent: Annotated[float, Field(gt=0, le=100)] = 10
    daily_token_budget: Annotated[int, Field(ge=1_000, le=10_000_000_000)] = 5_000_000


class Sizing(StrictModel):
    lambda_memory_mb: Annotated[int, Field(ge=128, le=10_240)] = 512
    # API Gateway's integration timeout is 29 s; the orchestrator must answer (or degrade) before it.
    orchestrator_timeout_seconds: Annotated[int, Field(ge=5, le=28)] = 28
    tool_timeout_seconds: Annotated[int, Field(ge=3, le=120)] = 30
    api_rate_limit: Annotated[float, Field(gt=0, le=10_000)] = 25
    api_burst_limit: Annotated[int, Field(ge=1, le=5_000)] = 50
    session_ttl_hours: Annotated[int, Field(ge=1, le=24 * 90)] = 24


class KnowledgeSource(StrictModel):
    name: Slug
    description: Annotated[str, Field(min_length=10, max_length=200)]
    sync_schedule: ScheduleExpression = "rate(1 day)"


class Agent(StrictModel):
    name: Slug
    owner: TagValue
    description: Annotated[str, Field(min_length=10, max_length=200)]
    # Bedrock requires at least 40 characters of instruction.
    instruction: Annotated[str, Field(min_length=40, max_length=4000)]
    model_class: ModelClass = ModelClass.LIGHT
    tools: tuple[Slug, ...] = ()
    knowledge_sources: tuple[Slug, ...] = ()
    guardrail_profile: GuardrailProfile = GuardrailProfile.BASELINE
    collaborators: tuple[Slug, ...] = ()  # run tier: this agent supervises these agents
    idle_session_ttl_minutes: Annotated[int, Field(ge=1, le=60)] = 10
    memory_days: Annotated[int, Field(ge=1, le=365)] = 30

    @field_validator("tools", "knowledge_sources", "collaborators")
    @classmethod
    def _no_duplicates(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"lists {', '.join(duplicates)} more than once; list each once")
        return values


class Environment(StrictModel):
    stage: StageName
    tier: Tier
    owner: TagValue
    cost_center: TagValue
    account: AccountSingletons
    alarm_emails: Annotated[tuple[Email, ...], Field(max_length=10)]  # at least one: see _references_resolve
    # Who answers escalated conversations (walk and run); defaults to alarm_emails.
    escalation_emails: Annotated[tuple[Email, ...], Field(max_length=10)] = ()
    budget: Budget
    alarms: Alarms = Alarms()
    sizing: Sizing = Sizing()
    models: Models = Models()
    # The languages users write in, the first one the language of the platform's own texts. Guardrails use the
    # Standard safeguard tier unless every language is among the Classic tier's (en, fr, es).
    languages: tuple[LanguageCode, ...] = ("ko", "en")
    knowledge_sources: tuple[KnowledgeSource, ...] = ()
    agents: tuple[Agent, ...]  # at least one: see _references_resolve

    @property
    def owns_account_singletons(self) -> bool:
        return self.account.owner_stage == self.stage

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            raise ValueError(f"name at least one language; the first must be one of {', '.join(TEXT_LANGUAGES)}")
        unknown = [v for v in values if v not in LANGUAGES]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} is not a language the guardrails support; use ISO 639-1 codes from "
                f"environments/guardrail_tiers.py ({', '.join(sorted(LANGUAGES))})"
            )
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"lists {', '.join(duplicates)} more than once; list each once")
        if values[0] not in TEXT_LANGUAGES:
            raise ValueError(
                f"the first language ({values[0]}) is the one the platform writes its own messages in; "
                f"put {' or '.join(TEXT_LANGUAGES)} first"
            )
        return values

    @model_validator(mode="after")
    def _fits_the_tier(self) -> Environment:
        tier = profile(self.tier)
        # Checked here, not with min_length: a stage with one broken agent reports that agent, not also "no agents".
        if not self.agents:
            raise ValueError("agents: declare at least one agent")
        if not self.alarm_emails:
            raise ValueError("alarm_emails: name at least one address that receives alarms")
        _unique("agents", [a.name for a in self.agents])
        _unique("knowledge_sources", [k.name for k in self.knowledge_sources])
        if len(self.agents) > tier.max_agents:
            raise ValueError(
                f"agents: tier {self.tier.value} allows at most {tier.max_agents} agent(s), "
                f"found {len(self.agents)}; move the stage to a higher tier or remove agents"
            )
        if tier.requires_knowledge and not self.knowledge_sources:
            raise ValueError(
                f"knowledge_sources: tier {self.tier.value} grounds answers in knowledge; declare at least one source"
            )
        return self

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> Environment:
        tier = profile(self.tier)
        known_tools = (info.context or {}).get("tools")
        sources = {k.name for k in self.knowledge_sources}
        agents = {a.name: a for a in self.agents}
        for index, agent in enumerate(self.agents):
            where = f"agents[{index}] ({agent.name})"
            if known_tools is not None:
                for tool in agent.tools:
                    if tool not in known_tools:
                        raise ValueError(
                            f"{where}.tools: unknown tool {tool!r}; "
                            f"available: {', '.join(sorted(known_tools)) or 'none'}"
                            " (add one under functions/tools/ with `make new-tool`)"
                        )
            for source in agent.knowledge_sources:
                if source not in sources:
                    raise ValueError(
                        f"{where}.knowledge_sources: {source!r} is not declared under knowledge_sources; "
                        f"declared: {', '.join(sorted(sources)) or 'none'}"
                    )
            _check_collaborators(where, agent, agents, tier.multi_agent_collaboration, self.tier.value)
        return self


def _unique(field: str, names: list[str]) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{field}: name {duplicates[0]!r} is used more than once; names must be unique")


def _check_collaborators(where: str, agent: Agent, agents: dict[str, Agent], allowed: bool, tier: str) -> None:
    if not agent.collaborators:
        return
    if not allowed:
        raise ValueError(
            f"{where}.collaborators: multi-agent collaboration is a run-tier capability (this stage is {tier}); "
            "remove the collaborators or move the stage to run"
        )
    if len(agent.collaborators) > 10:
        raise ValueError(f"{where}.collaborators: Bedrock allows at most 10 collaborators per supervisor")
    for name in agent.collaborators:
        if name == agent.name:
            raise ValueError(f"{where}.collaborators: an agent cannot collaborate with itself")
        if name not in agents:
            raise ValueError(f"{where}.collaborators: unknown agent {name!r}; declare it under agents")
        if agents[name].collaborators:
            raise ValueError(
                f"{where}.collaborators: {name!r} is itself a supervisor; collaborators must be leaf agents"
            )


def humanize_location(loc: tuple[int | str, ...]) -> str:
    """('agents', 0, 'tools', 1) -> 'agents[0].tools[1]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"function-after\[.*\]|tagged-union\[.*\]", str(part)):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text
