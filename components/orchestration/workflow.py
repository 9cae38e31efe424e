"""Step Functions (walk and run): an entry agent's grounded-agent workflow, encrypted, logged, traced; a turn
its record step could not store is parked on the agent's turn-replay queue (turn_replay.py)."""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.logs import LogGroupSettings, encrypted_log_group
from components.base.naming import Kind, physical_name
from components.base.packaging import functions_importable
from components.base.roles import service_role
from components.knowledge.knowledge_base import KnowledgeBase
from components.orchestration.escalation import Escalation
from components.orchestration.orchestrator import Orchestrator
from components.orchestration.turn_replay import TurnReplay
from components.orchestration.workflow_definition import WorkflowTargets, grounded_agent_workflow
from components.security.encryption import Encryption, KeyDomain

# Vended log delivery (Step Functions -> CloudWatch Logs) has no resource-level permissions.
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)
TRACING_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
)


def stage_workflows_arn(location: Location) -> str:
    """Every grounded-agent workflow of the stage (and nothing else): what API Gateway and EventBridge may start.

    One pattern instead of one ARN per agent keeps the callers' policies under IAM's 10 KB inline limit
    at hundreds of agents.
    """
    return location.arn("states", f"stateMachine:{physical_name(Kind.STATE_MACHINE, location.stage)}_*_workflow")


def escalated_answer(language: str) -> str:
    """What the workflow answers when it handed the question to a human: the orchestrator's own text for it
    (functions/orchestrator/messages.py), so the API says the same thing whichever path answered."""
    with functions_importable():
        messages = importlib.import_module("orchestrator.messages")
    return str(messages.messages_for(language).handed_to_human)


@dataclass(frozen=True)
class WorkflowArgs:
    location: Location
    orchestrator: Orchestrator  # runs its steps; the workflow checks answers with its agent's guardrail
    knowledge_bases: Mapping[str, KnowledgeBase]  # the agent's knowledge sources, retrieved in parallel
    escalation: Escalation
    turn_replay: TurnReplay  # the orchestrator's: where a turn that could not be recorded is parked
    encryption: Encryption  # execution data with the data key
    logs: LogGroupSettings
    log_level: str  # TierProfile.step_functions_log_level


class Workflow(pulumi.ComponentResource):
    def __init__(self, name: str, args: WorkflowArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:orchestration:Workflow", name, None, opts)
        location, spec = args.location, args.orchestrator.agent.spec
        answer_when_escalated = escalated_answer(args.orchestrator.language)
        guardrail = args.orchestrator.agent.guardrail
        machine_name = physical_name(Kind.STATE_MACHINE, location.stage, spec.name, "workflow")
        machine_arn = location.arn("states", f"stateMachine:{machine_name}")
        data_key = args.encryption.key(KeyDomain.DATA)
        function_arn = args.orchestrator.function.arn
        # Named rather than referenced in the role's policy, so the policy need not wait for the function.
        named_function_arn = args.orchestrator.function.named_arn
        bases = [base for _, base in sorted(args.knowledge_bases.items())]
        log_group = encrypted_log_group(f"{name}-logs", f"/aws/vendedlogs/states/{machine_name}", args.logs, self)
        statements = [
            Statement(
                sid="RunOrchestratorSteps",
                actions=("lambda:InvokeFunction",),
                resources=(named_function_arn, f"{named_function_arn}:*"),
            ),
            *guardrail.apply_statements("CheckOutput"),
            *args.escalation.send_statements(),
            *args.turn_replay.park_statements(),
            args.encryption.use(
                KeyDomain.DATA,
                "EncryptExecutionData",
                ("kms:Decrypt", "kms:GenerateDataKey"),
                conditions={"StringEquals": {"kms:EncryptionContext:aws:states:stateMachineArn": machine_arn}},
            ),
            Statement(sid="DeliverLogs", actions=LOG_DELIVERY_ACTIONS, resources=("*",)),
            Statement(sid="ActiveTracing", actions=TRACING_ACTIONS, resources=("*",)),
        ]
        if bases:
            statements.append(
                Statement(sid="RetrieveKnowledge", actions=("bedrock:Retrieve",), resources=tuple(b.arn for b in bases))
            )
        role, policy = service_role(
            name,
            location.stage,
            name_parts=(spec.name, "workflow"),
            description=f"Execution role of the grounded-agent workflow of {spec.name}",
            trust=ServiceTrust("states.amazonaws.com", location.account_id, source_arn=machine_arn),
            statements=statements,
            parent=self,
        )
        definition = pulumi.Output.all(
            function_arn,
            [b.knowledge_base.id for b in bases],
            guardrail.guardrail.guardrail_id,
            guardrail.version.version,
            args.escalation.queue.queue.url,
            args.turn_replay.queue.queue.url,
        ).apply(
            lambda values: json.dumps(
                grounded_agent_workflow(
                    WorkflowTargets(
                        function_arn=values[0],
                        knowledge_base_ids=values[1],
                        guardrail_id=values[2],
                        guardrail_version=values[3],
                        escalation_queue_url=values[4],
                        turn_replay_queue_url=values[5],
                        escalated_answer=answer_when_escalated,
                        agent=spec.name,
                        stage=location.stage,
                    )
                ),
                indent=2,
            )
        )
        self.state_machine = aws.sfn.StateMachine(
            f"{name}-state-machine",
            aws.sfn.StateMachineArgs(
                name=machine_name,
                type="EXPRESS",
                role_arn=role.arn,
                definition=definition,
                logging_configuration=aws.sfn.StateMachineLoggingConfigurationArgs(
                    level=args.log_level,
                    # Execution data holds user messages: keep them out of the workflow logs.
                    include_execution_data=False,
                    log_destination=log_group.arn.apply(lambda arn: f"{arn}:*"),
                ),
                tracing_configuration=aws.sfn.StateMachineTracingConfigurationArgs(enabled=True),
                encryption_configuration=aws.sfn.StateMachineEncryptionConfigurationArgs(
                    type="CUSTOMER_MANAGED_KMS_KEY", kms_key_id=data_key.arn, kms_data_key_reuse_period_seconds=300
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        self.register_outputs({"stateMachineArn": self.state_machine.arn})
