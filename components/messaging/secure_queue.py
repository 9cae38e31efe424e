"""An encrypted SQS queue with its dead-letter queue: messages that keep failing are kept, not lost."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options
from components.messaging.dead_end_queue import dead_end_queue
from components.messaging.resource_policy import ServicePublisher, queue_policy

MAX_RECEIVE_COUNT = 5


@dataclass(frozen=True)
class SecureQueueArgs:
    location: Location
    purpose: str
    key: aws.kms.Key  # the data CMK
    retain_on_delete: bool  # TierProfile.retain_on_delete
    visibility_timeout_seconds: int = 60
    publishers: Sequence[ServicePublisher] = field(default_factory=tuple)


class SecureQueue(pulumi.ComponentResource):
    """A queue and its dead-letter queue: messages that fail `MAX_RECEIVE_COUNT` times are kept, not lost."""

    def __init__(self, name: str, args: SecureQueueArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:messaging:SecureQueue", name, None, opts)
        location = args.location
        queue_name = physical_name(Kind.SQS_QUEUE, location.stage, args.purpose)
        self.named_arn = location.arn("sqs", queue_name)  # for policies, known in preview
        self.dead_letter_queue = dead_end_queue(
            f"{name}-dlq",
            location,
            purpose=(args.purpose, "dlq"),
            key=args.key,
            publishers=(),
            parent=self,
            retain_on_delete=args.retain_on_delete,
            # Only this stage's source queue may use it as its dead-letter queue.
            redrive_allow={"redrivePermission": "byQueue", "sourceQueueArns": [self.named_arn]},
        ).queue
        self.queue = aws.sqs.Queue(
            f"{name}-queue",
            aws.sqs.QueueArgs(
                name=queue_name,
                kms_master_key_id=args.key.arn,
                kms_data_key_reuse_period_seconds=300,
                visibility_timeout_seconds=args.visibility_timeout_seconds,
                redrive_policy=self.dead_letter_queue.arn.apply(
                    lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
                ),
            ),
            opts=data_options(self, args.retain_on_delete),
        )
        aws.sqs.QueuePolicy(
            f"{name}-queue-policy",
            aws.sqs.QueuePolicyArgs(
                queue_url=self.queue.url, policy=queue_policy(self.named_arn, location.account_id, args.publishers)
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"queueUrl": self.queue.url, "deadLetterQueueArn": self.dead_letter_queue.arn})
