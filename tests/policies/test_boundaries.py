"""The pack's boundaries, read from its source: what each module may import, where type tokens live, and that
every rule module holds exactly one family."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from policies.core.tags import FAMILIES, family_of

PACK = Path(__file__).resolve().parents[2] / "policies"
MODULES = sorted(PACK.rglob("*.py"))
TYPE_TOKEN = re.compile(r"^(aws:[A-Za-z0-9]+/[A-Za-z0-9]+:[A-Za-z0-9]+|pulumi:[a-z]+:[A-Za-z0-9]+)$")


def _name(path: Path) -> str:
    return ".".join(path.relative_to(PACK.parent).with_suffix("").parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; the pack uses no relative imports)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{_name(path)}: relative import"
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_pack_module_imports_components(path: Path) -> None:
    # The pack judges what the components build; sharing their code would let a component's bug pass as policy.
    # What both need (tier matrix, IAM allow-list) lives in environments/.
    offending = sorted(m for m in _imports(path) if m == "components" or m.startswith("components."))
    assert not offending, f"{_name(path)} imports {offending}"


@pytest.mark.parametrize("path", sorted(PACK.glob("core/*.py")), ids=_name)
def test_core_depends_on_no_rule_module(path: Path) -> None:
    rule_modules = {f"policies.{family}" for family in FAMILIES}
    offending = sorted(m for m in _imports(path) if any(m == r or m.startswith(f"{r}.") for r in rule_modules))
    assert not offending, f"{_name(path)} imports the rule modules {offending}"


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "resource_types.py"], ids=_name)
def test_type_tokens_are_written_only_in_resource_types(path: Path) -> None:
    literals = [
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TYPE_TOKEN.match(node.value)
    ]
    assert not literals, f"{_name(path)} types {literals}: import them from policies.core.resource_types"


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_has_its_module_and_each_module_one_family(family: str) -> None:
    module = importlib.import_module(f"policies.{family}")
    assert module.POLICIES, f"policies/{family}.py holds no policy"
    assert {family_of(p) for p in module.POLICIES} == {family}
