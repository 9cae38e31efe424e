"""An entry agent's orchestrator: the Lambda that guards, invokes the agent, degrades and records.

One per entry agent, so each may invoke exactly one agent alias. In crawl API Gateway proxies to it;
from walk on the grounded-agent workflow calls its steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.agents.agent import Agent
from components.base.iam import Statement
from components.base.models import model_access
from components.base.packaging import FUNCTIONS_DIR
from components.compute.lambda_function import (
    FunctionBaseline,
    FunctionCode,
    FunctionSize,
    LambdaFunction,
    LambdaFunctionArgs,
)
from components.orchestration.escalation import Escalation
from components.orchestration.turn_replay import TurnReplay
from components.security.encryption import KeyDomain
from components.storage.data_table import DataTable

CIRCUIT_FAILURE_THRESHOLD = 5
CIRCUIT_RECOVERY_SECONDS = 30


@dataclass(frozen=True)
class OrchestratorArgs:
    baseline: FunctionBaseline
    agent: Agent  # the entry agent it invokes; its guardrail checks the fallback's answers
    sessions: DataTable
    session_ttl_hours: int  # the environment file's sizing.session_ttl_hours
    fallback_model_id: str  # the light model (environment file: models.light), used when the agent fails
    escalation: Escalation | None  # walk and run
    turn_replay: TurnReplay | None  # walk and run: turns the workflow parked, which this function stores
    size: FunctionSize  # sizing.lambda_memory_mb, sizing.orchestrator_timeout_seconds
    language: str  # of the texts the orchestrator writes itself: the stage's first language (ko, en)


class Orchestrator(pulumi.ComponentResource):
    def __init__(self, name: str, args: OrchestratorArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:orchestration:Orchestrator", name, None, opts)
        location, agent = args.baseline.location, args.agent
        fallback = model_access(args.fallback_model_id, location.region, location.account_id, location.partition)
        guardrail = agent.guardrail
        environment: dict[str, pulumi.Input[str]] = {
            "AGENT_ID": agent.agent.agent_id,
            "AGENT_ALIAS_ID": agent.alias.agent_alias_id,
            "AGENT_NAME": agent.spec.name,
            "SESSION_TABLE_NAME": args.sessions.table.name,
            "SESSION_TTL_HOURS": str(args.session_ttl_hours),
            "FALLBACK_MODEL_ID": fallback.model_id,
            "GUARDRAIL_ID": guardrail.guardrail.guardrail_id,
            "GUARDRAIL_VERSION": guardrail.version.version,
            "CIRCUIT_FAILURE_THRESHOLD": str(CIRCUIT_FAILURE_THRESHOLD),
            "CIRCUIT_RECOVERY_SECONDS": str(CIRCUIT_RECOVERY_SECONDS),
            "AGENT_LANGUAGE": args.language,
        }
        statements = [
            Statement(sid="InvokeOwnAgent", actions=("bedrock:InvokeAgent",), resources=(agent.alias.agent_alias_arn,)),
            *fallback.statements("FallbackModel", ("bedrock:InvokeModel",)),  # Converse (not streamed)
            *guardrail.apply_statements("FallbackGuardrail"),
            Statement(
                sid="SessionStore",
                # Query: the highest stored turn, when TTL removed part of a session (shared/session_store.py).
                actions=("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"),
                resources=(args.sessions.named_arn,),
            ),
            args.baseline.encryption.use(
                KeyDomain.DATA,
                "SessionStoreKey",
                ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"),
                via=("dynamodb",),
            ),
        ]
        if args.escalation is not None:
            environment["ESCALATION_QUEUE_URL"] = args.escalation.queue.queue.url
            statements += args.escalation.send_statements()
        if args.turn_replay is not None:
            statements += args.turn_replay.replay_statements()
        self.agent = agent  # the workflow runs the same agent through this orchestrator's steps
        self.language = args.language  # the workflow answers in it too
        self.function = LambdaFunction(
            f"{name}-function",
            LambdaFunctionArgs(
                baseline=args.baseline,
                name_parts=(agent.spec.name, "orchestrator"),
                code=FunctionCode(FUNCTIONS_DIR / "orchestrator", service="orchestrator"),
                description=f"Orchestrates conversations with agent {agent.spec.name}",
                environment=environment,
                statements=statements,
                size=args.size,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        if args.turn_replay is not None:
            args.turn_replay.deliver_to(f"{name}-turn-replay", self.function, parent=self)
        self.register_outputs({"functionArn": self.function.arn})
