"""SQS queues (always with a dead-letter queue) and SNS topics, encrypted with the data CMK."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.base.iam import deny_insecure_transport
from components.base.naming import Kind, physical_name
from components.context import DeployContext

MAX_RECEIVE_COUNT = 5
DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # the SQS maximum: time for a human to look
DENY_ALL_REDRIVE = {"redrivePermission": "denyAll"}


@dataclass(frozen=True)
class ServicePublisher:
    """An AWS service allowed to send to a queue/topic, pinned to our account and a source ARN pattern."""

    service: str
    source_arn_like: str


def _resource_policy(
    arn: str, ctx: DeployContext, publishers: Sequence[ServicePublisher], *, denied: str, granted: str
) -> str:
    """TLS only; named AWS services of this account may `granted`, each from its own source ARNs."""
    statements = [deny_insecure_transport(denied, arn)]
    for publisher in publishers:
        statements.append(
            {
                "Sid": f"Allow{publisher.service.split('.')[0].capitalize()}{granted.split(':')[1]}",
                "Effect": "Allow",
                "Principal": {"Service": publisher.service},
                "Action": granted,
                "Resource": arn,
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": ctx.account_id},
                    "ArnLike": {"aws:SourceArn": publisher.source_arn_like},
                },
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _queue_policy(arn: str, ctx: DeployContext, publishers: Sequence[ServicePublisher]) -> str:
    return _resource_policy(arn, ctx, publishers, denied="sqs:*", granted="sqs:SendMessage")


@dataclass(frozen=True)
class DeadEnd:
    queue: aws.sqs.Queue
    named_arn: str  # known before the queue exists, for policies


def dead_end_queue(
    resource_name: str,
    ctx: DeployContext,
    *,
    purpose: Sequence[str],
    key: aws.kms.Key,
    publishers: Sequence[ServicePublisher],
    parent: pulumi.Resource,
    redrive_allow: Mapping[str, object] = DENY_ALL_REDRIVE,
) -> DeadEnd:
    """Where work that exhausted its retries waits for a human: kept 14 days; by default no queue may use
    it as its dead-letter queue (`denyAll`: it is an event destination, not a redrive target)."""
    queue_name = physical_name(Kind.SQS_QUEUE, ctx.stage, *purpose)
    named_arn = ctx.arn("sqs", queue_name)
    queue = aws.sqs.Queue(
        resource_name,
        aws.sqs.QueueArgs(
            name=queue_name,
            kms_master_key_id=key.arn,
            kms_data_key_reuse_period_seconds=300,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            redrive_allow_policy=json.dumps(redrive_allow),
        ),
        opts=ctx.data_opts(parent),
    )
    aws.sqs.QueuePolicy(
        f"{resource_name}-policy",
        aws.sqs.QueuePolicyArgs(queue_url=queue.url, policy=_queue_policy(named_arn, ctx, publishers)),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return DeadEnd(queue, named_arn)


@dataclass(frozen=True)
class SecureQueueArgs:
    ctx: DeployContext
    purpose: str
    key: aws.kms.Key
    visibility_timeout_seconds: int = 60
    publishers: Sequence[ServicePublisher] = field(default_factory=tuple)


class SecureQueue(pulumi.ComponentResource):
    """A queue and its dead-letter queue: messages that fail `MAX_RECEIVE_COUNT` times are kept, not lost."""

    def __init__(self, name: str, args: SecureQueueArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:messaging:SecureQueue", name, None, opts)
        ctx = args.ctx
        queue_name = physical_name(Kind.SQS_QUEUE, ctx.stage, args.purpose)
        self.named_arn = ctx.arn("sqs", queue_name)  # for policies, known in preview
        self.dead_letter_queue = dead_end_queue(
            f"{name}-dlq",
            ctx,
            purpose=(args.purpose, "dlq"),
            key=args.key,
            publishers=(),
            parent=self,
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
            opts=ctx.data_opts(self),
        )
        aws.sqs.QueuePolicy(
            f"{name}-queue-policy",
            aws.sqs.QueuePolicyArgs(
                queue_url=self.queue.url, policy=_queue_policy(self.named_arn, ctx, args.publishers)
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"queueUrl": self.queue.url, "deadLetterQueueArn": self.dead_letter_queue.arn})


@dataclass(frozen=True)
class SecureTopicArgs:
    ctx: DeployContext
    purpose: str
    key: aws.kms.Key
    email_subscribers: Sequence[str] = ()
    publishers: Sequence[ServicePublisher] = field(default_factory=tuple)


class SecureTopic(pulumi.ComponentResource):
    """An encrypted SNS topic; only named AWS services of this account may publish, over TLS."""

    def __init__(self, name: str, args: SecureTopicArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:messaging:SecureTopic", name, None, opts)
        ctx = args.ctx
        topic_name = physical_name(Kind.SNS_TOPIC, ctx.stage, args.purpose)
        self.named_arn = ctx.arn("sns", topic_name)  # for policies, known in preview
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            aws.sns.TopicArgs(
                name=topic_name,
                kms_master_key_id=args.key.arn,
                tracing_config="Active",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        policy = _resource_policy(self.named_arn, ctx, args.publishers, denied="sns:Publish", granted="sns:Publish")
        aws.sns.TopicPolicy(
            f"{name}-policy",
            aws.sns.TopicPolicyArgs(arn=self.topic.arn, policy=policy),
            opts=pulumi.ResourceOptions(parent=self),
        )
        for index, email in enumerate(args.email_subscribers):
            aws.sns.TopicSubscription(
                f"{name}-email-{index}",
                aws.sns.TopicSubscriptionArgs(topic=self.topic.arn, protocol="email", endpoint=email),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({"topicArn": self.topic.arn})
