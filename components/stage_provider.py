"""The stage's AWS provider and where it deploys: the first thing Platform sets up.

Every resource of the stage is created with this provider, whose default tags are the cost-allocation
tags, and the account and partition the caller's credentials resolve to become the stage's Location.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from environments import Environment


def cost_tags(environment: Environment) -> dict[str, str]:
    """The cost-allocation tags every taggable resource carries (through the provider's default tags)."""
    return {
        "environment": environment.stage,
        "tier": environment.tier.value,
        "owner": environment.owner,
        "cost-center": environment.cost_center,
        "managed-by": "pulumi",
        "project": "agent-platform",
    }


def stage_provider(environment: Environment, region: str, parent: pulumi.Resource) -> tuple[aws.Provider, Location]:
    """Create the stage's AWS provider (default tags = cost tags) and resolve the account it deploys to."""
    provider = aws.Provider(
        f"{environment.stage}-aws",
        aws.ProviderArgs(
            region=region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=cost_tags(environment)),
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    invoke = pulumi.InvokeOptions(provider=provider)
    identity = aws.get_caller_identity(opts=invoke)
    partition = aws.get_partition(opts=invoke)
    return provider, Location(environment.stage, region, identity.account_id, partition.partition)
