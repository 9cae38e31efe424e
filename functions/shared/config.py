"""Typed access to a function's environment variables, read once per container.

A missing or malformed variable is a deployment bug: the error names the variable, the value and
what is expected, so the first failing invocation's log says exactly which setting to fix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any


class ConfigError(RuntimeError):
    """The function's environment is incomplete or malformed."""


def env_str(name: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = (os.environ if environ is None else environ).get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is required but not set")
    return value


def env_optional_str(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or None


def env_int(
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        if default is None:
            raise ConfigError(f"environment variable {name} is required but not set")
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not an integer") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigError(f"environment variable {name}={value} must be between {minimum} and {maximum}")
    return value


def env_json(name: str, *, environ: Mapping[str, str] | None = None) -> Any:
    raw = env_str(name, environ=environ)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ConfigError(f"environment variable {name} is not valid JSON: {error}") from None


def stage(environ: Mapping[str, str] | None = None) -> str:
    """The deployment stage (crawl, walk, run, or a custom stage name): the `stage` metric dimension."""
    return env_str("STAGE", environ=environ)


def table_name_env(table: str) -> str:
    """Environment variable holding the name of a tool's table (`tool.yaml` `tables` key):
    `tickets` -> `TICKETS_TABLE_NAME`, `order-lines` -> `ORDER_LINES_TABLE_NAME`."""
    return f"{table.upper().replace('-', '_')}_TABLE_NAME"
