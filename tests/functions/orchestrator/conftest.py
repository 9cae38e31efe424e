"""An orchestrator wired to fake AWS: moto for DynamoDB and SQS, Stubbers for both Bedrock runtimes."""

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
