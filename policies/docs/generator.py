"""Render the README's policy table and coverage section from the pack itself.

`python -m policies.docs` (and `make readme`) rewrites the generated parts of policies/README.md (between the
BEGIN/END markers); tests/policies/docs/test_generator.py fails when the README and the pack disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pulumi_policy import EnforcementLevel, Policy, StackValidationPolicy

from policies.core import registry
from policies.core.tags import family_of
from policies.docs.coverage import ANCHORS, SOURCES
from policies.pack import POLICIES

README = Path(__file__).resolve().parents[1] / "README.md"
TABLE_MARKERS = ("<!-- BEGIN POLICY TABLE -->", "<!-- END POLICY TABLE -->")
COVERAGE_MARKERS = ("<!-- BEGIN COVERAGE -->", "<!-- END COVERAGE -->")
COLUMNS = ("Policy", "Family", "Level", "Scope", "Severity", "What it checks", "Resources", "Equivalent rules")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _short_type(resource_type: str) -> str:
    """aws:s3/bucketPolicy:BucketPolicy -> s3:BucketPolicy."""
    module = resource_type.split(":")[1].split("/")[0]
    return f"{module}:{resource_type.rsplit(':', 1)[-1]}"


def resources_of(policy: Policy) -> str:
    if policy.name in registry.STACK_WIDE:
        return "every resource (stack)"
    if policy.name == registry.TAGGING_POLICY:
        return "every taggable type of the registry"
    return ", ".join(_short_type(t) for t in registry.types_for(policy.name))


def anchors_for(policy_name: str) -> list[str]:
    return [a.id for a in ANCHORS if policy_name in a.covered_by]


def level_of(policy: Policy) -> str:
    return (policy.enforcement_level or EnforcementLevel.MANDATORY).value


def policy_rows() -> list[tuple[str, ...]]:
    return [
        (
            f"`{p.name}`",
            family_of(p),
            level_of(p),
            "stack" if isinstance(p, StackValidationPolicy) else "resource",
            p.severity.value if p.severity else "",
            _cell(p.description),
            resources_of(p),
            ", ".join(anchors_for(p.name)) or "-",
        )
        for p in POLICIES
    ]


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render_policy_table() -> str:
    return _table(COLUMNS, policy_rows())


def render_coverage() -> str:
    parts = []
    for source in SOURCES:
        anchors = [a for a in ANCHORS if a.source == source]
        rows = [
            (
                a.id,
                _cell(a.intent),
                ", ".join(f"`{p}`" for p in a.covered_by) or "does not apply",
                _cell(a.reason) or "-",
            )
            for a in anchors
        ]
        parts.append(f"### {source} ({len(anchors)})\n\n" + _table(("Rule", "Intent", "Covered by", "Note"), rows))
    return "\n\n".join(parts)


def _replace(text: str, markers: tuple[str, str], body: str) -> str:
    begin, end = markers
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"README has no {begin} ... {end} section")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text)


def generated(text: str, markers: tuple[str, str]) -> str:
    begin, end = markers
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n")


def render_readme(text: str) -> str:
    return _replace(_replace(text, TABLE_MARKERS, render_policy_table()), COVERAGE_MARKERS, render_coverage())


def main() -> int:
    README.write_text(render_readme(README.read_text()))
    print(f"updated {README}")
    return 0
