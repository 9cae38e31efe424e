"""The bootstrap program of each account, through the offline engine and the policy pack."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine import ProgramError, ProgramRun, load_stack, run_program
from engine.analyzer import evaluate
from tests.bootstrap.conftest import ACCOUNTS, BOOTSTRAP, REPO, policy_documents

PACK = REPO / "policies"
STAGES_OF = {"nonprod": ("crawl", "walk"), "prod": ("run",)}


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["preview", "up"])
@pytest.mark.parametrize("account", ACCOUNTS)
def test_the_bootstrap_deploys_without_mandatory_violations(
    bootstrap_runs: Callable[[str, str], ProgramRun], account: str, mode: str
) -> None:
    # GIVEN the account's bootstrap program WHEN the platform's policy pack judges it
    report = evaluate(bootstrap_runs(account, mode), PACK, {})
    # THEN nothing mandatory is violated and the pack knew which stages it serves
    assert not [f"{v.policy}: {v.message}" for v in report.mandatory]
    assert not [v for v in report.violations if v.policy == "policy-stage-resolved"]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_each_stage_gets_a_deploy_role_trusted_only_from_its_github_environment(
    bootstrap_runs: Callable[[str, str], ProgramRun], account: str
) -> None:
    trusts = policy_documents(bootstrap_runs(account, "preview"), "aws:iam/role:Role", "assumeRolePolicy")
    for stage in STAGES_OF[account]:
        (statement,) = trusts[f"{stage}-deploy"]["Statement"]
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"] == {
            "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        }
        assert statement["Condition"] == {
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": f"repo:example-org/agent-platform:environment:{stage}",
            }
        }
        (read,) = trusts[f"{stage}-read"]["Statement"]
        assert read["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == [
            "repo:example-org/agent-platform:pull_request",
            "repo:example-org/agent-platform:ref:refs/heads/main",
        ]


def test_the_state_backend_is_protected_versioned_encrypted_and_logged(
    bootstrap_runs: Callable[[str, str], ProgramRun],
) -> None:
    run = bootstrap_runs("prod", "up")
    by_type = {}
    for r in run.resources:
        by_type.setdefault(r.type, []).append(r)
    buckets = {r.inputs["bucket"]: r for r in by_type["aws:s3/bucket:Bucket"]}
    state = buckets["agent-platform-state-123456789012-us-east-1"]
    assert state.protect and state.retain_on_delete
    assert all(k.protect for k in by_type["aws:kms/key:Key"])
    assert {
        r.inputs["versioningConfiguration"]["status"] for r in by_type["aws:s3/bucketVersioning:BucketVersioning"]
    } == {"Enabled"}
    logged = {r.inputs["bucket"] for r in by_type["aws:s3/bucketLogging:BucketLogging"]}
    # prod's stage (run) signs its code: the account also keeps a bucket for the signed packages
    assert logged == {state.inputs["bucket"], "agent-platform-artifacts-123456789012-us-east-1"}
    assert {r.inputs["name"] for r in by_type["aws:kms/alias:Alias"]} == {
        "alias/agent-platform/state",
        "alias/agent-platform/secrets",
    }
    assert "agent-platform-artifacts-123456789012-us-east-1" in buckets
    assert "agent-platform-artifacts-123456789012-us-east-1" not in {
        r.inputs["bucket"] for r in bootstrap_runs("nonprod", "up").resources if r.type == "aws:s3/bucket:Bucket"
    }
    outputs = run.root.outputs
    assert outputs["secretsProvider"] == "awskms://alias/agent-platform/secrets?region=us-east-1"
    assert outputs["backendUrl"] == "s3://agent-platform-state-123456789012-us-east-1?region=us-east-1&awssdk=v2"


def test_a_wrong_stack_config_stops_the_program_before_any_resource(tmp_path) -> None:
    # GIVEN a bootstrap stack whose stages deploy to two different accounts
    project = tmp_path / "bootstrap"
    project.mkdir()
    (project / "Pulumi.yaml").write_text((BOOTSTRAP / "Pulumi.yaml").read_text())
    (project / "__main__.py").write_text(
        (BOOTSTRAP / "__main__.py").read_text().replace("Path(__file__).resolve().parent.parent", repr(str(REPO)))
    )
    (project / "Pulumi.mixed.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  agent-platform-bootstrap:repository: example-org/agent-platform\n"
        "  agent-platform-bootstrap:stages: [walk, run]\n"
    )
    # WHEN it runs THEN it fails with one line naming the key and the fix
    with pytest.raises(ProgramError) as failure:
        run_program(load_stack(project, "mixed"), "preview")
    assert "agent-platform-bootstrap:stages: the stages deploy to different accounts" in str(failure.value)
    assert "walk: nonprod, run: prod" in str(failure.value)


def test_only_a_signing_stage_may_sign_and_only_with_its_own_profile(
    bootstrap_runs: Callable[[str, str], ProgramRun],
) -> None:
    documents = policy_documents(bootstrap_runs("prod", "up"), "aws:iam/policy:Policy", "policy")
    signing = {s["Sid"]: s for s in documents["run-deploy-signing"]["Statement"]}
    assert signing["SignWithStageProfile"]["Resource"] == [
        "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ap_run_functions"
    ]
    assert signing["StagePackages"]["Resource"] == [
        "arn:aws:s3:::agent-platform-artifacts-123456789012-us-east-1/run/*"
    ]
    assert "run-read-signing" not in documents
    nonprod = policy_documents(bootstrap_runs("nonprod", "up"), "aws:iam/policy:Policy", "policy")
    assert not [name for name in nonprod if name.endswith("-signing")]
