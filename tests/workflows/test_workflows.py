"""The GitHub workflows keep the promotion rules: parsed, not grepped.

- every stage is previewed with the policy pack on pull requests (against its state, and offline);
- ups run crawl -> walk -> run, each after the previous stage's gate, behind its environment;
- each stage checks the commit went through the previous stage before deploying it;
- `id-token: write` only where OIDC is used, least `permissions:` per job, no AWS keys anywhere;
- every action pinned to a full commit SHA.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.promotion import ORDER, context

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
STAGES = list(ORDER)
OIDC_ACTION = "aws-actions/configure-aws-credentials"
PULUMI_ACTION = "pulumi/actions"
# The commits the actions' tags point at (looked up in the actions' repositories when pinned).
PINNED = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "pulumi/actions": ("8e5e406f4007fca908480587cb9893c07090f58d", "v7.0.0"),
    "aws-actions/configure-aws-credentials": ("e6de054238d6b7531b4efff3b6587d9aade6a06c", "v6.2.3"),
}


def _load(name: str) -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


WORKFLOW_FILES = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
PR, DEPLOY, DRIFT = _load("pull-request.yml"), _load("deploy.yml"), _load("drift.yml")


def _steps(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).startswith(f"{action}@")]


def _needs(job: dict[str, Any]) -> set[str]:
    needs = job.get("needs", [])
    return {needs} if isinstance(needs, str) else set(needs)


def _ancestors(jobs: dict[str, Any], name: str) -> set[str]:
    found: set[str] = set()
    for parent in _needs(jobs[name]):
        found |= {parent} | _ancestors(jobs, parent)
    return found


def _run_text(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in job.get("steps", []))


def test_there_are_the_three_workflows() -> None:
    assert WORKFLOW_FILES == ["deploy.yml", "drift.yml", "pull-request.yml"]


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(name: str) -> None:
    lines = (WORKFLOWS / name).read_text().splitlines()
    uses = [line.split("uses:", 1)[1].strip() for line in lines if re.match(r"\s*(- )?uses:", line)]
    assert uses
    for ref in uses:
        match = re.fullmatch(r"([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)", ref)
        assert match, f"{name}: {ref!r} is not pinned to a commit SHA with a version comment"
        assert PINNED[match.group(1)] == (match.group(2), match.group(3)), ref


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_permissions_are_least_per_job_and_id_token_only_where_oidc_is_used(name: str) -> None:
    workflow = _load(name)
    assert workflow["permissions"] == {}, "the workflow grants nothing by default"
    for job_name, job in workflow["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{job_name} states its permissions"
        uses_oidc = bool(_steps(job, OIDC_ACTION))
        assert (permissions.get("id-token") == "write") == uses_oidc, job_name
        assert set(permissions.values()) <= {"read", "write"}
        assert "write-all" not in str(permissions)


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_no_aws_keys_anywhere_only_oidc_roles(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    for forbidden in ("aws-access-key-id", "aws-secret-access-key", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert forbidden not in text
    assert "secrets." not in text, "the workflows need no stored secret (GitHub's token and OIDC only)"
    for job in _load(name)["jobs"].values():
        for step in _steps(job, OIDC_ACTION):
            assert set(step["with"]) == {"role-to-assume", "role-session-name", "aws-region"}


def test_pull_requests_preview_every_stage_with_the_policy_pack_and_comment() -> None:
    preview = PR["jobs"]["preview"]
    assert [row["stage"] for row in preview["strategy"]["matrix"]["include"]] == STAGES
    (step,) = _steps(preview, PULUMI_ACTION)
    assert step["with"]["command"] == "preview"
    assert step["with"]["stack-name"] == "${{ matrix.stage }}"
    assert step["with"]["policyPacks"] == "policies"
    assert step["with"]["comment-on-pr"] is True and step["with"]["diff"] is True
    assert preview["permissions"]["pull-requests"] == "write"
    (oidc,) = _steps(preview, OIDC_ACTION)
    assert oidc["with"]["role-to-assume"].endswith(":role/agent-platform-read-${{ matrix.stage }}")


def test_pull_requests_get_a_verdict_without_any_cloud() -> None:
    offline = PR["jobs"]["offline-preview"]
    assert offline["strategy"]["matrix"]["stage"] == STAGES
    assert 'make preview STAGE="$STAGE"' in _run_text(offline)
    assert "make preview-bootstrap" in _run_text(PR["jobs"]["offline-preview-bootstrap"])
    assert "make test" in _run_text(PR["jobs"]["test"])
    for name in ("offline-preview", "offline-preview-bootstrap", "evaluation", "test"):
        assert not _steps(PR["jobs"][name], OIDC_ACTION), name
    evaluation = _run_text(PR["jobs"]["evaluation"])
    assert "make -n evaluate STAGE=crawl" in evaluation and "make evaluate STAGE=crawl" in evaluation


def test_ups_run_crawl_then_walk_then_run_each_after_the_previous_gate() -> None:
    jobs = DEPLOY["jobs"]
    for index, stage in enumerate(STAGES):
        up = jobs[f"up-{stage}"]
        # behind its GitHub environment (walk and run: required reviewers), whose OIDC subject the role trusts
        assert up["environment"] == stage
        (oidc,) = _steps(up, OIDC_ACTION)
        assert oidc["with"]["role-to-assume"].endswith(f":role/agent-platform-deploy-{stage}")
        (pulumi_up,) = [s for s in _steps(up, PULUMI_ACTION) if s.get("with", {}).get("command") == "up"]
        assert pulumi_up["with"]["stack-name"] == stage
        assert pulumi_up["with"]["policyPacks"] == "policies"
        assert f"gate-{stage}" in jobs and _needs(jobs[f"gate-{stage}"]) >= {f"up-{stage}"}
        ancestors = _ancestors(jobs, f"up-{stage}")
        assert "test" in ancestors
        if index:
            previous = STAGES[index - 1]
            assert f"gate-{previous}" in _needs(up), f"up-{stage} waits for {previous}'s gate"
            assert {f"up-{previous}", f"gate-{previous}"} <= ancestors
        for later in STAGES[index + 1 :]:
            assert f"up-{later}" not in ancestors


def test_each_stage_checks_the_promotion_before_deploying_and_its_gate_records_it() -> None:
    jobs = DEPLOY["jobs"]
    for stage in STAGES:
        steps = jobs[f"up-{stage}"]["steps"]
        check = next(i for i, s in enumerate(steps) if f"deploy.promotion check --stage {stage}" in s.get("run", ""))
        first_cloud = next(i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith(OIDC_ACTION))
        assert check < first_cloud, f"up-{stage} checks the promotion before it touches AWS"
        assert jobs[f"up-{stage}"]["permissions"]["statuses"] == "read"
        gate = jobs[f"gate-{stage}"]
        record = _run_text(gate)
        assert f"deploy.promotion context --stage {stage}" in record and "state=success" in record
        assert gate["permissions"]["statuses"] == "write"
        assert record.index(f"make evaluate STAGE={stage}") < record.index("statuses/$SHA")
    assert context("crawl") == "agent-platform/promoted/crawl"


def test_a_dispatched_commit_must_be_on_main_and_every_job_deploys_that_commit() -> None:
    assert "workflow_dispatch" in DEPLOY["on"] and DEPLOY["on"]["push"]["branches"] == ["main"]
    assert "git merge-base --is-ancestor" in _run_text(DEPLOY["jobs"]["commit"])
    for name, job in DEPLOY["jobs"].items():
        if name == "commit":
            continue
        (checkout,) = _steps(job, "actions/checkout")
        assert checkout["with"]["ref"] == "${{ needs.commit.outputs.sha }}", name
    assert DEPLOY["concurrency"] == {"group": "deploy", "cancel-in-progress": False}


def test_the_run_stage_signs_its_packages_before_its_up() -> None:
    steps = DEPLOY["jobs"]["up-run"]["steps"]
    sign = next(i for i, s in enumerate(steps) if "make sign-artifacts STAGE=run" in s.get("run", ""))
    up = next(i for i, s in enumerate(steps) if s.get("with", {}).get("command") == "up")
    assert sign < up
    assert not any("sign-artifacts" in _run_text(DEPLOY["jobs"][f"up-{s}"]) for s in ("crawl", "walk"))


def test_drift_is_checked_on_schedule_for_every_stage_and_opens_an_issue() -> None:
    assert DRIFT["on"]["schedule"]
    job = DRIFT["jobs"]["refresh"]
    assert [row["stage"] for row in job["strategy"]["matrix"]["include"]] == STAGES
    text = _run_text(job)
    assert "pulumi refresh --preview-only --expect-no-changes" in text and '--stack "$STAGE"' in text
    assert "gh issue create" in text and job["permissions"]["issues"] == "write"
    (oidc,) = _steps(job, OIDC_ACTION)
    assert oidc["with"]["role-to-assume"].endswith(":role/agent-platform-read-${{ matrix.stage }}")


def test_the_pulumi_cli_is_the_version_the_sdk_is_pinned_to() -> None:
    pinned = re.search(r"^pulumi==([\d.]+)$", (REPO / "requirements.txt").read_text(), re.MULTILINE)
    assert pinned
    for name in WORKFLOW_FILES:
        for job in _load(name)["jobs"].values():
            for step in _steps(job, PULUMI_ACTION):
                assert step["with"]["pulumi-version"] == pinned.group(1)


def test_the_roles_the_workflows_assume_are_the_ones_bootstrap_creates() -> None:
    from bootstrap.documents import github_subject
    from bootstrap.pipeline_identity import role_name

    assert role_name("deploy", "walk") == "agent-platform-deploy-walk"
    assert role_name("read", "run") == "agent-platform-read-run"
    # the deploy role trusts the environment the up job runs in
    assert github_subject("o/r", environment=DEPLOY["jobs"]["up-walk"]["environment"]) == "repo:o/r:environment:walk"
