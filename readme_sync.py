"""Keep README.md's generated sections (tier matrix, resources per stage) in sync with the code.

python readme_sync.py --write   (make readme)
python readme_sync.py --check   (a test runs this)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine import inventory
from environments import matrix

README = Path(__file__).resolve().parent / "README.md"


def _replace(text: str, start: str, end: str, body: str) -> str:
    if start not in text or end not in text:
        raise ValueError(f"README.md needs the markers {start!r} and {end!r}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def expected_readme() -> str:
    text = README.read_text()
    text = _replace(text, matrix.START, matrix.END, matrix.tier_matrix_markdown())
    resources = inventory.inventory_markdown(README.parent, ["crawl", "walk", "run"])
    return _replace(text, inventory.START, inventory.END, resources)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true")
    action.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    expected = expected_readme()
    if args.write:
        README.write_text(expected)
        return 0
    if README.read_text() != expected:
        print("README.md is stale: run `make readme`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
