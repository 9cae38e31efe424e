"""Human escalation (walk and run): a queue for what the agents could not handle, and the people it reaches.

Orchestrators and workflows put a message on the escalation queue when the agent fails, the guard
blocks or the output check intervenes; the escalation function notifies humans through SNS. A message
that keeps failing lands in the dead-letter queue, which alarms: nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import Statement
from components.base.packaging import FUNCTIONS_DIR
from components.compute.lambda_function import (
    FunctionBaseline,
    FunctionCode,
    FunctionSize,
    LambdaFunction,
    LambdaFunctionArgs,
)
from components.messaging.secure_queue import SecureQueue, SecureQueueArgs
from components.messaging.secure_topic import SecureTopic, SecureTopicArgs
from components.observability.observability import Observability
from components.security.encryption import KeyDomain

BATCH_SIZE = 10
FUNCTION_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class EscalationArgs:
    baseline: FunctionBaseline  # the stage's location, keys and log settings (function, queue, topic)
    observability: Observability  # alarms on the dead-letter queue
    notify_emails: Sequence[str]  # who answers escalations (environment file: escalation_emails or alarm_emails)
    retain_on_delete: bool  # TierProfile.retain_on_delete: the queues hold conversations waiting for a human


class Escalation(pulumi.ComponentResource):
    def __init__(self, name: str, args: EscalationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:orchestration:Escalation", name, None, opts)
        location, encryption = args.baseline.location, args.baseline.encryption
        data_key = encryption.key(KeyDomain.DATA)
        self.queue = SecureQueue(
            f"{name}-queue",
            # Visibility must outlast a whole batch's processing, or messages would be handled twice.
            SecureQueueArgs(
                location=location,
                purpose="escalations",
                key=data_key,
                retain_on_delete=args.retain_on_delete,
                visibility_timeout_seconds=6 * FUNCTION_TIMEOUT_SECONDS,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        topic = SecureTopic(
            f"{name}-topic",
            SecureTopicArgs(
                location=location,
                purpose="escalations",
                key=data_key,
                email_subscribers=args.notify_emails,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.topic = topic.topic
        self._encryption = encryption
        queue = self.queue.queue
        self.function = LambdaFunction(
            f"{name}-function",
            LambdaFunctionArgs(
                baseline=args.baseline,
                name_parts=("escalation",),
                code=FunctionCode(FUNCTIONS_DIR / "escalation", service="escalation"),
                description="Notifies humans of escalated conversations",
                environment={"ESCALATION_TOPIC_ARN": self.topic.arn},
                statements=(
                    Statement(
                        sid="ConsumeEscalations",
                        actions=(
                            "sqs:ReceiveMessage",
                            "sqs:DeleteMessage",
                            "sqs:GetQueueAttributes",
                            "sqs:ChangeMessageVisibility",
                        ),
                        resources=(self.queue.named_arn,),
                    ),
                    Statement(sid="NotifyHumans", actions=("sns:Publish",), resources=(topic.named_arn,)),
                    encryption.use(
                        KeyDomain.DATA, "UseMessagingKey", ("kms:Decrypt", "kms:GenerateDataKey"), via=("sqs", "sns")
                    ),
                ),
                size=FunctionSize(memory_mb=256, timeout_seconds=FUNCTION_TIMEOUT_SECONDS),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.lambda_.EventSourceMapping(
            f"{name}-trigger",
            aws.lambda_.EventSourceMappingArgs(
                event_source_arn=queue.arn,
                function_name=self.function.function.arn,
                batch_size=BATCH_SIZE,
                maximum_batching_window_in_seconds=5,
                function_response_types=["ReportBatchItemFailures"],
                scaling_config=aws.lambda_.EventSourceMappingScalingConfigArgs(maximum_concurrency=2),
            ),
            # Lambda checks at creation that the role may read the queue.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.function.policy]),
        )
        args.observability.queue_depth_alarm(f"{name}-dlq-alarm", self.queue.dead_letter_queue, "escalations")
        self.register_outputs({"queueUrl": queue.url, "topicArn": self.topic.arn})

    def send_statements(self) -> tuple[Statement, ...]:
        """What a producer (orchestrator, workflow) needs to put a message on the escalation queue."""
        return (
            Statement(sid="Escalate", actions=("sqs:SendMessage",), resources=(self.queue.named_arn,)),
            self._encryption.use(
                KeyDomain.DATA, "EncryptEscalations", ("kms:GenerateDataKey", "kms:Decrypt"), via=("sqs",)
            ),
        )
