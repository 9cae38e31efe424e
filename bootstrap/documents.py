"""The bootstrap's IAM documents, as plain data: the GitHub trust, the state-backend grants, the derived grants.

Everything here is pure (no Pulumi resources), so the tests and the IAM quality gates judge exactly the
documents the program deploys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PERMISSIONS_DIR = Path(__file__).resolve().parent / "deploy_permissions"
PLATFORM_PROJECT = "agent-platform"  # the Pulumi project whose stacks the roles deploy (Pulumi.yaml `name`)

# GitHub's OIDC issuer and the audience the official aws-actions/configure-aws-credentials requests.
# GitHub docs, "Configuring OpenID Connect in Amazon Web Services": provider URL
# https://token.actions.githubusercontent.com, audience sts.amazonaws.com, and a `sub` condition naming
# the repository and, for jobs that run in an environment, `repo:<owner>/<repo>:environment:<name>`.
GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
STS_AUDIENCE = "sts.amazonaws.com"

# IAM quotas ("IAM and AWS STS quotas", IAM user guide): a managed policy holds at most 6,144 characters
# (whitespace not counted) and a role takes 10 managed policies unless the quota is raised.
MANAGED_POLICY_MAX_CHARS = 6144
MANAGED_POLICIES_PER_ROLE = 10

_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


class DocumentError(ValueError):
    """A document the bootstrap must not create (bad repository, a role past IAM's quotas, ...)."""


def check_repository(repository: str) -> str:
    if not _REPOSITORY.fullmatch(repository) or repository.endswith((".git",)):
        raise DocumentError(
            f"repository {repository!r} is not '<owner>/<name>' as GitHub spells it (e.g. example-org/agent-platform)"
        )
    return repository


def github_subject(
    repository: str, *, environment: str | None = None, pull_request: bool = False, branch: str | None = None
) -> str:
    """The `sub` claim GitHub puts in a job's OIDC token (GitHub docs, "OpenID Connect", example subject claims)."""
    if environment is not None:
        return f"repo:{repository}:environment:{environment}"
    if pull_request:
        return f"repo:{repository}:pull_request"
    if branch is not None:
        return f"repo:{repository}:ref:refs/heads/{branch}"
    raise DocumentError("a subject needs an environment, pull_request or a branch")


def github_trust(provider_arn: str, subjects: Sequence[str]) -> dict[str, Any]:
    """A role trust policy for GitHub's OIDC provider, pinned to the audience and the exact subjects."""
    if not subjects:
        raise DocumentError("a GitHub trust needs at least one subject")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GitHubActionsOidc",
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{GITHUB_OIDC_HOST}:aud": STS_AUDIENCE,
                        f"{GITHUB_OIDC_HOST}:sub": list(subjects) if len(subjects) > 1 else subjects[0],
                    }
                },
            }
        ],
    }


@dataclass(frozen=True)
class Place:
    """Where the roles deploy: fills the ${Partition}, ${Region} and ${Account} of the derived ARNs."""

    partition: str
    region: str
    account: str

    def fill(self, template: str) -> str:
        return (
            template.replace("${Partition}", self.partition)
            .replace("${Region}", self.region)
            .replace("${Account}", self.account)
        )


def load_stage_permissions(stack: str) -> dict[str, Any]:
    path = PERMISSIONS_DIR / f"{stack}.json"
    if not path.is_file():
        raise DocumentError(
            f"{path.name}: no derived permissions for stack {stack!r}; run `python -m bootstrap.derivation --write`"
        )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def derived_statements(permissions: dict[str, Any], role: str, place: Place) -> list[dict[str, Any]]:
    """The derived statements of `role` ("deploy" or "read"), with the stage's partition, region and account."""
    statements = []
    for statement in permissions[role]["statements"]:
        filled = {"Sid": statement["Sid"], "Effect": "Allow", "Action": statement["Action"]}
        filled["Resource"] = [place.fill(r) for r in statement["Resource"]]
        if "Condition" in statement:
            filled["Condition"] = statement["Condition"]
        statements.append(filled)
    return statements


