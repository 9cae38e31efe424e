"""Where work that exhausted its retries waits for a human: an encrypted queue nothing consumes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options
from components.messaging.resource_policy import ServicePublisher, queue_policy

DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # the SQS maximum: time for a human to look
DENY_ALL_REDRIVE = {"redrivePermission": "denyAll"}


@dataclass(frozen=True)
class DeadEnd:
    queue: aws.sqs.Queue
    named_arn: str  # known before the queue exists, for policies


def dead_end_queue(
    resource_name: str,
    location: Location,
    *,
    purpose: Sequence[str],
    key: aws.kms.Key,
    publishers: Sequence[ServicePublisher],
    parent: pulumi.Resource,
    retain_on_delete: bool,
    redrive_allow: Mapping[str, object] = DENY_ALL_REDRIVE,
) -> DeadEnd:
    """Where work that exhausted its retries waits for a human: kept 14 days; by default no queue may use
    it as its dead-letter queue (`denyAll`: it is an event destination, not a redrive target)."""
    queue_name = physical_name(Kind.SQS_QUEUE, location.stage, *purpose)
    named_arn = location.arn("sqs", queue_name)
    queue = aws.sqs.Queue(
        resource_name,
        aws.sqs.QueueArgs(
            name=queue_name,
            kms_master_key_id=key.arn,
            kms_data_key_reuse_period_seconds=300,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            redrive_allow_policy=json.dumps(redrive_allow),
        ),
        opts=data_options(parent, retain_on_delete),
    )
    aws.sqs.QueuePolicy(
        f"{resource_name}-policy",
        aws.sqs.QueuePolicyArgs(queue_url=queue.url, policy=queue_policy(named_arn, location.account_id, publishers)),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return DeadEnd(queue, named_arn)
