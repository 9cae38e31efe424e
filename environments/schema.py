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

from environments.tiers import Tier, profile

# A lowercase slug with single hyphens: valid inside every AWS name we derive (IAM, S3, Bedrock's
# `([0-9a-zA-Z][_-]?){1,100}`, Lambda, DynamoDB ...), and free of `--`, which Bedrock rejects.
SLUG_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=2, max_length=32)]
StageName = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=2, max_length=16)]
# Tag values: AWS allows letters, digits, spaces and + - = . _ : / @ (up to 256 characters).
TagValue = Annotated[str, Field(pattern=r"^[A-Za-z0-9 +\-=._:/@]+$", min_length=1, max_length=128)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", max_length=254)]
# A foundation-model id, optionally behind a geographic cross-region inference profile prefix.
ModelId = Annotated[str, Field(pattern=r"^((us|eu|apac|global)\.)?[a-z0-9-]+\.[a-z0-9-]+[a-z0-9.:-]*$", max_length=128)]
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
    """The model catalog of the stage: the seed's hybrid strategy, one model per class."""

    light: ModelId = "anthropic.claude-3-haiku-20240307-v1:0"
    strong: ModelId = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    embedding: ModelId = "amazon.titan-embed-text-v2:0"
    embedding_dimensions: Annotated[int, Field(ge=256, le=1024)] = 1024

    @field_validator("embedding_dimensions")
    @classmethod
    def _titan_dimension(cls, value: int) -> int:
        if value not in (256, 512, 1024):
            raise ValueError("Titan text embeddings v2 supports 256, 512 or 1024 dimensions")
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
    knowledge_sources: tuple[KnowledgeSource, ...] = ()
    agents: tuple[Agent, ...]  # at least one: see _references_resolve

    @property
    def owns_account_singletons(self) -> bool:
        return self.account.owner_stage == self.stage

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
