"""CloudWatch log groups: encrypted with the logs CMK, kept for the tier's retention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.protection import data_options


@dataclass(frozen=True)
class LogGroupSettings:
    """What every log group of a stage gets: the logs CMK and the tier's retention and protection."""

    key: aws.kms.Key
    retention_days: int
    deletion_protection: bool
    retain_on_delete: bool


def encrypted_log_group(
    resource_name: str,
    log_group_name: pulumi.Input[str],
    settings: LogGroupSettings,
    parent: pulumi.Resource,
    aliases: Sequence[pulumi.Alias] = (),
) -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(
        resource_name,
        aws.cloudwatch.LogGroupArgs(
            name=log_group_name,
            retention_in_days=settings.retention_days,
            kms_key_id=settings.key.arn,
            deletion_protection_enabled=settings.deletion_protection,
        ),
        opts=data_options(parent, settings.retain_on_delete, aliases),
    )
