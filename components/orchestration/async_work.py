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

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.roles import service_role
from components.messaging.dead_end_queue import dead_end_queue
from components.messaging.resource_policy import ServicePublisher
from components.observability.observability import Observability
from components.orchestration.workflow import Workflow, stage_workflows_arn

TASK_REQUESTED = "agent.task.requested"
ARCHIVE_RETENTION_DAYS = 30
RETRY_ATTEMPTS = 8
MAX_EVENT_AGE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class AsyncWorkArgs:
    location: Location
    key: aws.kms.Key  # the data CMK: bus, archive and dead letters
    observability: Observability  # alarms on the dead letters
    workflows: Mapping[str, Workflow]  # entry agent name -> its workflow
    retain_on_delete: bool  # TierProfile.retain_on_delete: dead letters wait for a human


class AsyncWork(pulumi.ComponentResource):
    def __init__(self, name: str, args: AsyncWorkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:orchestration:AsyncWork", name, None, opts)
        location = args.location
        data_key = args.key
        bus_name = physical_name(Kind.EVENT_BUS, location.stage, "agent-tasks")
        rules_arn = location.arn("events", f"rule/{bus_name}/*")
        self.source = f"agent-platform.{location.stage}"
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
                name=physical_name(Kind.EVENT_RULE, location.stage, "agent-tasks"),
                event_source_arn=self.bus.arn,
                retention_days=ARCHIVE_RETENTION_DAYS,
                kms_key_identifier=data_key.arn,
                description="Replay of asynchronous agent tasks",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dead_letters = dead_end_queue(
            f"{name}-dead-letters",
            location,
            purpose=("agent-tasks-dlq",),
            key=data_key,
            publishers=(ServicePublisher("events.amazonaws.com", rules_arn),),
            parent=self,
            retain_on_delete=args.retain_on_delete,
        ).queue
        args.observability.queue_depth_alarm(f"{name}-dead-letters-alarm", self.dead_letters, "agent-tasks")
        role, policy = service_role(
            name,
            location.stage,
            name_parts=("agent-tasks-events",),
            description="EventBridge starts the agents' workflows for asynchronous tasks",
            trust=ServiceTrust("events.amazonaws.com", location.account_id, source_arn=rules_arn, source_arn_like=True),
            statements=(
                Statement(
                    sid="StartAgentWorkflows",
                    actions=("states:StartExecution",),
                    resources=(stage_workflows_arn(location),),
                ),
            ),
            parent=self,
        )
        for agent, workflow in sorted(args.workflows.items()):
            self._route(name, location.stage, agent, workflow, role, policy)
        self.register_outputs({"eventBusName": self.bus.name, "eventSource": self.source})

    def _route(
        self,
        name: str,
        stage: str,
        agent: str,
        workflow: Workflow,
        role: aws.iam.Role,
        policy: aws.iam.RolePolicy,
    ) -> None:
        rule = aws.cloudwatch.EventRule(
            f"{name}-{agent}-rule",
            aws.cloudwatch.EventRuleArgs(
                name=physical_name(Kind.EVENT_RULE, stage, agent, "tasks"),
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
