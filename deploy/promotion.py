"""The promotion rule: a commit reaches a stage only after it went through the previous one.

Stages are promoted crawl -> walk -> run (environments' tiers). When a stage's evaluation gate passes,
the pipeline records it on the commit as a GitHub commit status `agent-platform/promoted/<stage>` =
success; before deploying the next stage it reads the commit's statuses and refuses unless the previous
stage's latest status is success. A commit status is used rather than a Pulumi stack tag or output
because the stages live in different accounts with different state backends (bootstrap/): the next
stage's deploy role cannot, and should not, read the previous stage's state.

  python -m deploy.promotion check --stage walk --statuses statuses.jsonl   # exit 0: allowed; 1: refused
  python -m deploy.promotion context --stage crawl                          # the status context to record

`statuses` is what GitHub's "List commit statuses for a reference" endpoint returns (a JSON array, or
JSON lines as `gh api --paginate --jq '.[]'` prints them).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ORDER = ("crawl", "walk", "run")
CONTEXT_PREFIX = "agent-platform/promoted/"
EXIT_ALLOWED, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def context(stage: str) -> str:
    return f"{CONTEXT_PREFIX}{stage}"


def previous_stage(stage: str) -> str | None:
    if stage not in ORDER:
        raise ValueError(f"unknown stage {stage!r}; the promotion order is {' -> '.join(ORDER)}")
    index = ORDER.index(stage)
    return ORDER[index - 1] if index else None


def latest_state(statuses: Sequence[dict[str, Any]], wanted: str) -> str | None:
    """The state of the newest status with this context (GitHub keeps every status ever set)."""
    matching = [s for s in statuses if s.get("context") == wanted]
    if not matching:
        return None
    newest = max(matching, key=lambda s: (str(s.get("created_at", "")), int(s.get("id", 0))))
    return str(newest.get("state"))


def decide(stage: str, statuses: Sequence[dict[str, Any]]) -> tuple[bool, str]:
    previous = previous_stage(stage)
    if previous is None:
        return True, f"{stage} is the first stage: every commit on the default branch may reach it"
    state = latest_state(statuses, context(previous))
    if state == "success":
        return True, f"{previous} passed its gate for this commit ({context(previous)}=success): {stage} may deploy it"
    found = f"its latest {context(previous)} is {state}" if state else f"it has no {context(previous)} status"
    return False, f"refused: this commit has not gone through {previous} ({found}); deploy it to {previous} first"


def read_statuses(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        return []
    if text.startswith("["):
        data = json.loads(text)
        return [s for s in data if isinstance(s, dict)]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.promotion", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="may this commit be deployed to --stage?")
    check.add_argument("--stage", required=True)
    check.add_argument("--statuses", type=Path, required=True, help="the commit's statuses (GitHub API JSON)")
    name = commands.add_parser("context", help="print the status context that records a stage's promotion")
    name.add_argument("--stage", required=True)
    try:
        args = parser.parse_args(argv)
        previous_stage(args.stage)
    except SystemExit as exit_:
        return EXIT_ALLOWED if exit_.code == 0 else EXIT_USAGE
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "context":
        print(context(args.stage))
        return EXIT_ALLOWED
    try:
        statuses = read_statuses(args.statuses)
    except (OSError, json.JSONDecodeError) as error:
        print(f"error: --statuses {args.statuses}: {error}", file=sys.stderr)
        return EXIT_USAGE
    allowed, message = decide(args.stage, statuses)
    print(message, file=sys.stdout if allowed else sys.stderr)
    return EXIT_ALLOWED if allowed else EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
