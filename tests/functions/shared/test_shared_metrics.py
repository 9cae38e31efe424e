"""Metric names are the alarms' contract: exact strings, importable without AWS or Powertools."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared.metrics import METRIC_UNITS, METRICS_BY_SERVICE, MetricName, MetricUnit, Service

FUNCTIONS_DIR = Path(__file__).resolve().parents[3] / "functions"


def test_names_are_verbatim():
    assert {s.value: [m.value for m in names] for s, names in METRICS_BY_SERVICE.items()} == {
        "orchestrator": [
            "AgentInvocations",
            "AgentErrors",
            "AgentLatency",
            "InputTokens",
            "OutputTokens",
            "GuardBlocked",
            "Fallbacks",
            "Escalations",
            "CircuitOpen",
        ],
        "tools": ["ToolInvocations", "ToolFailures"],
        "kb-sync": ["IngestionJobsStarted", "IngestionFailures"],
        "escalation": ["EscalationsNotified", "EscalationFailures"],
    }
    assert set(MetricName) == {m for names in METRICS_BY_SERVICE.values() for m in names}
    assert METRIC_UNITS[MetricName.AGENT_LATENCY] is MetricUnit.MILLISECONDS
    assert {u for n, u in METRIC_UNITS.items() if n is not MetricName.AGENT_LATENCY} == {MetricUnit.COUNT}
    assert Service.KB_SYNC.value == "kb-sync"


def test_importable_with_an_empty_environment_and_nothing_else_loaded():
    # GIVEN a bare interpreter with only functions/ on the path
    code = (
        "import sys, shared.metrics as m; "
        "assert 'boto3' not in sys.modules and 'aws_lambda_powertools' not in sys.modules; print(m.NAMESPACE)"
    )
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(FUNCTIONS_DIR)}

    # WHEN the infrastructure imports the metric names
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)

    # THEN it works and pulls in no AWS or Powertools module
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "AgentPlatform"
