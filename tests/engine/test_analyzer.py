from __future__ import annotations

import pytest
from pulumi.runtime.proto import analyzer_pb2

from engine.analyzer import LEVELS, _seconds, resolve_policy_config
from engine.project import UsageError


def _info() -> analyzer_pb2.AnalyzerInfo:
    info = analyzer_pb2.AnalyzerInfo(name="pack", version="1.0.0", supportsConfig=True)
    policy = info.policies.add(name="log-retention", description="d", enforcementLevel=analyzer_pb2.MANDATORY)
    policy.configSchema.properties.update({"minimumDays": {"type": "integer", "minimum": 1, "default": 30}})
    info.policies.add(name="no-wildcards", description="d", enforcementLevel=analyzer_pb2.MANDATORY)
    return info


def test_schema_defaults_apply_when_no_config_is_given() -> None:
    resolved = resolve_policy_config(_info(), {})
    assert dict(resolved["log-retention"].properties) == {"minimumDays": 30}
    assert LEVELS[resolved["log-retention"].enforcementLevel] == "mandatory"


def test_the_config_file_overrides_defaults_and_levels() -> None:
    resolved = resolve_policy_config(
        _info(), {"log-retention": {"minimumDays": 365, "enforcementLevel": "advisory"}, "all": "mandatory"}
    )
    assert dict(resolved["log-retention"].properties) == {"minimumDays": 365}
    assert LEVELS[resolved["log-retention"].enforcementLevel] == "advisory"
    assert LEVELS[resolved["no-wildcards"].enforcementLevel] == "mandatory"


def test_a_value_the_schema_rejects_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"log-retention.minimumDays: 0 is less than the minimum of 1"):
        resolve_policy_config(_info(), {"log-retention": {"minimumDays": 0}})


def test_an_invalid_enforcement_level_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="enforcementLevel 'strict'"):
        resolve_policy_config(_info(), {"no-wildcards": "strict"})


@pytest.mark.parametrize(("text", "seconds"), [("", 0), ("45s", 45), ("5m", 300), ("1h30m", 5400)])
def test_custom_timeouts_are_sent_in_seconds(text: str, seconds: float) -> None:
    assert _seconds(text) == seconds
