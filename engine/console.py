"""What the CLI prints, in the spirit of `pulumi preview`: the resource tree, policy violations, a summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from engine.policy_report import PolicyReport
from engine.program import ProgramRun
from engine.recorder import Registration


def _tree_rows(run: ProgramRun) -> list[tuple[str, str, str]]:
    children: dict[str, list[Registration]] = defaultdict(list)
    for registration in run.registrations:
        children[registration.parent].append(registration)
    rows: list[tuple[str, str, str]] = []

    def walk(registration: Registration, prefix: str, connector: str) -> None:
        rows.append((prefix + connector + registration.type, registration.name, "create"))
        kids = children.get(registration.urn, [])
        extension = "" if not connector else ("   " if connector == "└─ " else "│  ")
        for index, kid in enumerate(kids):
            walk(kid, prefix + extension, "└─ " if index == len(kids) - 1 else "├─ ")

    for root in children.get("", []):
        walk(root, "", "")
    return rows


def render_tree(run: ProgramRun) -> str:
    verb = "Previewing update" if run.mode == "preview" else "Updating"
    rows = _tree_rows(run)
    type_width = max(len("Type"), *(len(r[0]) for r in rows)) + 2
    name_width = max(len("Name"), *(len(r[1]) for r in rows)) + 2
    lines = [f"{verb} ({run.stack.stack}) [offline engine, {run.mode} mode]:", ""]
    lines.append(f"     {'Type':<{type_width}}{'Name':<{name_width}}Plan")
    lines += [f" +   {t:<{type_width}}{n:<{name_width}}{p}" for t, n, p in rows]
    return "\n".join(lines)


def render_policies(report: PolicyReport, run: ProgramRun) -> str:
    names = {r.urn: f"{r.type} ({r.name})" for r in run.registrations}
    lines = [f"Policies ({report.pack}@v{report.version}):"]
    grouped: dict[str, list[Any]] = defaultdict(list)
    for violation in report.violations:
        grouped[violation.policy].append(violation)
    if not grouped:
        lines.append("    ✓ no violations")
    for policy in sorted(grouped):
        found = grouped[policy]
        lines.append(f"    [{found[0].level}] {policy} ({len(found)})")
        for violation in found:
            lines.append(f"        {names.get(violation.urn, 'stack')}")
            for text in violation.message.splitlines()[1:] or [violation.message]:
                lines.append(f"            {text}")
    never = sorted(set(report.not_applicable) - report.evaluated)
    if never:
        lines.append(f"    not applicable to this stack: {', '.join(never)}")
    return "\n".join(lines)


def summary(run: ProgramRun, report: PolicyReport | None) -> dict[str, Any]:
    types = Counter(r.type for r in run.registrations)
    result: dict[str, Any] = {
        "stack": run.stack.stack,
        "mode": run.mode,
        "resources": len(run.registrations),
        "resourcesByType": dict(sorted(types.items())),
        "programSeconds": round(run.seconds, 3),
    }
    if report is not None:
        levels = Counter(v.level for v in report.violations)
        result["violations"] = {"mandatory": levels["mandatory"], "advisory": levels["advisory"]}
        result["policiesEvaluated"] = len(report.evaluated)
        result["policiesNotApplicable"] = len(set(report.not_applicable) - report.evaluated)
        result["policyTimings"] = {k: round(v, 4) for k, v in report.timings.items()}
    return result


def render_summary(data: dict[str, Any]) -> str:
    by_type = ", ".join(f"{count} {type_}" for type_, count in data["resourcesByType"].items())
    lines = ["Resources:", f"    + {data['resources']} to create", f"    ({by_type})"]
    if "violations" in data:
        v = data["violations"]
        lines.append(
            f"Policy violations: {v['mandatory']} mandatory, {v['advisory']} advisory "
            f"({data['policiesEvaluated']} policies evaluated, {data['policiesNotApplicable']} not applicable)"
        )
    return "\n".join(lines)
