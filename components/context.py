"""What every component needs to know about where it deploys: stage, tier, account, region, tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi
import pulumi_aws as aws

from environments import Environment, TierProfile, profile

if TYPE_CHECKING:
    from components.code_signing import CodeSigning


@dataclass(frozen=True)
class DeployContext:
    environment: Environment
    account_id: str
    region: str
    partition: str
    provider: aws.Provider
    code_signing: CodeSigning | None = None  # tiers that run only signed code (components/code_signing.py)

    @property
    def stage(self) -> str:
        return self.environment.stage

    @property
    def tier(self) -> TierProfile:
        return profile(self.environment.tier)

    def arn(self, service: str, resource: str, *, regional: bool = True, with_account: bool = True) -> str:
        """An ARN of this account and region, for resources named before they exist (models, log groups)."""
        region = self.region if regional else ""
        account = self.account_id if with_account else ""
        return f"arn:{self.partition}:{service}:{region}:{account}:{resource}"

    def data_opts(self, parent: pulumi.Resource, **kwargs: object) -> pulumi.ResourceOptions:
        """Options for a data-bearing resource: protected and retained on delete where the tier says so."""
        keep = self.tier.deletion_protection
        return pulumi.ResourceOptions(parent=parent, protect=keep, retain_on_delete=keep, **kwargs)  # type: ignore[arg-type]


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


def deploy_context(environment: Environment, region: str, parent: pulumi.Resource) -> DeployContext:
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
    return DeployContext(environment, identity.account_id, region, partition.partition, provider)
