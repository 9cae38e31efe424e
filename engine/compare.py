"""`python -m engine.compare --base <rev>`: show that a change of the code changed no resource.

For every stage (`Pulumi.<stage>.yaml`) and both modes (preview, up) it builds the stack export at BASE, in a
temporary `git worktree` run with this interpreter, and at the working tree, then compares the two resource by
resource: URN, type, inputs, outputs, parent, dependencies, property dependencies, protect, provider and the
other resource options. A resource whose URN changed counts as the same resource only when it carries an alias
that names its old URN (a real `pulumi up` then updates it in place); its parent may differ (the alias names
the old one), and references to it are compared after mapping the old URN to the new one. A component that
exists on one side only is listed, not counted as a difference: a component is a grouping with no cloud
state, so adding one creates nothing in AWS.

Exit status: 0 when every stage is identical (moves through aliases included), 1 on any difference, 2 on
usage errors (an unknown revision, a stage that fails to build).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODES = ("preview", "up")
# Fields of a `pulumi stack export` resource that hold other resources' URNs.
_REFERENCE_FIELDS = ("parent", "dependencies", "propertyDependencies", "provider")
# Every field is compared; these are the ones a reader most often asks about, reported first.
_FIELD_ORDER = ("type", "custom", "parent", "provider", "protect", "dependencies", "propertyDependencies", "inputs")


class CompareError(Exception):
    """The comparison could not be made (bad revision, a stage that does not build)."""


@dataclass(frozen=True)
class Difference:
    urn: str  # the working tree's URN (the base's when the resource is gone)
    field: str
    detail: str

    def __str__(self) -> str:
        return f"{self.urn}\n      {self.field}: {self.detail}"


@dataclass
class Comparison:
    """The outcome of comparing one stage's export at BASE with the working tree's."""

    identical: int = 0
    moved: dict[str, str] = field(default_factory=dict)  # old URN -> new URN, through an alias
    components_added: list[str] = field(default_factory=list)
    components_removed: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def summary(self) -> str:
        verdict = "identical" if self.ok else f"{len(self.differences)} difference(s)"
        parts = [f"{self.identical + len(self.moved)} resources compared", f"{len(self.moved)} moved through aliases"]
        if self.components_added or self.components_removed:
            parts.append(f"{len(self.components_added)} components added, {len(self.components_removed)} removed")
        return f"{verdict} ({', '.join(parts)})"


def _resources(export: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in export["deployment"]["resources"]}


def _renames(base: Mapping[str, Any], head: Mapping[str, Any], comparison: Comparison) -> dict[str, str]:
    """Old URN -> new URN for every new URN whose alias names a URN of the base that the head no longer has."""
    renames: dict[str, str] = {}
    for urn, resource in head.items():
        if urn in base:
            continue
        for alias in resource.get("aliases", []):
            if alias in base and alias not in head:
                if alias in renames:
                    comparison.differences.append(
                        Difference(urn, "aliases", f"{alias} is claimed by {renames[alias]} too")
                    )
                renames[alias] = urn
                break
    return renames


def _mapped(value: Any, renames: Mapping[str, str]) -> Any:
    """`value` with every old URN (alone, or as the URN of a `<urn>::<id>` provider reference) replaced."""
    if isinstance(value, str):
        if value in renames:
            return renames[value]
        urn, _, provider_id = value.rpartition("::")
        return f"{renames[urn]}::{provider_id}" if urn in renames else value
    if isinstance(value, list):
        return [_mapped(item, renames) for item in value]
    if isinstance(value, dict):
        return {key: _mapped(item, renames) for key, item in value.items()}
    return value


def _normalised(resource: Mapping[str, Any]) -> dict[str, Any]:
    """Dependencies are sets: their order follows registration order, which is not part of the graph."""
    fields = {key: value for key, value in resource.items() if key not in ("urn", "aliases")}
    fields["dependencies"] = sorted(fields.get("dependencies", []))
    fields["propertyDependencies"] = {key: sorted(urns) for key, urns in fields.get("propertyDependencies", {}).items()}
    return fields


def _first_difference(old: Any, new: Any, path: str = "") -> str:
    """Where two values first differ, as `path: old -> new` (shortened)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if old.get(key, "<absent>") != new.get(key, "<absent>"):
                return _first_difference(old.get(key, "<absent>"), new.get(key, "<absent>"), f"{path}.{key}")
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")

    def short(value: Any) -> str:
        text = json.dumps(value, sort_keys=True)
        return text if len(text) <= 160 else text[:157] + "..."

    return f"{path.lstrip('.') or '(value)'}: {short(old)} -> {short(new)}"


