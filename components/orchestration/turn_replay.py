"""Parked turns (walk and run): where an entry agent's workflow puts a turn it could not store, until its
orchestrator stores it.

The workflow's `Record` states catch any failure and send the `record` payload to this queue instead
(then still answer the user); an event source mapping hands the messages to the orchestrator, which
stores each one (functions/orchestrator/replay.py) and reports the ones that failed, so only those are
retried. A turn that keeps failing lands in the dead-letter queue, which alarms: nothing is dropped.

AWS "Creating and configuring an Amazon SQS event source mapping": the queue's visibility timeout is
at least six times the function timeout; an encrypted queue needs kms:Decrypt in the execution role.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import Statement
from components.base.location import Location
from components.compute.lambda_function import LambdaFunction
from components.messaging.secure_queue import SecureQueue, SecureQueueArgs
from components.observability.observability import Observability
from components.security.encryption import Encryption, KeyDomain

BATCH_SIZE = 10
BATCHING_WINDOW_SECONDS = 5
# Replays share the orchestrator's concurrency with live conversations: two pollers at most (the SQS minimum).
MAX_CONCURRENCY = 2
VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT = 6


@dataclass(frozen=True)
class TurnReplayArgs:
    location: Location
    encryption: Encryption  # the data key encrypts the queues
    observability: Observability  # alarms on the dead-letter queue
    agent: str  # the entry agent whose workflow parks its turns here
    consumer_timeout_seconds: int  # the orchestrator's timeout (sizing.orchestrator_timeout_seconds)
    retain_on_delete: bool  # TierProfile.retain_on_delete: the queues hold conversations not yet stored


class TurnReplay(pulumi.ComponentResource):
    def __init__(self, name: str, args: TurnReplayArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:orchestration:TurnReplay", name, None, opts)
        self._encryption = args.encryption
        self.queue = SecureQueue(
            f"{name}-queue",
            SecureQueueArgs(
                location=args.location,
                purpose=f"{args.agent}-turn-replay",
                key=args.encryption.key(KeyDomain.DATA),
                retain_on_delete=args.retain_on_delete,
                visibility_timeout_seconds=VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT * args.consumer_timeout_seconds,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        args.observability.queue_depth_alarm(
            f"{name}-dlq-alarm", self.queue.dead_letter_queue, f"{args.agent}-turn-replay"
        )
        self.register_outputs({"queueUrl": self.queue.queue.url})

    def park_statements(self) -> tuple[Statement, ...]:
        """What the workflow needs to park a turn: send to the queue, encrypting with the data key."""
        return (
            Statement(sid="ParkTurns", actions=("sqs:SendMessage",), resources=(self.queue.named_arn,)),
            self._encryption.use(
                KeyDomain.DATA, "EncryptParkedTurns", ("kms:GenerateDataKey", "kms:Decrypt"), via=("sqs",)
            ),
        )

    def replay_statements(self) -> tuple[Statement, ...]:
        """What the orchestrator needs to drain the queue through its event source mapping."""
        return (
            Statement(
                sid="ReplayParkedTurns",
                actions=("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                resources=(self.queue.named_arn,),
            ),
            self._encryption.use(KeyDomain.DATA, "DecryptParkedTurns", ("kms:Decrypt",), via=("sqs",)),
        )

    def deliver_to(
        self, name: str, consumer: LambdaFunction, parent: pulumi.Resource
    ) -> aws.lambda_.EventSourceMapping:
        """The event source mapping that hands parked turns to `consumer` (whose role holds replay_statements)."""
        return aws.lambda_.EventSourceMapping(
            name,
            aws.lambda_.EventSourceMappingArgs(
                event_source_arn=self.queue.queue.arn,
                function_name=consumer.function.arn,
                batch_size=BATCH_SIZE,
                maximum_batching_window_in_seconds=BATCHING_WINDOW_SECONDS,
                # The orchestrator answers batchItemFailures: only the turns that failed are retried.
                function_response_types=["ReportBatchItemFailures"],
                scaling_config=aws.lambda_.EventSourceMappingScalingConfigArgs(maximum_concurrency=MAX_CONCURRENCY),
            ),
            # Lambda checks at creation that the role may read the queue.
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[consumer.policy]),
        )
