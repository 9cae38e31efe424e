"""Environment configuration errors name the variable and the fix."""

from __future__ import annotations

import pytest
from orchestrator.config import OrchestratorConfig
from shared.config import ConfigError, env_int, env_json, env_str, table_name_env

from environments.models import DEFAULTS, ModelUse

FULL_ENV = {
    "STAGE": "crawl",
    "AGENT_ID": "AGENT12345",
    "AGENT_ALIAS_ID": "ALIAS12345",
    "AGENT_NAME": "support-assistant",
    "SESSION_TABLE_NAME": "sessions",
    "FALLBACK_MODEL_ID": DEFAULTS[ModelUse.LIGHT].model_id,
    "GUARDRAIL_ID": "gr1",
    "GUARDRAIL_VERSION": "1",
}


def test_a_missing_variable_is_named():
    with pytest.raises(ConfigError, match="environment variable AGENT_ID is required"):
        OrchestratorConfig.from_env({k: v for k, v in FULL_ENV.items() if k != "AGENT_ID"})


def test_defaults_apply_and_the_queue_is_optional():
    config = OrchestratorConfig.from_env(FULL_ENV)
    assert (config.session_ttl_hours, config.max_input_chars, config.escalation_queue_url) == (24, 4000, None)
    assert (config.circuit_failure_threshold, config.circuit_recovery_seconds) == (5, 30)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "MAX_INPUT_CHARS='abc' is not an integer"),
        ("30000", "MAX_INPUT_CHARS=30000 must be between 1 and 25000"),
    ],
)
def test_malformed_numbers_are_explained(raw, message):
    with pytest.raises(ConfigError, match=message):
        OrchestratorConfig.from_env({**FULL_ENV, "MAX_INPUT_CHARS": raw})


def test_helpers():
    assert env_str("X", environ={"X": " v "}) == "v"
    assert env_int("N", default=3, environ={}) == 3
    assert env_json("J", environ={"J": '{"a": 1}'}) == {"a": 1}
    assert table_name_env("order-lines") == "ORDER_LINES_TABLE_NAME"
