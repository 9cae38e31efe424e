"""An encrypted SNS topic: only named AWS services of this account may publish, over TLS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.messaging.resource_policy import ServicePublisher, resource_policy


@dataclass(frozen=True)
class SecureTopicArgs:
    location: Location
    purpose: str
    key: aws.kms.Key
    email_subscribers: Sequence[str] = ()
    publishers: Sequence[ServicePublisher] = field(default_factory=tuple)


class SecureTopic(pulumi.ComponentResource):
    """An encrypted SNS topic; only named AWS services of this account may publish, over TLS."""

    def __init__(self, name: str, args: SecureTopicArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:messaging:SecureTopic", name, None, opts)
        location = args.location
        topic_name = physical_name(Kind.SNS_TOPIC, location.stage, args.purpose)
        self.named_arn = location.arn("sns", topic_name)  # for policies, known in preview
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            aws.sns.TopicArgs(
                name=topic_name,
                kms_master_key_id=args.key.arn,
                tracing_config="Active",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        policy = resource_policy(
            self.named_arn, location.account_id, args.publishers, denied="sns:Publish", granted="sns:Publish"
        )
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
