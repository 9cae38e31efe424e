"""GitHub Actions' identity in the account: the OIDC provider and, per stage, a deploy role and a read role.

- `agent-platform-deploy-<stage>`: assumed only by jobs running in the GitHub environment named like the
  stage (`repo:<owner>/<repo>:environment:<stage>`), so the environment's protection rules (required
  reviewers for walk and run) guard every use of it. It holds the stage's derived permissions
  (bootstrap/deploy_permissions/<stage>.json) and its own state in the backend.
- `agent-platform-read-<stage>`: assumed by pull-request jobs (`pulumi preview`) and by jobs on the default
  branch (scheduled drift detection). Read handlers only, its stack's checkpoint read-only, secrets decrypt.

No access keys exist anywhere: both roles trust only GitHub's OIDC provider, for sts.amazonaws.com.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from bootstrap.documents import (
    GITHUB_OIDC_HOST,
    GITHUB_OIDC_URL,
    STS_AUDIENCE,
    Place,
    derived_statements,
    document,
    github_subject,
    github_trust,
    load_stage_permissions,
    signing_statements,
    split_for_managed_policies,
    state_statements,
)
from bootstrap.state_backend import StateBackend
from components.security.code_signing import signing_profile_name

ROLE_PREFIX = "agent-platform"
MAX_SESSION_SECONDS = 3600


def role_name(kind: str, stage: str) -> str:
    return f"{ROLE_PREFIX}-{kind}-{stage}"


def oidc_provider_arn(place: Place) -> str:
    """IAM names an OIDC provider after its URL's host: arn:<partition>:iam::<account>:oidc-provider/<host>."""
    return f"arn:{place.partition}:iam::{place.account}:oidc-provider/{GITHUB_OIDC_HOST}"


def pipeline_role_pattern(place: Place) -> str:
    return f"arn:{place.partition}:iam::{place.account}:role/{ROLE_PREFIX}-*"


@dataclass(frozen=True)
class StageRolesArgs:
    stage: str
    repository: str
    default_branch: str
    place: Place
    provider: aws.iam.OpenIdConnectProvider
    backend: StateBackend
    signs_code: bool = False  # the stage runs only signed code (components/security/code_signing.py)


def role_statements(permissions: dict[str, Any], kind: str, place: Place) -> list[dict[str, Any]]:
    return derived_statements(permissions, "deploy" if kind == "deploy" else "read", place)


class StageRoles(pulumi.ComponentResource):
    def __init__(self, name: str, args: StageRolesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:bootstrap:StageRoles", name, None, opts)
        permissions = load_stage_permissions(args.stage)
        subjects = {
            "deploy": [github_subject(args.repository, environment=args.stage)],
            "read": [
                github_subject(args.repository, pull_request=True),
                github_subject(args.repository, branch=args.default_branch),
            ],
        }
        self.arns: dict[str, pulumi.Output[str]] = {}
        for kind, kind_subjects in subjects.items():
            self.arns[kind] = self._role(name, kind, kind_subjects, permissions, args)
        self.register_outputs(dict(self.arns))

    def _role(
        self, name: str, kind: str, subjects: list[str], permissions: dict[str, Any], args: StageRolesArgs
    ) -> pulumi.Output[str]:
        physical = role_name(kind, args.stage)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-{kind}",
            aws.iam.RoleArgs(
                name=physical,
                description=f"GitHub Actions {kind} role of stage {args.stage} ({args.repository})",
                # Named, not taken from the provider's output, so the trust is known (and policed) in preview.
                assume_role_policy=json.dumps(github_trust(oidc_provider_arn(args.place), subjects)),
                max_session_duration=MAX_SESSION_SECONDS,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[args.provider]),
        )
        chunks = split_for_managed_policies(role_statements(permissions, kind, args.place), physical)
        backend = args.backend
        state = pulumi.Output.all(backend.state_key.arn, backend.secrets_key.arn).apply(
            lambda keys: json.dumps(
                document(
                    state_statements(
                        backend.bucket_arn, keys[0], keys[1], args.place.region, args.stage, write=kind == "deploy"
                    )
                )
            )
        )
        documents: list[tuple[str, pulumi.Input[str]]] = [("state", state)]
        if kind == "deploy" and args.signs_code and backend.artifacts_bucket_name:
            artifacts_arn = f"arn:{args.place.partition}:s3:::{backend.artifacts_bucket_name}"
            signing = signing_statements(artifacts_arn, args.place, args.stage, signing_profile_name(args.stage))
            documents.append(("signing", json.dumps(document(signing))))
        documents += [(str(number), json.dumps(document(chunk))) for number, chunk in enumerate(chunks, start=1)]
        for suffix, policy in documents:
            managed = aws.iam.Policy(
                f"{name}-{kind}-{suffix}",
                aws.iam.PolicyArgs(
                    name=f"{physical}-{suffix}",
                    description=f"{kind} permissions of stage {args.stage} ({suffix})",
                    policy=policy,
                ),
                opts=child,
            )
            aws.iam.RolePolicyAttachment(
                f"{name}-{kind}-{suffix}",
                aws.iam.RolePolicyAttachmentArgs(role=role.name, policy_arn=managed.arn),
                opts=child,
            )
        return role.arn


def github_oidc_provider(name: str, parent: pulumi.Resource) -> aws.iam.OpenIdConnectProvider:
    """GitHub's OIDC issuer. No thumbprint: IAM verifies GitHub's JWKS endpoint against its library of trusted
    root CAs and no longer uses thumbprints for it (IAM API reference, UpdateOpenIDConnectProviderThumbprint)."""
    return aws.iam.OpenIdConnectProvider(
        name,
        aws.iam.OpenIdConnectProviderArgs(url=GITHUB_OIDC_URL, client_id_lists=[STS_AUDIENCE]),
        opts=pulumi.ResourceOptions(parent=parent, protect=True),
    )
