from __future__ import annotations

from pathlib import Path

import pytest

from engine.project import UsageError, load_stack
from tests.engine.conftest import TINY


def test_stack_config_is_qualified_and_stringified_as_the_cli_does() -> None:
    # GIVEN the tiny project, whose Pulumi.yaml declares a boolean default
    # WHEN the dev stack is loaded
    stack = load_stack(TINY, "dev")
    # THEN keys carry their namespace and values are strings, defaults included
    assert stack.project == "tiny"
    assert stack.config == {"aws:region": "eu-west-1", "tiny:rotate": "false"}
    assert stack.region == "eu-west-1"
    assert stack.main == TINY / "__main__.py"


def test_stack_values_override_project_defaults() -> None:
    assert load_stack(TINY, "fixed").config["tiny:rotate"] == "true"


def test_unknown_stack_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown stack 'prod'; known stacks: crash, dev, fixed"):
        load_stack(TINY, "prod")


def test_secret_config_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    # GIVEN a stack whose config holds an encrypted secret
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.s.yaml").write_text("config:\n  p:token:\n    secure: AAABAC==\n")
    # WHEN / THEN the engine says it cannot decrypt, instead of passing ciphertext to the program
    with pytest.raises(UsageError, match="p:token is a secret"):
        load_stack(tmp_path, "s")
