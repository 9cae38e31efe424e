"""The shape of components/: a folder per type-token module, one component per file, small components,
and Platform the only reader of the environment file and the tier matrix."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.components.harness import REPO, Built

COMPONENTS = REPO / "components"
MAX_RESOURCE_KINDS = 8
# A component above MAX_RESOURCE_KINDS says why in its module or class docstring, in these words.
KINDS_REASON = re.compile(r"\b(nine|ten|eleven|twelve|\d+) kinds of AWS resource", re.IGNORECASE)
# What only the composition root may read: the whole environment and the tier matrix.
ENVIRONMENT_WIDE = {"Environment", "TierProfile", "TIERS", "profile", "load_environment", "parse_environment"}
COMPOSITION_ROOT = {COMPONENTS / "platform.py", COMPONENTS / "stage_provider.py"}


def _modules() -> list[Path]:
    return sorted(p for p in COMPONENTS.rglob("*.py") if p.name != "__init__.py")


def _components(path: Path) -> list[tuple[ast.ClassDef, str]]:
    """(class, type token) of every ComponentResource the module defines."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ClassDef):
            continue
        if not any(isinstance(b, ast.Attribute) and b.attr == "ComponentResource" for b in node.bases):
            continue
        tokens = [
            n.value
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("agent-platform:")
        ]
        assert len(tokens) == 1, f"{path}: {node.name} registers one type token"
        found.append((node, tokens[0]))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(COMPONENTS)))
def test_a_module_defines_at_most_one_component_in_the_folder_its_token_names(path: Path) -> None:
    components = _components(path)
    assert len(components) <= 1, f"{path.name} defines {[c.name for c, _ in components]}; one per file"
    for _, token in components:
        module = token.split(":")[1]
        # `index` is Pulumi's name for the package root: Platform lives at components/platform.py.
        folder = COMPONENTS if module == "index" else COMPONENTS / module
        assert path.parent == folder, f"{token} belongs under {folder.relative_to(REPO)}/"


@pytest.mark.parametrize("path", sorted(set(_modules()) - COMPOSITION_ROOT), ids=lambda p: p.name)
def test_only_platform_reads_the_environment_and_the_tier_matrix(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("environments"):
            wide = ENVIRONMENT_WIDE & {alias.name for alias in node.names}
            assert not wide, f"{path.name} imports {sorted(wide)}: take the values it needs as named inputs"


def test_no_component_creates_more_than_eight_kinds_without_saying_why(stages: dict[str, Built]) -> None:
    kinds: dict[str, set[str]] = defaultdict(set)
    for built in stages.values():
        parents = {r.urn: r.type for r in built.resources if not r.custom}
        for resource in built.resources:
            if resource.custom and resource.parent in parents:
                kinds[parents[resource.parent]].add(resource.type)
    docs = {
        token: f"{ast.get_docstring(ast.parse(path.read_text(encoding='utf-8')))}\n{ast.get_docstring(cls)}"
        for path in _modules()
        for cls, token in _components(path)
    }
    assert set(kinds) <= set(docs), "every component type the stages build is defined under components/"
    for token, types in sorted(kinds.items()):
        if len(types) > MAX_RESOURCE_KINDS:
            assert KINDS_REASON.search(docs[token]), f"{token} creates {len(types)} kinds: split it or say why"
