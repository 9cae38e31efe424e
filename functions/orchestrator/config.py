"""The orchestrator's environment, read once per container (the Agent component sets it).

AGENT_ENGINE picks what answers: `classic` (Bedrock Agents InvokeAgent; AGENT_ID, AGENT_ALIAS_ID; the
default when the variable is absent) or `agentcore` (an AgentCore managed harness; HARNESS_ARN and the
variables of orchestrator/harness_config.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from shared.config import ConfigError, env_int, env_optional_str, env_str, stage

from orchestrator.messages import DEFAULT_LANGUAGE, Language

if TYPE_CHECKING:
    from orchestrator.harness_config import HarnessConfig

# Bedrock's inputText limit is 25,000 characters.
MAX_INPUT_CHARS_LIMIT = 25_000
DEFAULT_MAX_INPUT_CHARS = 4_000


class Engine(StrEnum):
    CLASSIC = "classic"  # Bedrock Agents (InvokeAgent)
    AGENTCORE = "agentcore"  # AgentCore managed harness (InvokeHarness)


@dataclass(frozen=True)
class OrchestratorConfig:
    stage: str
    engine: Engine
    agent_id: str | None  # classic
    agent_alias_id: str | None  # classic
    harness: HarnessConfig | None  # agentcore
    agent_name: str
    session_table_name: str
    session_ttl_hours: int
    fallback_model_id: str
    guardrail_id: str
    guardrail_version: str
    escalation_queue_url: str | None  # walk and run only
    max_input_chars: int
    circuit_failure_threshold: int
    circuit_recovery_seconds: int
    language: Language  # of the texts the orchestrator writes itself (AGENT_LANGUAGE, default ko)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OrchestratorConfig:
        engine = _engine(environ)
        classic = engine is Engine.CLASSIC
        return cls(
            stage=stage(environ),
            engine=engine,
            agent_id=env_str("AGENT_ID", environ=environ) if classic else None,
            agent_alias_id=env_str("AGENT_ALIAS_ID", environ=environ) if classic else None,
            harness=None if classic else _harness(environ),
            agent_name=env_str("AGENT_NAME", environ=environ),
            session_table_name=env_str("SESSION_TABLE_NAME", environ=environ),
            session_ttl_hours=env_int("SESSION_TTL_HOURS", default=24, minimum=1, maximum=24 * 90, environ=environ),
            fallback_model_id=env_str("FALLBACK_MODEL_ID", environ=environ),
            guardrail_id=env_str("GUARDRAIL_ID", environ=environ),
            guardrail_version=env_str("GUARDRAIL_VERSION", environ=environ),
            escalation_queue_url=env_optional_str("ESCALATION_QUEUE_URL", environ=environ),
            max_input_chars=env_int(
                "MAX_INPUT_CHARS",
                default=DEFAULT_MAX_INPUT_CHARS,
                minimum=1,
                maximum=MAX_INPUT_CHARS_LIMIT,
                environ=environ,
            ),
            circuit_failure_threshold=env_int(
                "CIRCUIT_FAILURE_THRESHOLD", default=5, minimum=1, maximum=100, environ=environ
            ),
            circuit_recovery_seconds=env_int(
                "CIRCUIT_RECOVERY_SECONDS", default=30, minimum=1, maximum=3600, environ=environ
            ),
            language=_language(environ),
        )


def _engine(environ: Mapping[str, str] | None) -> Engine:
    value = env_optional_str("AGENT_ENGINE", environ=environ) or Engine.CLASSIC.value
    try:
        return Engine(value.lower())
    except ValueError:
        choices = ", ".join(engine.value for engine in Engine)
        raise ConfigError(f"environment variable AGENT_ENGINE={value!r} must be one of: {choices}") from None


def _harness(environ: Mapping[str, str] | None) -> HarnessConfig:
    # Imported here: classic containers never load the AgentCore engine's modules.
    from orchestrator.harness_config import HarnessConfig

    return HarnessConfig.from_env(environ)


def _language(environ: Mapping[str, str] | None) -> Language:
    value = env_optional_str("AGENT_LANGUAGE", environ=environ) or DEFAULT_LANGUAGE.value
    try:
        return Language(value.lower())
    except ValueError:
        choices = ", ".join(language.value for language in Language)
        raise ConfigError(f"environment variable AGENT_LANGUAGE={value!r} must be one of: {choices}") from None
