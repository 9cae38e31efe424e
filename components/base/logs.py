"""CloudWatch log groups: encrypted with the logs CMK, kept for the tier's retention."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.context import DeployContext


def encrypted_log_group(
    resource_name: str, log_group_name: pulumi.Input[str], ctx: DeployContext, key: aws.kms.Key, parent: pulumi.Resource
) -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(
        resource_name,
        aws.cloudwatch.LogGroupArgs(
            name=log_group_name,
            retention_in_days=ctx.tier.log_retention_days,
            kms_key_id=key.arn,
            deletion_protection_enabled=ctx.tier.deletion_protection,
        ),
        opts=ctx.data_opts(parent),
    )
