"""Service roles: a role a service assumes (pinned to our account) plus the one inline policy it holds."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.base.iam import ServiceTrust, Statement, policy_document, trust_policy
from components.base.naming import Kind, physical_name


def service_role(
    prefix: str,
    stage: str,
    *,
    name_parts: Sequence[str],
    description: str,
    trust: ServiceTrust,
    statements: Sequence[Statement],
    parent: pulumi.Resource,
    policy_name: str = "least-privilege",
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """`<prefix>-role` and `<prefix>-policy`: no managed policies, nothing but the statements given."""
    opts = pulumi.ResourceOptions(parent=parent)
    role = aws.iam.Role(
        f"{prefix}-role",
        aws.iam.RoleArgs(
            name=physical_name(Kind.IAM_ROLE, stage, *name_parts),
            description=description,
            assume_role_policy=trust_policy(trust),
        ),
        opts=opts,
    )
    policy = aws.iam.RolePolicy(
        f"{prefix}-policy",
        aws.iam.RolePolicyArgs(name=policy_name, role=role.id, policy=policy_document(*statements)),
        opts=opts,
    )
    return role, policy
