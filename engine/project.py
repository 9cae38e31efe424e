"""Pulumi project and stack files, read the way the Pulumi CLI reads them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class UsageError(Exception):
    """A problem with how the engine was called or with the project files (exit code 2)."""


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    project_dir: Path
    main: Path
    config: dict[str, str]  # fully-qualified keys ("aws:region") -> string values, as the program sees them

    @property
    def region(self) -> str:
        return self.config.get("aws:region", "us-east-1")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise UsageError(f"{path.name}: invalid YAML: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path.name}: expected a mapping at the top level")
    return data


def _as_config_string(key: str, value: Any) -> str:
    """The CLI hands config to programs as strings; structured values as JSON."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        raise UsageError(
            f"config {key} is a secret; the offline engine cannot decrypt secrets. "
            "Use a plain value for offline previews or run the Pulumi CLI."
        )
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def _qualify(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def load_stack(project_dir: Path, stack: str) -> StackConfig:
    """Read Pulumi.yaml and Pulumi.<stack>.yaml; project defaults first, stack values win."""
    project_file = project_dir / "Pulumi.yaml"
    if not project_file.is_file():
        raise UsageError(f"no Pulumi.yaml in {project_dir}")
    project = _read_yaml(project_file)
    name = project.get("name")
    if not isinstance(name, str) or not name:
        raise UsageError("Pulumi.yaml: `name` is required")
    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    if not stack_file.is_file():
        known = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
        raise UsageError(f"unknown stack {stack!r}; known stacks: {', '.join(known) or 'none'}")

    config: dict[str, str] = {}
    for key, spec in (project.get("config") or {}).items():
        default = spec.get("default") if isinstance(spec, dict) else spec
        if default is not None:
            config[_qualify(name, key)] = _as_config_string(key, default)
    for key, value in (_read_yaml(stack_file).get("config") or {}).items():
        config[_qualify(name, key)] = _as_config_string(key, value)

    main = project_dir / str(project.get("main") or "__main__.py")
    if main.is_dir():
        main = main / "__main__.py"
    return StackConfig(project=name, stack=stack, project_dir=project_dir, main=main, config=config)
