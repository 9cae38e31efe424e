"""Per-container wiring: configuration, boto3 clients and the ChatService, built on first use.

Clients are created lazily (not at import) and once per container; the circuit breaker lives here,
in module memory, so it survives across warm invocations of the same container.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared.aws import DYNAMODB, ClientSettings, client
from shared.escalation import EscalationQueue
from shared.guard import Guard
from shared.lazy import Lazy
from shared.resilience import CircuitBreaker
from shared.session_store import LogTurnSink, SessionStore

from orchestrator.agent import AgentInvoker
from orchestrator.config import Engine, OrchestratorConfig
from orchestrator.fallback import FallbackResponder
from orchestrator.messages import messages_for
from orchestrator.service import ChatService

# invoke_agent: one botocore retry of the request itself; read_timeout bounds the silence between
# stream events (a model call or tool call), the turn deadline bounds the whole answer.
AGENT_RUNTIME = ClientSettings(max_attempts=2, connect_timeout=2.0, read_timeout=10.0)
FALLBACK_RUNTIME = ClientSettings(max_attempts=2, connect_timeout=2.0, read_timeout=6.0)
SQS = ClientSettings(max_attempts=3, connect_timeout=1.0, read_timeout=3.0)
# AgentCore engine. InvokeHarness like invoke_agent: read_timeout bounds one silence of the stream.
HARNESS = ClientSettings(max_attempts=2, connect_timeout=2.0, read_timeout=10.0)
GUARDRAIL = ClientSettings(max_attempts=2, connect_timeout=1.0, read_timeout=4.0)  # ApplyGuardrail
KNOWLEDGE = ClientSettings(max_attempts=2, connect_timeout=1.0, read_timeout=4.0)  # Retrieve
# A confirmed tool: botocore retries throttling, 5xx and timeouts once, so a mutating tool must be
# idempotent on bedrockAgentCoreSessionId (ticket-create is).
TOOL_LAMBDA = ClientSettings(max_attempts=2, connect_timeout=1.0, read_timeout=10.0)

config: Lazy[OrchestratorConfig] = Lazy(OrchestratorConfig.from_env)


def build_service(
    settings: OrchestratorConfig,
    *,
    metrics: Any,
    logger: Any,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> ChatService:
    messages = messages_for(settings.language)
    invoker: Any
    if settings.engine is Engine.AGENTCORE:
        invoker = build_harness_invoker(settings, logger=logger, clock=clock)
    else:
        assert settings.agent_id and settings.agent_alias_id  # OrchestratorConfig requires them for classic
        invoker = AgentInvoker(
            client("bedrock-agent-runtime", AGENT_RUNTIME), settings.agent_id, settings.agent_alias_id, clock=clock
        )
    return ChatService(
        agent_name=settings.agent_name,
        stage=settings.stage,
        guard=Guard(settings.max_input_chars),
        invoker=invoker,
        fallback=FallbackResponder(
            lambda: client("bedrock-runtime", FALLBACK_RUNTIME),
            settings.fallback_model_id,
            settings.guardrail_id,
            settings.guardrail_version,
            settings.agent_name,
            messages,
        ),
        breaker=CircuitBreaker(
            f"agent:{settings.agent_name}",
            settings.circuit_failure_threshold,
            settings.circuit_recovery_seconds,
            clock=clock,
        ),
        store=SessionStore(
            client("dynamodb", DYNAMODB), settings.session_table_name, settings.session_ttl_hours, LogTurnSink(logger)
        ),
        escalations=EscalationQueue(lambda: client("sqs", SQS), settings.escalation_queue_url, logger)
        if settings.escalation_queue_url
        else None,
        metrics=metrics,
        logger=logger,
        messages=messages,
        clock=clock,
        sleep=sleep,
    )


def build_harness_invoker(settings: OrchestratorConfig, *, logger: Any, clock: Callable[[], float]) -> Any:
    """The AgentCore engine, imported only by containers that use it (classic cold starts never load it)."""
    from orchestrator.guardrail import GuardrailChecker
    from orchestrator.harness import HarnessInvoker, HarnessRoute
    from orchestrator.knowledge import KnowledgeRetriever
    from orchestrator.tool_calls import ConfirmedToolRunner

    harness = settings.harness
    assert harness is not None  # OrchestratorConfig requires it for agentcore

    def guardrail(guardrail_id: str, version: str) -> GuardrailChecker:
        return GuardrailChecker(lambda: client("bedrock-runtime", GUARDRAIL), guardrail_id, version)

    return HarnessInvoker(
        client=client("bedrock-agentcore", HARNESS),
        own=HarnessRoute(
            settings.agent_name, harness.harness_arn, guardrail(settings.guardrail_id, settings.guardrail_version)
        ),
        collaborators={
            tool: HarnessRoute(c.agent, c.harness_arn, guardrail(c.guardrail_id, c.guardrail_version))
            for tool, c in harness.collaborators.items()
        },
        confirmation_tools=harness.confirmation_tools,
        tool_runner=ConfirmedToolRunner(lambda: client("lambda", TOOL_LAMBDA), logger),
        knowledge=KnowledgeRetriever(
            lambda: client("bedrock-agent-runtime", KNOWLEDGE), harness.knowledge_base_ids, logger
        )
        if harness.knowledge_base_ids
        else None,
        logger=logger,
        clock=clock,
    )