def compare_exports(base_export: Mapping[str, Any], head_export: Mapping[str, Any]) -> Comparison:
    """Compare two `pulumi stack export` documents resource by resource (see the module docstring)."""
    comparison = Comparison()
    base, head = _resources(base_export), _resources(head_export)
    renames = _renames(base, head, comparison)
    comparison.moved = dict(renames)
    matched: set[str] = set()
    for old_urn, old in base.items():
        new_urn = renames.get(old_urn, old_urn)
        new = head.get(new_urn)
        if new is None:
            if old.get("custom", True):
                comparison.differences.append(Difference(old_urn, "resource", "gone from the working tree"))
            else:
                comparison.components_removed.append(old_urn)
            continue
        matched.add(new_urn)
        expected, actual = _normalised(_mapped(old, renames)), _normalised(new)
        if new_urn != old_urn:  # the alias accounts for the new parent: it is how the URN changed
            expected.pop("parent"), actual.pop("parent")
        fields = [f for f in _FIELD_ORDER if f in expected or f in actual]
        fields += sorted((set(expected) | set(actual)) - set(fields))
        found = [
            Difference(new_urn, name, _first_difference(expected.get(name), actual.get(name)))
            for name in fields
            if expected.get(name) != actual.get(name)
        ]
        comparison.differences += found
        if not found and new_urn == old_urn:
            comparison.identical += 1
    for urn, resource in head.items():
        if urn in matched:
            continue
        if resource.get("custom", True):
            aliases = resource.get("aliases", [])
            why = f"new; its aliases {aliases} name no resource of the base" if aliases else "new"
            comparison.differences.append(Difference(urn, "resource", why))
        else:
            comparison.components_added.append(urn)
    return comparison


# --- building the exports -----------------------------------------------------------------------------------


def stages_of(project_dir: Path) -> list[str]:
    return sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in project_dir.glob("Pulumi.*.yaml"))


def build_export(project_dir: Path, stage: str, mode: str, out: Path) -> dict[str, Any]:
    """`python -m engine <mode> --stack <stage>` in `project_dir` (its own engine and program), policies off."""
    command = [sys.executable, "-m", "engine", mode, "--stack", stage, "--no-policies", "--json", "--out", str(out)]
    done = subprocess.run(command, cwd=project_dir, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CompareError(f"{project_dir}: {' '.join(command[1:6])} failed:\n{done.stderr.strip()}")
    exported: dict[str, Any] = json.loads((out / f"{stage}.stack.json").read_text(encoding="utf-8"))
    return exported


@contextmanager
def checkout(project_dir: Path, revision: str) -> Iterator[Path]:
    """A temporary, detached `git worktree` of `revision`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="compare-exports-") as parent:
        path = Path(parent) / "base"
        added = subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(path), revision],
            cwd=project_dir,
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            raise CompareError(f"git worktree add {revision}: {added.stderr.strip()}")
        try:
            yield path
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=project_dir, check=False)


def compare_revision(project_dir: Path, revision: str, out: Path) -> dict[tuple[str, str], Comparison]:
    """Every stage in both modes, BASE against the working tree; exports kept under `out/{base,head}/<mode>/`."""
    results: dict[tuple[str, str], Comparison] = {}
    with checkout(project_dir, revision) as base_dir:
        stages = sorted(set(stages_of(base_dir)) | set(stages_of(project_dir)))
        for stage in stages:
            for mode in MODES:
                sides: list[dict[str, Any]] = []
                for side, directory in (("base", base_dir), ("head", project_dir)):
                    if not (directory / f"Pulumi.{stage}.yaml").is_file():
                        sides.append({"deployment": {"resources": []}})
                        continue
                    target = out / side / mode
                    target.mkdir(parents=True, exist_ok=True)
                    sides.append(build_export(directory, stage, mode, target))
                results[(stage, mode)] = compare_exports(sides[0], sides[1])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="git revision to compare the working tree with")
    parser.add_argument("--project-dir", "-C", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml")
    parser.add_argument("--out", type=Path, default=None, help="where to keep the exports (default: build/compare)")
    parser.add_argument("--limit", type=int, default=20, help="differences shown per stage and mode")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    out = (args.out or project_dir / "build" / "compare").resolve()
    try:
        results = compare_revision(project_dir, args.base, out)
    except CompareError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Stack exports at {args.base} vs the working tree (kept under {out}):")
    for (stage, mode), comparison in results.items():
        print(f"  {stage:<8} {mode:<8} {comparison.summary()}")
        for old, new in sorted(comparison.moved.items()):
            print(f"      moved: {old}\n          -> {new}")
        for urn in comparison.components_added:
            print(f"      component added: {urn}")
        for urn in comparison.components_removed:
            print(f"      component removed: {urn}")
        for difference in comparison.differences[: args.limit]:
            print(f"    {difference}")
        if len(comparison.differences) > args.limit:
            print(f"    ... and {len(comparison.differences) - args.limit} more")
    return 0 if all(c.ok for c in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
