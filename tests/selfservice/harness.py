"""Shared by tests/selfservice and tests/templates: a temporary copy of the platform, answers, and runs of the
renderer, the offline engine and pytest in that copy. Nothing here writes into the repository."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from selfservice import KINDS, Answers, Project, collect_answers, load_prompts, make_var

REPO = Path(__file__).resolve().parents[2]
_NOT_COPIED = shutil.ignore_patterns(
    ".venv", ".git", "build", ".hypothesis", ".ruff_cache", ".pytest_cache", "__pycache__", "*.pyc"
)
# A realistic new agent, reused across the tests (each test overrides what it is about).
AGENT = {
    "NAME": "billing-helper",
    "STAGE": "walk",
    "OWNER": "billing-team",
    "DESCRIPTION": "Answers billing questions and looks up tickets about invoices.",
    "INSTRUCTION": (
        "You answer questions about invoices and billing policies. Use the support handbook and cite it; "
        "look up tickets when asked. Never promise refunds: that's the billing team's decision."
    ),
    "MODEL_CLASS": "light",
    "TOOLS": "ticket-lookup",
    "KNOWLEDGE_SOURCES": "support-handbook",
    "GUARDRAIL_PROFILE": "strict",
}
TOOL = {"NAME": "order-status", "DESCRIPTION": "Looks up an order by its id and returns its status and name."}
STAGE = {
    "NAME": "billing-sbx",
    "OWNER": "billing-team",
    "COST_CENTER": "cc-ai-3001",
    "ALARM_EMAILS": "billing-oncall@example.com",
}


def copy_project(target: Path) -> Project:
    """A copy of the platform (sources, templates, environments, tests) to render into."""
    shutil.copytree(REPO, target, ignore=_NOT_COPIED)
    return Project(target)


def link_virtualenv(project: Project) -> None:
    """Let `make` in the copy use the repository's virtualenv (it is read, never changed)."""
    (project.root / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root (caches aside) with its content hash: compare two to prove nothing was written."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and ".venv" not in path.parts
    }


def answers(kind: str, project: Project, given: dict[str, str]) -> Answers:
    """The answers `make new-<kind>` would collect from these make variables."""
    prompts = load_prompts(project.template_dir(kind))
    return collect_answers(kind, prompts, given, make_var, ignored=KINDS[kind].sandbox_only)


def make_args(given: dict[str, str]) -> list[str]:
    return [f"{name}={value}" for name, value in given.items()]


# Set by an enclosing `make test`: a nested make would print "Entering directory" and inherit the outer
# command line's variables, so commands run here see the environment a person's shell has.
_OUTER_MAKE = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


def run(command: list[str], cwd: Path, timeout: int = 300, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {name: value for name, value in os.environ.items() if name not in _OUTER_MAKE}
    environment = {**inherited, "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)


def selfservice(project: Project, kind: str, given: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m selfservice <kind>` of the copy (so the copy's tool catalog and files are the ones judged)."""
    sets = [arg for item in make_args(given) for arg in ("--set", item)]
    return run([sys.executable, "-m", "selfservice", kind, *sets], project.root)


_PREVIEW = """
import json, sys
from pathlib import Path
from engine import ProgramError, evaluate, load_stack, run_program

project_dir, stack, pack = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
try:
    run = run_program(load_stack(project_dir, stack), "preview")
except ProgramError as error:
    print(json.dumps({"error": error.short}))
    sys.exit(0)
report = evaluate(run, pack, {})

def paths(value):
    if isinstance(value, dict):
        if isinstance(value.get("path"), str):
            yield value["path"]
        for item in value.values():
            yield from paths(item)

print(json.dumps({
    "mandatory": [[v.policy, v.urn, v.message] for v in report.mandatory],
    "resources": [[r.type, r.name] for r in run.resources],
    "outputs": run.root.outputs,
    "assetPaths": sorted({p for r in run.resources if r.type == "aws:lambda/function:Function"
                          for p in paths(r.inputs.get("code", {}))}),
}))
"""


def preview(platform: Path, stack: str, project_dir: Path | None = None) -> dict[str, Any]:
    """`engine.run_program` + `engine.evaluate(run, <platform>/policies, {})` for a stack, in a fresh process
    whose imports come from `platform` (a copy's environments, tools and pack, never the repository's)."""
    result = run(
        [sys.executable, "-c", _PREVIEW, str(project_dir or platform), stack, str(platform / "policies")],
        platform,
        PYTHONPATH=str(platform),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def stock(project: Project, stage: str, original: str | None = None) -> Callable[[], dict[str, Any]]:
    """The unmodified stage, previewed from the same copy (the repository may change while tests run): as is,
    or, when the test changed the stage file, from a second copy holding its `original` text."""

    def stock_preview() -> dict[str, Any]:
        root = project.root
        if original is not None:
            root = project.root.with_name(f"{project.root.name}-stock")
            shutil.copytree(project.root, root, ignore=_NOT_COPIED, symlinks=True)
            (root / "environments" / f"{stage}.yaml").write_text(original, encoding="utf-8")
        return preview(root, stage)

    return stock_preview


def assert_compliant(result: dict[str, Any], stock: Callable[[], dict[str, Any]]) -> None:
    """Zero mandatory violations. While the stock stages themselves still violate a policy (work in progress
    elsewhere), the result may only repeat those policies, never add one, and the test is an expected failure
    that names them; it turns into a plain pass once the stock stages are clean."""
    assert "error" not in result, result.get("error")
    mandatory = result["mandatory"]
    if not mandatory:
        return
    known = {policy for policy, _, _ in stock()["mandatory"]}
    added = sorted({policy for policy, _, _ in mandatory} - known)
    assert not added, f"mandatory violations the stock stage does not have: {added}\n" + "\n".join(
        f"{policy} {urn}: {message}" for policy, urn, message in mandatory if policy in added
    )
    pytest.xfail(f"only policies the stock stage violates too: {', '.join(sorted(known))}")
