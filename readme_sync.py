"""Keep the READMEs' generated sections in sync with the code: README.md's tier matrix, models per stage and model
catalogue, and resources per stage, policies/README.md's policy table and coverage (policies.docs).

python readme_sync.py --write   (make readme)
python readme_sync.py --check   (a test runs this)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine import inventory, load_stack
from environments import load_environment, matrix, model_docs
from policies.docs import generator

README = Path(__file__).resolve().parent / "README.md"
STAGES = ("crawl", "walk", "run")


def _replace(text: str, start: str, end: str, body: str) -> str:
    if start not in text or end not in text:
        raise ValueError(f"README.md needs the markers {start!r} and {end!r}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def expected_readme() -> str:
    text = README.read_text()
    text = _replace(text, matrix.START, matrix.END, matrix.tier_matrix_markdown())
    stages = []
    for name in STAGES:
        config = load_stack(README.parent, name).config
        stages.append((load_environment(config["agent-platform:environment"]), config["aws:region"]))
    text = _replace(text, model_docs.START, model_docs.END, model_docs.models_markdown(stages))
    resources = inventory.inventory_markdown(README.parent, list(STAGES))
    return _replace(text, inventory.START, inventory.END, resources)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true")
    action.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    expected = {README: expected_readme(), generator.README: generator.render_readme(generator.README.read_text())}
    if args.write:
        for path, text in expected.items():
            path.write_text(text)
        return 0
    stale = [path for path, text in expected.items() if path.read_text() != text]
    for path in stale:
        print(f"{path.relative_to(README.parent)} is stale: run `make readme`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
