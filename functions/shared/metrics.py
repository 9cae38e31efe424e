"""Metric names the functions emit and the CloudWatch alarms are built on: one source of truth.

Importing this module needs nothing (no AWS env, no Powertools), so the Pulumi program can import it
(`from shared.metrics import MetricName` with `functions/` on sys.path) to name alarms and dashboards.
Every metric is emitted in namespace `AgentPlatform` with exactly the dimensions `service` and
`stage` (see DIMENSIONS): an alarm must use the same dimension set, or CloudWatch treats it as a
different metric and the alarm never fires.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

NAMESPACE = "AgentPlatform"
# Powertools adds `service` (POWERTOOLS_SERVICE_NAME); the functions add `stage` (STAGE).
DIMENSIONS = ("service", "stage")


class MetricUnit(StrEnum):
    COUNT = "Count"
    MILLISECONDS = "Milliseconds"


class Service(StrEnum):
    """POWERTOOLS_SERVICE_NAME of each function family (the `service` dimension)."""

    ORCHESTRATOR = "orchestrator"
    TOOLS = "tools"
    KB_SYNC = "kb-sync"
    ESCALATION = "escalation"


class MetricName(StrEnum):
    # orchestrator
    AGENT_INVOCATIONS = "AgentInvocations"
    AGENT_ERRORS = "AgentErrors"
    AGENT_LATENCY = "AgentLatency"
    INPUT_TOKENS = "InputTokens"
    OUTPUT_TOKENS = "OutputTokens"
    GUARD_BLOCKED = "GuardBlocked"
    FALLBACKS = "Fallbacks"
    ESCALATIONS = "Escalations"
    CIRCUIT_OPEN = "CircuitOpen"
    # tools
    TOOL_INVOCATIONS = "ToolInvocations"
    TOOL_FAILURES = "ToolFailures"
    # kb-sync
    INGESTION_JOBS_STARTED = "IngestionJobsStarted"
    INGESTION_FAILURES = "IngestionFailures"
    # escalation
    ESCALATIONS_NOTIFIED = "EscalationsNotified"
    ESCALATION_FAILURES = "EscalationFailures"


METRIC_UNITS: dict[MetricName, MetricUnit] = {
    name: (MetricUnit.MILLISECONDS if name is MetricName.AGENT_LATENCY else MetricUnit.COUNT) for name in MetricName
}

METRICS_BY_SERVICE: dict[Service, tuple[MetricName, ...]] = {
    Service.ORCHESTRATOR: (
        MetricName.AGENT_INVOCATIONS,
        MetricName.AGENT_ERRORS,
        MetricName.AGENT_LATENCY,
        MetricName.INPUT_TOKENS,
        MetricName.OUTPUT_TOKENS,
        MetricName.GUARD_BLOCKED,
        MetricName.FALLBACKS,
        MetricName.ESCALATIONS,
        MetricName.CIRCUIT_OPEN,
    ),
    Service.TOOLS: (MetricName.TOOL_INVOCATIONS, MetricName.TOOL_FAILURES),
    Service.KB_SYNC: (MetricName.INGESTION_JOBS_STARTED, MetricName.INGESTION_FAILURES),
    Service.ESCALATION: (MetricName.ESCALATIONS_NOTIFIED, MetricName.ESCALATION_FAILURES),
}


class MetricsSink(Protocol):
    """Powertools Metrics, or a test double: what `emit` needs."""

    def add_metric(self, name: str, unit: Any, value: float) -> None: ...


def emit(metrics: MetricsSink, name: MetricName, value: float = 1) -> None:
    """Add one metric with the unit this module defines for it (one place for names and units)."""
    metrics.add_metric(name=name.value, unit=METRIC_UNITS[name].value, value=value)
