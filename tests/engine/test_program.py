from __future__ import annotations

import re

import pytest
from pulumi.runtime.rpc import UNKNOWN

from engine import ProgramError, ProgramRun, load_stack, run_program
from engine.program import unknown_free
from tests.engine.conftest import TINY


def _by_name(run: ProgramRun, name: str):
    return next(r for r in run.registrations if r.name == name)


def test_preview_leaves_computed_arns_unknown(tiny_preview: ProgramRun) -> None:
    # GIVEN the tiny program run in preview mode
    alias = _by_name(tiny_preview, "vault-alias")
    table = _by_name(tiny_preview, "sessions")
    # THEN values computed by AWS reach dependents as unknowns, exactly as `pulumi preview` shows them
    assert alias.inputs["targetKeyId"] == UNKNOWN
    assert table.inputs["serverSideEncryption"]["kmsKeyArn"] == UNKNOWN
    assert "arn" not in _by_name(tiny_preview, "vault-key").outputs


def test_up_gives_well_formed_arns(tiny_up: ProgramRun) -> None:
    # GIVEN the same program run in up mode
    key = _by_name(tiny_up, "vault-key")
    table = _by_name(tiny_up, "sessions")
    # THEN the key has a KMS ARN in the stack's region and the fake account, and dependents see it
    assert re.fullmatch(r"arn:aws:kms:eu-west-1:123456789012:key/[0-9a-f-]{36}", key.outputs["arn"])
    assert table.inputs["serverSideEncryption"]["kmsKeyArn"] == key.outputs["arn"]
    assert unknown_free(table.inputs)


def test_registrations_carry_parents_dependencies_and_options(tiny_up: ProgramRun) -> None:
    # GIVEN the up run
    vault = _by_name(tiny_up, "vault")
    key = _by_name(tiny_up, "vault-key")
    alias = _by_name(tiny_up, "vault-alias")
    table = _by_name(tiny_up, "sessions")
    # THEN the engine recorded the graph as the Pulumi engine would see it
    assert vault.type == "tiny:index:Vault" and not vault.custom
    assert key.parent == vault.urn and key.custom
    assert alias.property_dependencies == {"targetKeyId": [key.urn]}
    assert key.urn in alias.dependencies
    assert table.property_dependencies["serverSideEncryption"] == [key.urn]
    assert table.protect and table.retain_on_delete
    assert table.ignore_changes == ["readCapacity"]
    assert key.inputs["enableKeyRotation"] is False  # camelCase, as the engine sees it


def test_components_and_the_stack_record_their_outputs(tiny_up: ProgramRun) -> None:
    vault = _by_name(tiny_up, "vault")
    assert vault.outputs["keyArn"].startswith("arn:aws:kms:")
    assert tiny_up.root.outputs["tableName"].startswith("sessions-")


def test_provider_less_resources_get_the_default_provider(tiny_up: ProgramRun) -> None:
    # GIVEN resources registered without an explicit provider
    provider = next(r for r in tiny_up.registrations if r.type == "pulumi:providers:aws")
    # THEN, as the CLI does, a default provider configured from the stack's aws:* config serves them
    assert provider.name.startswith("default_7_")
    assert provider.inputs["region"] == "eu-west-1"
    assert _by_name(tiny_up, "vault-key").provider == f"{provider.urn}::{provider.id}"


def test_a_failing_program_becomes_a_short_program_error() -> None:
    with pytest.raises(ProgramError) as caught:
        run_program(load_stack(TINY, "crash"), "preview")
    assert caught.value.short == "ValueError: the tiny program was asked to crash"
    assert isinstance(caught.value.__cause__, ValueError)


def test_runs_are_repeatable_in_one_process() -> None:
    # The engine resets the SDK's global state between runs (tests and benchmarks run many stacks).
    first = run_program(load_stack(TINY, "dev"), "up")
    second = run_program(load_stack(TINY, "dev"), "up")
    assert [(r.urn, r.inputs, r.outputs) for r in first.registrations] == [
        (r.urn, r.inputs, r.outputs) for r in second.registrations
    ]
