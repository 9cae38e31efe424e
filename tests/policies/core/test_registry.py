"""One registry of every resource type the platform can create, each mapped to its policies or a reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pulumi_aws
import pytest

from engine import ProgramRun
from policies.core import registry, resource_types
from policies.pack import POLICIES
from tests.policies.conftest import STAGES

POLICY_NAMES = {p.name for p in POLICIES}


@pytest.mark.parametrize("stage", STAGES)
def test_every_type_a_stage_creates_is_registered(stage_runs: Callable[[str, str], ProgramRun], stage: str) -> None:
    # GIVEN the resources the real program registers for the stage (preview, mock monitor)
    types = {r.type for r in stage_runs(stage, "preview").registrations}
    # THEN the registry knows every one of them: nothing slips in unpoliced
    unknown = sorted(t for t in types if registry.lookup(t) is None)
    assert not unknown, f"register these types in policies/core/registry.py (policies or a reason): {unknown}"


@pytest.mark.parametrize("resource_type", sorted(registry.REGISTRY))
def test_every_entry_names_existing_policies_or_a_reason(resource_type: str) -> None:
    kind = registry.REGISTRY[resource_type]
    assert kind.all_policies or kind.reason, f"{resource_type}: map it to policies or say why none applies"
    assert set(kind.all_policies) <= POLICY_NAMES, f"{resource_type}: {set(kind.all_policies) - POLICY_NAMES}"


def test_every_resource_policy_covers_a_registered_type() -> None:
    covered = {name for kind in registry.REGISTRY.values() for name in kind.all_policies}
    missing = POLICY_NAMES - covered - set(registry.STACK_WIDE)
    assert not missing, f"policies that no registry entry lists: {sorted(missing)}"


@cache
def _args_take_tags(resource_type: str) -> bool:
    """Whether the pulumi-aws resource of this type token accepts `tags` (read from the SDK's source)."""
    module = resource_type.split(":")[1].split("/")[0]
    package = Path(pulumi_aws.__file__).parent
    directory = package / module if (package / module).is_dir() else package / f"{module}_"  # lambda -> lambda_
    token = re.escape(resource_type)
    for path in directory.glob("*.py"):
        text = path.read_text()
        match = re.search(rf'@pulumi\.type_token\("{token}"\)\s*\nclass (\w+)\(pulumi\.CustomResource\)', text)
        if match:
            args = re.search(rf"^class {match.group(1)}(?:Init)?Args\b.*?(?=^class |\Z)", text, re.S | re.M)
            return bool(args) and "def tags(self)" in args.group(0)
    raise AssertionError(f"{resource_type} is not a pulumi-aws resource")


@pytest.mark.parametrize("resource_type", sorted(t for t in registry.REGISTRY if t.startswith("aws:")))
def test_taggable_matches_the_pulumi_aws_schema(resource_type: str) -> None:
    assert registry.REGISTRY[resource_type].taggable == _args_take_tags(resource_type)


def test_components_and_the_stack_are_groupings() -> None:
    assert registry.lookup("agent-platform:security:Encryption") is not None
    assert registry.lookup("pulumi:pulumi:Stack") is not None
    assert registry.lookup("aws:ec2/instance:Instance") is None


TYPE_TOKENS = {
    name: value
    for name, value in vars(resource_types).items()
    if name.isupper() and isinstance(value, str) and value.startswith("aws:")
}


@pytest.mark.parametrize("name", sorted(TYPE_TOKENS))
def test_every_type_constant_is_a_pulumi_aws_type_token(name: str) -> None:
    # raises when the token names no pulumi-aws resource (a misspelt or renamed type)
    _args_take_tags(TYPE_TOKENS[name])


def test_each_type_token_is_defined_once() -> None:
    tokens = list(TYPE_TOKENS.values())
    assert len(tokens) == len(set(tokens))
