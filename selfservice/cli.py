"""`python -m selfservice agent|tool|stage --set NAME=value ...`: what `make new-agent|new-tool|new-stage` runs.

Answers are the questions of templates/<kind>/Pulumi.yaml, named as make variables (NAME, STAGE, MODEL_CLASS,
...). Everything is rendered and validated in memory first; only then are the files moved into place. A error
names each wrong answer and its fix, exits 2 and writes nothing.
"""

from __future__ import annotations

import argparse
import sys

from selfservice.changes import ChangeConflictError, apply_changes
from selfservice.errors import AnswerError
from selfservice.kinds import KINDS
from selfservice.project import Project
from selfservice.prompts import collect_answers, load_prompts, make_var

EXIT_OK, EXIT_REFUSED = 0, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m selfservice", description=__doc__)
    parser.add_argument("kind", choices=sorted(KINDS), help="what to create")
    parser.add_argument(
        "--set", action="append", default=[], metavar="QUESTION=VALUE", help="an answer, e.g. NAME=billing-helper"
    )
    parser.add_argument("--dry-run", action="store_true", help="render and validate, but write nothing")
    return parser


def main(argv: list[str] | None = None, project: Project | None = None) -> int:
    args = _parser().parse_args(argv)
    project = project or Project()
    kind = KINDS[args.kind]
    command = f"make new-{kind.name}"
    given: dict[str, str] = {}
    for item in args.set:
        name, separator, value = item.partition("=")
        if not separator:
            print(f"{command}: {item!r} is not QUESTION=VALUE; nothing was written", file=sys.stderr)
            return EXIT_REFUSED
        given[name.strip()] = value
    try:
        prompts = load_prompts(project.template_dir(kind.name))
        answers = collect_answers(kind.name, prompts, given, make_var, ignored=kind.sandbox_only)
        changes = kind.create(project, answers)
        if not args.dry_run:
            apply_changes(changes)
    except (AnswerError, ChangeConflictError) as error:
        print(f"{command}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    verb = "would" if args.dry_run else "did"
    print(f"{command}: {verb} write")
    for change in changes:
        print(f"  {'create' if change.created else 'update'} {project.shown(change.path)}")
    if not args.dry_run:
        print("next:")
        for step in kind.next_steps(answers):
            print(f"  {step}")
    return EXIT_OK
