"""Every constraint of a request's botocore input shape, for tests.

botocore's ParamValidator (which a Stubber-backed client runs on every call) checks required members,
types and minimums; it lets a too-long string, a value that breaks a `pattern`, a bad enum or a union
with two members through, which AWS would refuse. `violations()` checks those too, and `watch()` hooks
it to a client so every request a test makes is checked.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.model import Shape


def violations(shape: Shape, value: Any, path: str = "") -> list[str]:
    """What in `value` breaks `shape` (an input shape of a botocore service model)."""
    errors: list[str] = []
    _walk(shape, value, path or shape.name, errors)
    return errors


def watch(client: Any, found: list[str]) -> None:
    """Check every request of `client` (before it is serialised) and collect what breaks its shape."""

    def check(params: dict[str, Any], model: Any, **_: Any) -> None:
        found.extend(violations(model.input_shape, params, model.name))

    client.meta.events.register("before-parameter-build", check)


def _walk(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        _structure(shape, value, path, errors)
    elif kind == "list":
        _list(shape, value, path, errors)
    elif kind == "string":
        _string(shape, value, path, errors)
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: expected an integer")
            return
        _bounds(meta, value, path, errors)


def _list(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, list):
        errors.append(f"{path}: expected a list")
        return
    _bounds(shape.metadata, len(value), path, errors)
    for index, item in enumerate(value):
        _walk(shape.member, item, f"{path}[{index}]", errors)  # type: ignore[attr-defined]


def _string(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, str):
        errors.append(f"{path}: expected a string")
        return
    _bounds(shape.metadata, len(value), path, errors)
    pattern = shape.metadata.get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        errors.append(f"{path}: {value[:80]!r} does not match {pattern}")
    if shape.enum and value not in shape.enum:
        errors.append(f"{path}: {value!r} is not one of {shape.enum}")


def _structure(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    if shape.metadata.get("document"):
        return  # free-form JSON (tool input, toolResult json)
    if not isinstance(value, dict):
        errors.append(f"{path}: expected an object")
        return
    members = shape.members  # type: ignore[attr-defined]
    errors.extend(f"{path}.{name}: unknown member" for name in value if name not in members)
    errors.extend(f"{path}.{name}: required" for name in shape.required_members if name not in value)  # type: ignore[attr-defined]
    if shape.metadata.get("union") and len([k for k in value if k in members]) != 1:
        errors.append(f"{path}: a union needs exactly one of {sorted(members)}")
    for name, item in value.items():
        if name in members:
            _walk(members[name], item, f"{path}.{name}", errors)


def _bounds(meta: dict[str, Any], n: int, path: str, errors: list[str]) -> None:
    if "min" in meta and n < meta["min"]:
        errors.append(f"{path}: {n} < min {meta['min']}")
    if "max" in meta and n > meta["max"]:
        errors.append(f"{path}: {n} > max {meta['max']}")
