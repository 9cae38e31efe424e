"""Per-policy configuration as the Pulumi CLI computes it from the pack's schemas and a `--policy-pack-config`
file: schema defaults < the pack's initialConfig < the config file, each value checked against the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from engine.project import UsageError

LEVELS = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
LEVEL_VALUES = {name: value for value, name in LEVELS.items()}


def load_policy_config(path: Path | None) -> dict[str, Any]:
    """The `--policy-pack-config` file: a JSON object keyed by policy name (or "all")."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(f"policy pack config {path}: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"policy pack config {path}: expected a JSON object keyed by policy name")
    return data


def resolve_policy_config(
    info: analyzer_pb2.AnalyzerInfo, overrides: dict[str, Any]
) -> dict[str, analyzer_pb2.PolicyConfig]:
    """Per-policy config as the CLI computes it: schema defaults < pack initialConfig < config file.

    A value the schema rejects, or config for a policy the pack doesn't have, is a usage error.
    """
    policies = {p.name: p for p in info.policies}
    unknown = sorted(set(overrides) - set(policies) - {"all"})
    if unknown:
        raise UsageError(f"policy config names unknown policies: {', '.join(unknown)}")
    resolved: dict[str, analyzer_pb2.PolicyConfig] = {}
    for name, policy in policies.items():
        schema = json_format.MessageToDict(policy.configSchema) if policy.HasField("configSchema") else {}
        properties_schema = schema.get("properties", {})
        values = {k: v["default"] for k, v in properties_schema.items() if isinstance(v, dict) and "default" in v}
        level = LEVELS[policy.enforcementLevel]
        for layer in (overrides.get("all"), _initial(info, name), overrides.get(name)):
            if isinstance(layer, str):
                level = layer
            elif isinstance(layer, dict):
                level = layer.get("enforcementLevel", level)
                values.update({k: v for k, v in layer.items() if k != "enforcementLevel"})
        if level not in LEVEL_VALUES:
            raise UsageError(
                f"policy config {name}: enforcementLevel {level!r} is not one of {', '.join(LEVEL_VALUES)}"
            )
        if properties_schema:
            # As jsonschema.validate, minus re-checking the pack's schema against the meta-schema on every
            # preview (the pack's tests do that once): that check was most of this phase's time.
            full_schema = {"type": "object", **schema}
            validator = jsonschema.validators.validator_for(full_schema)(full_schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(values))
            if error is not None:
                path = ".".join(str(p) for p in error.absolute_path) or "(root)"
                raise UsageError(f"policy config {name}.{path}: {error.message}")
        config = analyzer_pb2.PolicyConfig(enforcementLevel=LEVEL_VALUES[level])
        config.properties.update(values)
        resolved[name] = config
    return resolved


def _initial(info: analyzer_pb2.AnalyzerInfo, name: str) -> dict[str, Any] | str | None:
    if name not in info.initialConfig:
        return None
    config = info.initialConfig[name]
    values: dict[str, Any] = json_format.MessageToDict(config.properties)
    values["enforcementLevel"] = LEVELS[config.enforcementLevel]
    return values
