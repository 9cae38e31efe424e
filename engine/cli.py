"""`python -m engine preview|up --stack <stack>`: the offline stand-in for `pulumi preview|up --policy-pack`."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from engine.analyzer import evaluate
from engine.console import render_policies, render_summary, render_tree, summary
from engine.export import stack_export
from engine.pack_process import policy_pack_for
from engine.policy_config import load_policy_config
from engine.policy_report import PolicyReport
from engine.program import ProgramError, ProgramRun, run_program
from engine.project import UsageError, load_stack

EXIT_OK, EXIT_MANDATORY_VIOLATION, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    parser.add_argument(
        "mode", choices=["preview", "up"], help="preview: computed values unknown; up: fake ids and ARNs"
    )
    parser.add_argument("--stack", "-s", required=True, help="stack name; reads Pulumi.<stack>.yaml")
    parser.add_argument("--project-dir", "-C", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml")
    parser.add_argument(
        "--policy-pack", type=Path, default=None, help="policy pack directory (default: <project>/policies)"
    )
    parser.add_argument("--no-policies", action="store_true", help="skip policy evaluation")
    parser.add_argument(
        "--policy-pack-config", type=Path, default=None, help="JSON policy config, as the Pulumi CLI takes it"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write the JSON files (default: <project>/build)"
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the tree")
    parser.add_argument("--verbose", "-v", action="store_true", help="show tracebacks of program errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    project_dir = args.project_dir.resolve()
    try:
        stack = load_stack(project_dir, args.stack)
        config = load_policy_config(args.policy_pack_config)
        pack_dir = (args.policy_pack or project_dir / "policies").resolve()
        pack = None if args.no_policies else policy_pack_for(stack, args.mode, pack_dir).start()
        try:
            run = run_program(stack, args.mode)
        except ProgramError:
            if pack is not None:
                pack.__exit__(None, None, None)
            raise
        report = evaluate(run, pack_dir, config, pack) if pack is not None else None
    except (UsageError, ProgramError) as error:
        print(f"error: {error}", file=sys.stderr)
        if args.verbose and error.__cause__ is not None:
            traceback.print_exception(error.__cause__, file=sys.stderr)
        elif isinstance(error, ProgramError):
            print("(run with --verbose for the traceback)", file=sys.stderr)
        return EXIT_USAGE

    _write_and_print(args, project_dir, run, report)
    if report is not None and report.mandatory:
        return EXIT_MANDATORY_VIOLATION
    return EXIT_OK


def _write_and_print(args: argparse.Namespace, project_dir: Path, run: ProgramRun, report: PolicyReport | None) -> None:
    stack = run.stack
    out = (args.out or project_dir / "build").resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stack.stack}.stack.json").write_text(json.dumps(stack_export(run), indent=2, sort_keys=True) + "\n")
    facts = summary(run, report)
    policy_json = report.to_json() if report else {"skipped": True}
    (out / f"{stack.stack}.policy.json").write_text(json.dumps(policy_json, indent=2, sort_keys=True) + "\n")

    if args.json:
        document = {
            "summary": facts,
            "resources": [
                {"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent} for r in run.registrations
            ],
            "policy": policy_json,
            "warnings": run.warnings,
        }
        print(json.dumps(document, indent=2, sort_keys=True))
    else:
        print(render_tree(run))
        for warning in run.warnings:
            print(f"warning: {warning}")
        print()
        if report is not None:
            print(render_policies(report, run))
            print()
        print(render_summary(facts))
        print(f"Wrote {out / (stack.stack + '.stack.json')} and {out / (stack.stack + '.policy.json')}")
