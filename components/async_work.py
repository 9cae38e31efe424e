"""Asynchronous work (run tier): long tasks arrive as events, not API calls (the seed's async processing).

Producers put `agent.task.requested` events on the stage's encrypted event bus; a rule per entry
agent starts that agent's workflow asynchronously; EventBridge retries with backoff and sends what
still fails to an encrypted SQS dead-letter queue, which alarms. The bus archive allows replay.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.context import DeployContext
from components.encryption import Encryption, KeyDomain
from components.iam import ServiceTrust, Statement, policy_document, trust_policy
from components.messaging import DLQ_RETENTION_SECONDS
from components.naming import Kind, physical_name
from components.observability import Observability
from components.workflow import Workflow, stage_workflows_arn

TASK_REQUESTED = "agent.task.requested"
ARCHIVE_RETENTION_DAYS = 30
RETRY_ATTEMPTS = 8
MAX_EVENT_AGE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class AsyncWorkArgs:
    ctx: DeployContext
    encryption: Encryption
    observability: Observability
    workflows: Mapping[str, Workflow]  # entry agent name -> its workflow


class AsyncWork(pulumi.ComponentResource):
    def __init__(self, name: str, args: AsyncWorkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:orchestration:AsyncWork", name, None, opts)
        ctx = args.ctx
        data_key = args.encryption.key(KeyDomain.DATA)
        bus_name = physical_name(Kind.EVENT_BUS, ctx.stage, "agent-tasks")
        rules_arn = ctx.arn("events", f"rule/{bus_name}/*")
        self.source = f"agent-platform.{ctx.stage}"
        self.bus = aws.cloudwatch.EventBus(
            f"{name}-bus",
            aws.cloudwatch.EventBusArgs(
                name=bus_name, description="Asynchronous agent tasks", kms_key_identifier=data_key.arn
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.cloudwatch.EventArchive(
            f"{name}-archive",
            aws.cloudwatch.EventArchiveArgs(
                name=physical_name(Kind.EVENT_RULE, ctx.stage, "agent-tasks"),
                event_source_arn=self.bus.arn,
                retention_days=ARCHIVE_RETENTION_DAYS,
                kms_key_identifier=data_key.arn,
                description="Replay of asynchronous agent tasks",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dead_letters = aws.sqs.Queue(
            f"{name}-dead-letters",
            aws.sqs.QueueArgs(
                name=physical_name(Kind.SQS_QUEUE, ctx.stage, "agent-tasks-dlq"),
                kms_master_key_id=data_key.arn,
                kms_data_key_reuse_period_seconds=300,
                message_retention_seconds=DLQ_RETENTION_SECONDS,
                redrive_allow_policy=json.dumps({"redrivePermission": "denyAll"}),
            ),
            opts=ctx.data_opts(self),
        )
        aws.sqs.QueuePolicy(
            f"{name}-dead-letters-policy",
            aws.sqs.QueuePolicyArgs(
                queue_url=self.dead_letters.url,
                policy=self.dead_letters.arn.apply(lambda arn: _dead_letter_policy(arn, ctx.account_id, rules_arn)),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        args.observability.queue_depth_alarm(f"{name}-dead-letters-alarm", self.dead_letters, "agent-tasks")
        role = aws.iam.Role(
            f"{name}-role",
            aws.iam.RoleArgs(
                name=physical_name(Kind.IAM_ROLE, ctx.stage, "agent-tasks-events"),
                description="EventBridge starts the agents' workflows for asynchronous tasks",
                assume_role_policy=trust_policy(
                    ServiceTrust("events.amazonaws.com", ctx.account_id, source_arn=rules_arn, source_arn_like=True)
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        policy = aws.iam.RolePolicy(
            f"{name}-policy",
            aws.iam.RolePolicyArgs(
                name="least-privilege",
                role=role.id,
                policy=policy_document(
                    Statement(
                        sid="StartAgentWorkflows",
                        actions=("states:StartExecution",),
                        resources=(stage_workflows_arn(ctx),),
                    )
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        for agent, workflow in sorted(args.workflows.items()):
            self._route(name, ctx, agent, workflow, role, policy)
        self.register_outputs({"eventBusName": self.bus.name, "eventSource": self.source})

    def _route(
        self,
        name: str,
        ctx: DeployContext,
        agent: str,
        workflow: Workflow,
        role: aws.iam.Role,
        policy: aws.iam.RolePolicy,
    ) -> None:
        rule = aws.cloudwatch.EventRule(
            f"{name}-{agent}-rule",
            aws.cloudwatch.EventRuleArgs(
                name=physical_name(Kind.EVENT_RULE, ctx.stage, agent, "tasks"),
                event_bus_name=self.bus.name,
                description=f"Asynchronous tasks for agent {agent}",
                event_pattern=json.dumps(
                    {"source": [self.source], "detail-type": [TASK_REQUESTED], "detail": {"agent": [agent]}}
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.cloudwatch.EventTarget(
            f"{name}-{agent}-target",
            aws.cloudwatch.EventTargetArgs(
                rule=rule.name,
                event_bus_name=self.bus.name,
                arn=workflow.state_machine.arn,
                role_arn=role.arn,
                # The workflow takes the same body as POST /agents/<agent>/chat.
                input_transformer=aws.cloudwatch.EventTargetInputTransformerArgs(
                    input_paths={"message": "$.detail.message", "sessionId": "$.detail.sessionId"},
                    input_template='{"message": <message>, "sessionId": <sessionId>}',
                ),
                retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                    maximum_retry_attempts=RETRY_ATTEMPTS, maximum_event_age_in_seconds=MAX_EVENT_AGE_SECONDS
                ),
                dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=self.dead_letters.arn),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )


def _dead_letter_policy(arn: str, account_id: str, rules_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sqs:*",
                    "Resource": arn,
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {
                    "Sid": "EventBridgeDeadLetters",
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": arn,
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account_id},
                        "ArnLike": {"aws:SourceArn": rules_arn},
                    },
                },
            ],
        }
    )
