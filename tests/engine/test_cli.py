"""The engine end to end: program, real policy pack over gRPC, output files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import EXIT_MANDATORY_VIOLATION, EXIT_OK, EXIT_USAGE, main
from tests.engine.conftest import REPO, TINY

# A one-rule pack of the engine's own, so these tests never depend on the platform's policies.
POLICIES = str(Path(__file__).parent / "fixtures" / "pack")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_mandatory_violation_exits_1_and_shows_in_both_outputs(tmp_path: Path, capsys) -> None:
    # GIVEN the tiny program, whose key does not rotate
    # WHEN it is previewed with the platform's policy pack, asking for JSON
    code, out, _ = _run(
        capsys,
        "preview",
        "--stack",
        "dev",
        "-C",
        str(TINY),
        "--policy-pack",
        POLICIES,
        "--out",
        str(tmp_path),
        "--json",
    )
    # THEN the exit code is 1 and the violation is in stdout and in the policy file
    assert code == EXIT_MANDATORY_VIOLATION
    printed = json.loads(out)
    written = json.loads((tmp_path / "dev.policy.json").read_text())
    for report in (printed["policy"], written):
        [violation] = [v for v in report["violations"] if v["policy"] == "kms-key-rotation-enabled"]
        assert violation["level"] == "mandatory"
        assert violation["urn"].endswith("tiny:index:Vault$aws:kms/key:Key::vault-key")
    assert printed["summary"]["violations"]["mandatory"] >= 1


def test_the_human_output_groups_violations_by_policy(tmp_path: Path, capsys) -> None:
    code, out, _ = _run(
        capsys, "preview", "-s", "dev", "-C", str(TINY), "--policy-pack", POLICIES, "--out", str(tmp_path)
    )
    assert code == EXIT_MANDATORY_VIOLATION
    assert "Previewing update (dev)" in out
    assert "├─ tiny:index:Vault" in out
    assert "│  └─ aws:kms/alias:Alias" in out
    assert "[mandatory] kms-key-rotation-enabled (1)" in out
    assert "aws:kms/key:Key (vault-key)" in out
    assert "Policy violations: 1 mandatory" in out


def test_a_compliant_program_exits_0_and_writes_a_stack_export(tmp_path: Path, capsys) -> None:
    # GIVEN the same program with rotation on
    code, _, _ = _run(capsys, "up", "-s", "fixed", "-C", str(TINY), "--policy-pack", POLICIES, "--out", str(tmp_path))
    # THEN it passes and the export has the shape of `pulumi stack export`, graph included
    assert code == EXIT_OK
    export = json.loads((tmp_path / "fixed.stack.json").read_text())
    assert export["version"] == 3
    resources = export["deployment"]["resources"]
    keys = {
        "urn",
        "custom",
        "type",
        "inputs",
        "outputs",
        "parent",
        "dependencies",
        "propertyDependencies",
        "protect",
        "provider",
    }
    assert all(keys <= set(r) for r in resources)
    urns = {r["urn"] for r in resources}
    assert all(r["parent"] in urns for r in resources if r["parent"])
    alias = next(r for r in resources if r["type"] == "aws:kms/alias:Alias")
    key = next(r for r in resources if r["type"] == "aws:kms/key:Key")
    assert alias["propertyDependencies"]["targetKeyId"] == [key["urn"]]
    assert alias["parent"] == key["parent"]


def test_policy_config_file_can_lower_a_policy_to_advisory(tmp_path: Path, capsys) -> None:
    # GIVEN a --policy-pack-config file, as `pulumi preview --policy-pack-config` takes it
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"kms-key-rotation-enabled": "advisory"}))
    # WHEN the non-rotating program is previewed with it
    code, _, _ = _run(
        capsys,
        "preview",
        "-s",
        "dev",
        "-C",
        str(TINY),
        "--policy-pack",
        POLICIES,
        "--policy-pack-config",
        str(config),
        "--out",
        str(tmp_path),
    )
    # THEN the violation is reported as advisory and does not fail the run
    report = json.loads((tmp_path / "dev.policy.json").read_text())
    assert code == EXIT_OK
    assert {v["level"] for v in report["violations"] if v["policy"] == "kms-key-rotation-enabled"} == {"advisory"}


def test_policy_config_naming_an_unknown_policy_is_a_usage_error(tmp_path: Path, capsys) -> None:
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"no-such-policy": "advisory"}))
    code, _, err = _run(
        capsys,
        "preview",
        "-s",
        "dev",
        "-C",
        str(TINY),
        "--policy-pack",
        POLICIES,
        "--policy-pack-config",
        str(config),
        "--out",
        str(tmp_path),
    )
    assert code == EXIT_USAGE
    assert "unknown policies: no-such-policy" in err


def test_an_unknown_stack_exits_2(tmp_path: Path, capsys) -> None:
    code, _, err = _run(capsys, "preview", "-s", "prod", "-C", str(TINY), "--out", str(tmp_path))
    assert code == EXIT_USAGE
    assert err.strip() == "error: unknown stack 'prod'; known stacks: crash, dev, fixed"


def test_a_program_exception_is_short_unless_verbose(tmp_path: Path, capsys) -> None:
    code, _, err = _run(capsys, "preview", "-s", "crash", "-C", str(TINY), "--out", str(tmp_path), "--no-policies")
    assert code == EXIT_USAGE
    assert "error: ValueError: the tiny program was asked to crash" in err
    assert "Traceback" not in err
    code, _, err = _run(
        capsys, "preview", "-s", "crash", "-C", str(TINY), "--out", str(tmp_path), "--no-policies", "-v"
    )
    assert code == EXIT_USAGE
    assert "Traceback" in err


def test_a_broken_environment_file_exits_2_with_one_line_naming_the_field(tmp_path: Path, capsys) -> None:
    # GIVEN a stack of the real project whose environment file has a wrong value
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (REPO / "environments" / "crawl.yaml").read_text().replace("model_class: light", "model_class: medium")
    )
    (tmp_path / "Pulumi.yaml").write_text(f"name: agent-platform\nruntime: python\nmain: {REPO / '__main__.py'}\n")
    (tmp_path / "Pulumi.broken.yaml").write_text(
        f"config:\n  aws:region: us-east-1\n  agent-platform:environment: {broken}\n"
    )
    # WHEN it is previewed
    code, _out, err = _run(
        capsys,
        "preview",
        "-s",
        "broken",
        "-C",
        str(tmp_path),
        "--policy-pack",
        POLICIES,
        "--out",
        str(tmp_path / "build"),
    )
    # THEN the program stops before creating anything, with one line naming the file, the field and what is allowed
    assert code == EXIT_USAGE
    [line] = err.strip().splitlines()[:1]
    assert str(broken) in line
    assert "agents[0].model_class" in line
    assert "'light' or 'strong'" in line
    assert "Traceback" not in err
    assert not (tmp_path / "build" / "broken.stack.json").exists()


def test_policy_config_values_reach_the_pack_and_the_manifest_version_wins(tmp_path: Path, capsys) -> None:
    # GIVEN a config raising a threshold above the tiny key's 7-day window
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"kms-key-deletion-window": {"minimumDays": 30}}))
    # WHEN the compliant variant is previewed
    code, _, _ = _run(
        capsys,
        "preview",
        "-s",
        "fixed",
        "-C",
        str(TINY),
        "--policy-pack",
        POLICIES,
        "--policy-pack-config",
        str(config),
        "--out",
        str(tmp_path),
    )
    # THEN the configured threshold produced an advisory violation, and the report names the pack's version
    report = json.loads((tmp_path / "fixed.policy.json").read_text())
    assert code == EXIT_OK
    assert [v["message"].splitlines()[-1] for v in report["violations"]] == ["deletion window below 30 days"]
    assert report["policyPack"] == {"name": "engine-test-pack", "version": "1.2.3"}
    assert "applies to KMS keys only" in report["notApplicable"]["kms-key-deletion-window"]
