"""Jinja2 rendering of `templates/<kind>/files/`, in memory: nothing touches the tree until it is all valid.

File paths carry tokens: `functions/tools/__package__/api.py.j2` -> `functions/tools/order_status/api.py`. A
template that renders to nothing but whitespace is not written (e.g. the create event of a read-only tool).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import yaml

SUFFIX = ".j2"
_TOKEN = re.compile(r"__([a-z]+)__")
TEXT_WIDTH = 100


def yaml_scalar(value: str, *, flow: bool = False) -> str:
    """Plain when YAML reads it back as this very text where it goes (a block value, or a flow-list item with
    `flow`): `billing-team`, `Answers billing questions, politely.`; quoted otherwise (`no`, `1.0`, `a: b`)."""
    if value and value == value.strip() and value.isprintable() and value[0].isalnum():
        probe, expected = (f"key: [{value}]", [value]) if flow else (f"key: {value}", value)
        try:
            if yaml.safe_load(probe) == {"key": expected}:
                return value
        except yaml.YAMLError:
            pass
    return _quoted(value)


def yaml_item(value: str) -> str:
    return yaml_scalar(value, flow=True)


def yaml_text(value: str, indent: int) -> str:
    """Prose as a folded block (`>-`, wrapped, like the hand-written files), or quoted if folding would alter it."""
    lines = textwrap.wrap(value, TEXT_WIDTH - indent, break_long_words=False, break_on_hyphens=False)
    folded = ">-\n" + "\n".join(" " * indent + line for line in lines)
    try:
        if yaml.safe_load(f"text: {folded}\n") == {"text": value}:
            return folded
    except yaml.YAMLError:
        pass
    return _quoted(value)


def _quoted(value: str) -> str:
    """A double-quoted scalar on one line: PyYAML escapes whatever YAML cannot hold literally."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")


def jinja_environment(templates_dir: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,  # a misspelled variable fails the render, never renders as ""
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # YAML, Python and JSON, not HTML
    )
    environment.filters["yaml"] = yaml_scalar
    environment.filters["yaml_item"] = yaml_item
    environment.filters["yaml_text"] = yaml_text
    return environment


def render(environment: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    return environment.get_template(template).render(**context)


def render_tree(
    environment: jinja2.Environment, kind: str, context: Mapping[str, Any], tokens: Mapping[str, str]
) -> dict[str, str]:
    """Every `templates/<kind>/files/**.j2`, rendered: {relative target path: content}."""
    templates_dir = Path(environment.loader.searchpath[0])  # type: ignore[union-attr]
    files_dir = templates_dir / kind / "files"
    rendered: dict[str, str] = {}
    for source in sorted(files_dir.rglob(f"*{SUFFIX}")):
        content = render(environment, source.relative_to(templates_dir).as_posix(), context)
        if not content.strip():
            continue
        relative = source.relative_to(files_dir).as_posix().removesuffix(SUFFIX)
        rendered[_TOKEN.sub(lambda m: tokens.get(m.group(1), m.group(0)), relative)] = content
    return rendered