def state_statements(
    bucket_arn: str, state_key_arn: Any, secrets_key_arn: Any, region: str, stack: str, *, write: bool
) -> list[dict[str, Any]]:
    """What the Pulumi CLI needs of the S3 backend and the awskms secrets provider, for one stack.

    The DIY backend keeps a stack's checkpoint in `.pulumi/stacks/<project>/<stack>.json` (plus `.bak` and
    tags beside it), its locks, history and backups under `.pulumi/<kind>/<project>/<stack>/`, and the
    backend's own `.pulumi/meta.yaml` (Pulumi docs, "Using a DIY backend").
    """
    stack_files = [f"{bucket_arn}/.pulumi/stacks/{PLATFORM_PROJECT}/{stack}.*"]
    stack_dirs = [
        f"{bucket_arn}/.pulumi/{kind}/{PLATFORM_PROJECT}/{stack}/*" for kind in ("locks", "history", "backups")
    ]
    object_actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] if write else ["s3:GetObject"]
    via_s3 = {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}}
    statements: list[dict[str, Any]] = [
        {
            "Sid": "StateList",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": [bucket_arn],
            "Condition": {"StringLike": {"s3:prefix": [".pulumi/*"]}},
        },
        {
            "Sid": "StateMeta",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [f"{bucket_arn}/.pulumi/meta.yaml"],
        },
        {"Sid": "StateStack", "Effect": "Allow", "Action": object_actions, "Resource": stack_files + stack_dirs[1:]},
        # Even a preview or a drift check takes the stack's lock.
        {
            "Sid": "StateLock",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": stack_dirs[:1],
        },
        {
            "Sid": "StateEncryption",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": [state_key_arn],
            "Condition": via_s3,
        },
        {
            "Sid": "StackSecrets",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] if write else ["kms:Decrypt"],
            "Resource": [secrets_key_arn],
        },
    ]
    return statements


def _size(statements: Iterable[dict[str, Any]]) -> int:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return len(json.dumps(document, separators=(",", ":")))


def split_for_managed_policies(statements: Sequence[dict[str, Any]], role: str) -> list[list[dict[str, Any]]]:
    """Pack statements, in order, into as few managed policies as IAM's size quota allows."""
    chunks: list[list[dict[str, Any]]] = [[]]
    for statement in statements:
        if _size([statement]) > MANAGED_POLICY_MAX_CHARS:
            raise DocumentError(f"{role}: statement {statement['Sid']} alone exceeds a managed policy's size")
        if _size([*chunks[-1], statement]) > MANAGED_POLICY_MAX_CHARS:
            chunks.append([])
        chunks[-1].append(statement)
    if len(chunks) > MANAGED_POLICIES_PER_ROLE:
        raise DocumentError(
            f"{role}: needs {len(chunks)} managed policies, more than IAM's {MANAGED_POLICIES_PER_ROLE} per role"
        )
    return chunks


def document(statements: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def signing_statements(artifacts_bucket_arn: str, place: Place, stack: str, profile_name: str) -> list[dict[str, Any]]:
    """What `make sign-artifacts` needs (deploy/artifacts.py): upload the stage's packages, have Signer sign
    them with the stage's profile, read the signed objects (Lambda fetches the code with the caller's rights)."""
    return [
        {
            "Sid": "StagePackages",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "Resource": [f"{artifacts_bucket_arn}/{stack}/*"],
        },
        {
            "Sid": "SignWithStageProfile",
            "Effect": "Allow",
            "Action": ["signer:StartSigningJob"],
            "Resource": [
                place.fill(f"arn:${{Partition}}:signer:${{Region}}:${{Account}}:/signing-profiles/{profile_name}")
            ],
        },
        {
            "Sid": "FollowSigningJobs",
            "Effect": "Allow",
            "Action": ["signer:DescribeSigningJob"],
            "Resource": [place.fill("arn:${Partition}:signer:${Region}:${Account}:/signing-jobs/*")],
        },
    ]
