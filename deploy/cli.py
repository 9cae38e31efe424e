"""`python -m deploy preview|up --stack crawl --stack walk ...`: many stacks in parallel, policy pack enforced.

For platform teams with several stages or team sandboxes: each stack runs `pulumi preview` or `pulumi up`
with `--policy-pack policies` through the Automation API, at most `--workers` at a time, its output
prefixed with its name. A failing stack (program error, mandatory policy violation, cloud error) is
reported with its error while the others finish; the summary table lists every stack. Exit code 0 when
all succeeded, 1 when any failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deploy.operations import AutomationOperations, Operation, StackOperations
from deploy.runner import run_stacks, summary_table

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_WORKERS = 2  # the Pulumi CLI and each stack's program and policy pack share the machine


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.splitlines()[0])
    parser.add_argument("operation", choices=[o.value for o in Operation])
    parser.add_argument("--stack", "-s", action="append", required=True, help="a stack to run (repeat the flag)")
    parser.add_argument("--workers", "-w", type=int, default=DEFAULT_WORKERS, help="stacks run at the same time")
    parser.add_argument("--project-dir", "-C", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml")
    parser.add_argument(
        "--policy-pack", type=Path, action="append", default=None, help="policy pack (default: <project>/policies)"
    )
    return parser


def validate(args: argparse.Namespace) -> str | None:
    """The usage error, or None. Checked before any stack runs."""
    if args.workers < 1:
        return f"--workers {args.workers}: give at least 1"
    if not (args.project_dir / "Pulumi.yaml").is_file():
        return f"--project-dir {args.project_dir}: no Pulumi.yaml there"
    missing = [s for s in args.stack if not (args.project_dir / f"Pulumi.{s}.yaml").is_file()]
    if missing:
        return f"--stack {', '.join(missing)}: no Pulumi.<stack>.yaml in {args.project_dir}"
    if len(set(args.stack)) != len(args.stack):
        return "--stack: a stack is named twice"
    packs = args.policy_pack or [args.project_dir / "policies"]
    absent = [str(p) for p in packs if not (p / "PulumiPolicy.yaml").is_file()]
    if absent:
        return f"--policy-pack {', '.join(absent)}: no PulumiPolicy.yaml there"
    return None


def main(argv: list[str] | None = None, operations: StackOperations | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    args.project_dir = args.project_dir.resolve()
    problem = validate(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    packs = [p.resolve() for p in (args.policy_pack or [args.project_dir / "policies"])]
    operation = Operation(args.operation)
    results = run_stacks(
        args.stack, operation, operations or AutomationOperations(args.project_dir, packs), args.workers
    )
    print()
    print(summary_table(results, operation))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
