"""An orchestrator wired to fake AWS: moto for DynamoDB and SQS, Stubbers for both Bedrock runtimes (classic
engine) or for bedrock-agentcore, bedrock-runtime ApplyGuardrail, Retrieve and lambda (AgentCore engine)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from orchestrator import handler, runtime
from orchestrator.config import OrchestratorConfig
from shared.aws import client

from environments.models import DEFAULTS, ModelUse, invocation
from tests.functions.api_constraints import watch
from tests.functions.fakes import FakeClock, JsonLog, LambdaContext, drain_queue

# The light model as a us-east-1 stage calls it (environments/models.py): what the Orchestrator component sets.
FALLBACK_MODEL_ID = invocation(DEFAULTS[ModelUse.LIGHT].model_id, "us-east-1").model_id

AGENT_ENV = {
    "AGENT_ID": "AGENT12345",
    "AGENT_ALIAS_ID": "ALIAS12345",
    "AGENT_NAME": "support-assistant",
    "SESSION_TTL_HOURS": "24",
    "FALLBACK_MODEL_ID": FALLBACK_MODEL_ID,
    "GUARDRAIL_ID": "gr7h2k9x4p1q",
    "GUARDRAIL_VERSION": "3",
    "MAX_INPUT_CHARS": "4000",
    "CIRCUIT_FAILURE_THRESHOLD": "3",
    "CIRCUIT_RECOVERY_SECONDS": "30",
    "AGENT_LANGUAGE": "en",
}


@dataclass
class Orchestrator:
    """The deployed function, in-process: call `invoke(event)` and inspect what it left behind."""

    agent: Stubber
    model: Stubber
    sqs: Any
    dynamodb: Any
    table: str
    queue_url: str | None
    clock: FakeClock
    log: JsonLog
    sleeps: list[float] = field(default_factory=list)

    def invoke(self, event: dict[str, Any], remaining_ms: int = 28_000) -> dict[str, Any]:
        return handler.lambda_handler(event, LambdaContext(remaining_ms=remaining_ms))

    def escalations(self) -> list[dict[str, Any]]:
        if self.queue_url is None:
            return []
        return [json.loads(m["Body"]) for m in drain_queue(self.sqs, self.queue_url)]

    def items(self, session_id: str) -> dict[str, dict[str, Any]]:
        result = self.dynamodb.query(
            TableName=self.table,
            KeyConditionExpression="session_id = :s",
            ExpressionAttributeValues={":s": {"S": session_id}},
            ConsistentRead=True,
        )
        return {item["turn"]["S"]: item for item in result["Items"]}

    def turns(self, session_id: str) -> list[dict[str, Any]]:
        return [item for key, item in sorted(self.items(session_id).items()) if key.startswith("turn#")]

    def spilled_turns(self) -> list[dict[str, Any]]:
        return [r for r in self.log.records() if r.get("replay") == "session-turn"]


def _build(monkeypatch: pytest.MonkeyPatch, table: str, queue_url: str | None) -> Iterator[Orchestrator]:
    for key, value in {**AGENT_ENV, "SESSION_TABLE_NAME": table}.items():
        monkeypatch.setenv(key, value)
    if queue_url:
        monkeypatch.setenv("ESCALATION_QUEUE_URL", queue_url)
    else:
        monkeypatch.delenv("ESCALATION_QUEUE_URL", raising=False)
    runtime.config.reset()
    clock = FakeClock()
    log = JsonLog("orchestrator")
    harness = Orchestrator(
        agent=Stubber(client("bedrock-agent-runtime", runtime.AGENT_RUNTIME)),
        model=Stubber(client("bedrock-runtime", runtime.FALLBACK_RUNTIME)),
        sqs=boto3.client("sqs", region_name="us-east-1"),
        dynamodb=boto3.client("dynamodb", region_name="us-east-1"),
        table=table,
        queue_url=queue_url,
        clock=clock,
        log=log,
    )

    def sleep(seconds: float) -> None:
        harness.sleeps.append(seconds)
        clock.advance(seconds)

    handler.service.override(
        runtime.build_service(
            OrchestratorConfig.from_env(), metrics=handler.metrics, logger=log.logger, clock=clock, sleep=sleep
        )
    )
    handler.steps.reset()
    harness.agent.activate()
    harness.model.activate()
    yield harness
    harness.agent.deactivate()
    harness.model.deactivate()
    handler.service.reset()
    handler.steps.reset()
    runtime.config.reset()


@pytest.fixture
def orchestrator(monkeypatch: pytest.MonkeyPatch, session_table: str, escalation_queue: str) -> Iterator[Orchestrator]:
    """Walk/run wiring: with a human-escalation queue."""
    yield from _build(monkeypatch, session_table, escalation_queue)


@pytest.fixture
def crawl_orchestrator(monkeypatch: pytest.MonkeyPatch, session_table: str) -> Iterator[Orchestrator]:
    """Crawl wiring: no escalation queue."""
    yield from _build(monkeypatch, session_table, None)


# -- AgentCore engine -------------------------------------------------------------------------------

HARNESS_ARN = "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/support_assistant-abcdefghij"
TICKET_FUNCTION = "agent-platform-crawl-ticket-create"
CONFIRMATION_TOOLS = {"createTicket": {"function": TICKET_FUNCTION, "gateway_tool": "ticket-create___createTicket"}}
KNOWLEDGE_BASE_ID = "KBHANDBOOK"
AGENTCORE_ENV = {
    **{k: v for k, v in AGENT_ENV.items() if k not in ("AGENT_ID", "AGENT_ALIAS_ID")},
    "AGENT_ENGINE": "agentcore",
    "HARNESS_ARN": HARNESS_ARN,
    "CONFIRMATION_TOOLS": json.dumps(CONFIRMATION_TOOLS),
}
COLLABORATORS = {
    "delegate_search": {
        "agent": "search-agent",
        "harness_arn": "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/run_search_agent-0123456789",
        "guardrail_id": "grsearch0001",
        "guardrail_version": "2",
    },
    "delegate_execution": {
        "agent": "execution-agent",
        "harness_arn": "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/run_execution_agent-9876543210",
        "guardrail_id": "grexec00001",
        "guardrail_version": "5",
    },
}


@dataclass
class AgentCoreOrchestrator(Orchestrator):
    """The same function on the AgentCore engine. `agent` stubs InvokeHarness; `guardrail` ApplyGuardrail,
    `knowledge` Retrieve and `tools` lambda Invoke; `violations` collects every request that breaks its
    botocore input shape (patterns and lengths included)."""

    guardrail: Stubber | None = None
    knowledge: Stubber | None = None
    tools: Stubber | None = None
    violations: list[str] = field(default_factory=list)


def _build_agentcore(
    monkeypatch: pytest.MonkeyPatch, table: str, queue_url: str | None, env: dict[str, str]
) -> Iterator[AgentCoreOrchestrator]:
    for key in ("AGENT_ID", "AGENT_ALIAS_ID", "COLLABORATORS", "KNOWLEDGE_BASE_IDS", "ESCALATION_QUEUE_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in {**env, "SESSION_TABLE_NAME": table}.items():
        monkeypatch.setenv(key, value)
    if queue_url:
        monkeypatch.setenv("ESCALATION_QUEUE_URL", queue_url)
    runtime.config.reset()
    clock = FakeClock()
    clients = {
        "agent": client("bedrock-agentcore", runtime.HARNESS),
        "model": client("bedrock-runtime", runtime.FALLBACK_RUNTIME),
        "guardrail": client("bedrock-runtime", runtime.GUARDRAIL),
        "knowledge": client("bedrock-agent-runtime", runtime.KNOWLEDGE),
        "tools": client("lambda", runtime.TOOL_LAMBDA),
    }
    stubbers = {name: Stubber(c) for name, c in clients.items()}
    harness = AgentCoreOrchestrator(
        sqs=boto3.client("sqs", region_name="us-east-1"),
        dynamodb=boto3.client("dynamodb", region_name="us-east-1"),
        table=table,
        queue_url=queue_url,
        clock=clock,
        log=JsonLog("orchestrator"),
        **stubbers,
    )
    for c in clients.values():
        watch(c, harness.violations)

    def sleep(seconds: float) -> None:
        harness.sleeps.append(seconds)
        clock.advance(seconds)

    handler.service.override(
        runtime.build_service(
            OrchestratorConfig.from_env(), metrics=handler.metrics, logger=harness.log.logger, clock=clock, sleep=sleep
        )
    )
    handler.steps.reset()
    for stubber in stubbers.values():
        stubber.activate()
    yield harness
    for stubber in stubbers.values():
        stubber.deactivate()
    handler.service.reset()
    handler.steps.reset()
    runtime.config.reset()
    assert harness.violations == [], harness.violations


@pytest.fixture
def crawl_agentcore(monkeypatch: pytest.MonkeyPatch, session_table: str) -> Iterator[AgentCoreOrchestrator]:
    """Crawl on AgentCore: the API, a knowledge base retrieved by the orchestrator, no escalation queue."""
    env = {**AGENTCORE_ENV, "KNOWLEDGE_BASE_IDS": json.dumps([KNOWLEDGE_BASE_ID])}
    yield from _build_agentcore(monkeypatch, session_table, None, env)


@pytest.fixture
def walk_agentcore(
    monkeypatch: pytest.MonkeyPatch, session_table: str, escalation_queue: str
) -> Iterator[AgentCoreOrchestrator]:
    """Walk on AgentCore: workflow steps, an escalation queue, knowledge retrieved by the state machine."""
    yield from _build_agentcore(monkeypatch, session_table, escalation_queue, AGENTCORE_ENV)


@pytest.fixture
def run_coordinator(
    monkeypatch: pytest.MonkeyPatch, session_table: str, escalation_queue: str
) -> Iterator[AgentCoreOrchestrator]:
    """Run's coordinator on AgentCore: two collaborators reached through delegate tools; the execution
    collaborator's createTicket is in the coordinator's CONFIRMATION_TOOLS (the contract's union)."""
    env = {**AGENTCORE_ENV, "AGENT_NAME": "coordinator", "COLLABORATORS": json.dumps(COLLABORATORS)}
    yield from _build_agentcore(monkeypatch, session_table, escalation_queue, env)
