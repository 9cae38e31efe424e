"""Starting the policy pack as the CLI does, and the errors a user sees when it cannot start."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import load_stack
from engine.pack_process import PolicyPackProcess, policy_pack_for
from engine.project import UsageError
from tests.engine.conftest import TINY

PACK = Path(__file__).parent / "fixtures" / "pack"


def test_the_pack_gets_the_stack_config_and_identity_in_its_environment() -> None:
    stack = load_stack(TINY, "dev")
    env = policy_pack_for(stack, "preview", PACK).env
    assert env["PULUMI_STACK"] == "dev" and env["PULUMI_PROJECT"] == stack.project
    assert env["PULUMI_DRY_RUN"] == "true"
    assert policy_pack_for(stack, "up", PACK).env["PULUMI_DRY_RUN"] == "false"


def test_the_manifest_names_the_version() -> None:
    assert PolicyPackProcess(PACK, {}).version == "1.2.3"


def test_a_directory_without_a_manifest_is_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a policy pack"):
        PolicyPackProcess(tmp_path, {}).start()


def test_a_pack_that_fails_to_start_says_why(tmp_path: Path) -> None:
    # GIVEN a pack whose entry point raises before it serves
    (tmp_path / "PulumiPolicy.yaml").write_text("name: broken\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("raise SystemExit('no analyzer here')\n")
    # WHEN it is started THEN the error names the pack and its last words
    with pytest.raises(UsageError, match="failed to start: no analyzer here"), PolicyPackProcess(tmp_path, {}):
        pass
