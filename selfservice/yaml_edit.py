"""Append an item to a top-level block list of a YAML file as text, keeping its comments and layout.

Re-dumping the whole file would drop every comment a team wrote (why a stage owns the account singletons,
why an agent is strict, ...). So the item's text goes right after the last line of the list, with the list's
own indentation, and the result is parsed back and compared with the intended data before it is accepted.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import yaml


class EditError(ValueError):
    """The file's layout does not allow a safe textual append; the message says what to change."""


def append_list_item(text: str, key: str, item: str) -> str:
    """`text` with `item` (YAML of one list item, starting with `- `, unindented) appended to `key:`."""
    lines = text.splitlines(keepends=True)
    header = re.compile(rf"^{re.escape(key)}:[ \t]*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line.rstrip("\r\n"))), None)
    if start is None:
        raise EditError(f"no top-level `{key}:` block list")
    last = start  # the last line that belongs to the list: indented, not blank
    indent: int | None = None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if not line[0].isspace():
            if line.startswith("#"):
                continue  # a comment at column 0 may sit between items or precede the next key
            break
        last = index
        if indent is None and line.lstrip().startswith("- "):
            indent = len(line) - len(line.lstrip())
    block = textwrap.indent(item if item.endswith("\n") else item + "\n", " " * (2 if indent is None else indent))
    before = lines[: last + 1]
    if before and not before[-1].endswith("\n"):
        before[-1] += "\n"
    edited = "".join(before) + block + "".join(lines[last + 1 :])
    _check(text, edited, key, yaml.safe_load(item))
    return edited


def _check(original: str, edited: str, key: str, item: Any) -> None:
    """The edit must mean exactly: the same document with one more item at the end of `key`."""
    before, after = yaml.safe_load(original), yaml.safe_load(edited)
    expected = dict(before)
    expected[key] = [*(before.get(key) or []), *item]
    if after != expected:
        raise EditError(f"appending to `{key}:` as text would change other data")
