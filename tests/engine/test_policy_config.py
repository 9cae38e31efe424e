"""Per-policy config as the CLI resolves it: schema defaults, the config file, levels, schema checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi.runtime.proto import analyzer_pb2

from engine.policy_config import LEVELS, load_policy_config, resolve_policy_config
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


@pytest.mark.parametrize(("text", "error"), [("{nope", "Expecting property name"), ("[1]", "expected a JSON object")])
def test_a_config_file_that_is_not_a_json_object_is_a_usage_error(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(text)
    with pytest.raises(UsageError, match=error):
        load_policy_config(path)


def test_no_config_file_means_no_overrides() -> None:
    assert load_policy_config(None) == {}
