"""Unknown-safe access to resource properties as the analyzer hands them to policies.

pulumi_policy wraps properties in proxies that raise `UnknownValueError` when a computed value (an
ARN in preview) is read; that would turn every such read into an advisory "can't run policy during
preview". Policies here unwrap the proxies once with `plain()` and meet unknowns as the `UNKNOWN`
marker instead, so each rule decides explicitly what an unknown means for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Final, Literal

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)
from pulumi_policy.secret import Secret

SENTINELS = frozenset(
    {
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_STRING_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)


class _Unknown(Enum):
    """A value computed by the cloud provider, not known before it exists (preview).

    A one-member enum, so that the type checker narrows `value is UNKNOWN` (PEP 484's sentinel idiom).
    """

    VALUE = "unknown"

    def __repr__(self) -> str:
        return "<unknown>"

    def __str__(self) -> str:
        return "<unknown>"

    def __bool__(self) -> bool:
        # Conservative: code that forgets to handle UNKNOWN treats it as "not set", never as "set".
        return False


class _Invalid:
    """A JSON document that does not parse."""

    def __init__(self, error: str) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"<invalid: {self.error}>"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = _Unknown.VALUE
Unknown = Literal[_Unknown.VALUE]


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, str) and value in SENTINELS)


_SCALARS = (int, float, bool, type(None))


def plain(value: Any) -> Any:
    """Proxies, secrets and sentinels -> plain dicts, lists, scalars and UNKNOWN (recursively)."""
    # Exact-type fast paths first: plain runs on every property of every resource, and isinstance
    # against the Mapping/Sequence ABCs costs several times more than a type comparison.
    kind = type(value)
    if kind is str:
        return UNKNOWN if value in SENTINELS else value
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {key: plain(item) for key, item in value.items()}
    if kind is list:
        return [plain(item) for item in value]
    target = _target(value)
    if isinstance(target, Secret):
        return plain(target.value)
    if isinstance(target, Mapping):
        return {key: plain(item) for key, item in target.items()}
    if isinstance(target, Sequence) and not isinstance(target, (str, bytes)):
        return [plain(item) for item in target]
    if isinstance(target, str) and target in SENTINELS:
        return UNKNOWN
    return target


def _target(value: Any) -> Any:
    """The object a pulumi_policy proxy wraps (proxies answer `["__target"]`), or the value itself."""
    if type(value).__name__ in ("_DictProxy", "_ListProxy", "_DictSecretsProxy", "_ListSecretsProxy"):
        return value["__target"]
    return value


def get(data: Any, path: str | Sequence[str | int], default: Any = None) -> Any:
    """`get(props, "tracingConfig.mode")`: the value, `default` when absent, UNKNOWN when unknown on the way."""
    parts = path.split(".") if isinstance(path, str) else list(path)
    current = data
    for part in parts:
        if current is UNKNOWN:
            return UNKNOWN
        if isinstance(current, Mapping):
            if part not in current:
                return default
            current = current[part]
        elif isinstance(current, list) and (isinstance(part, int) or (str(part).isascii() and str(part).isdigit())):
            index = int(part)
            if index >= len(current):
                return default
            current = current[index]
        else:
            return default
    return default if current is None else current


def items(data: Any, path: str) -> list[Any] | Unknown:
    """A list property (a single object counts as a one-element list, absent as empty)."""
    value = get(data, path)
    if isinstance(value, _Unknown):  # not `is UNKNOWN`: mypy would narrow UNKNOWN itself to `value`'s Any
        return UNKNOWN
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def as_json(value: Any) -> Any:
    """A JSON-string property parsed: the document, None when absent, UNKNOWN, or an _Invalid marker."""
    if value is None or is_unknown(value):
        return None if value is None else UNKNOWN
    if isinstance(value, (dict, list)):
        return value
    if not isinstance(value, str):
        return _Invalid(f"expected a JSON string, got {type(value).__name__}")
    if value.strip() == "":
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        return _Invalid(str(error))


def is_invalid(value: Any) -> bool:
    return isinstance(value, _Invalid)


def truthy(value: Any) -> bool:
    """True only for a known true value (booleans may arrive as "true" strings from provider config)."""
    if isinstance(value, str):
        return value.lower() == "true"
    return value is True


def number(value: Any) -> float | None:
    """A known number (numbers arrive as floats), else None."""
    if isinstance(value, bool) or value is UNKNOWN:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def short_name(urn: str) -> str:
    """The logical name at the end of a URN, for messages."""
    return urn.rsplit("::", 1)[-1]
