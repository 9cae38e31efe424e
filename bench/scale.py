"""Environments of the run tier with N agents, as a temporary Pulumi project the engine can preview."""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.engine_runs import REPO


def run_tier_environment(agents: int) -> dict:
    """N standalone agents, each with a read tool and a knowledge source: the per-agent cost at its realistic worst."""
    return {
        "stage": f"scale{agents}",
        "tier": "run",
        "owner": "platform-team",
        "cost_center": "cc-bench",
        "account": {"account_label": "bench", "owner_stage": f"scale{agents}"},
        "alarm_emails": ["bench@example.com"],
        "budget": {"monthly_limit_usd": 1000},
        "knowledge_sources": [{"name": "handbook", "description": "Benchmark handbook documents."}],
        "agents": [
            {
                "name": f"agent-{index:03d}",
                "owner": "bench-team",
                "description": "A benchmark agent that looks up tickets.",
                "instruction": "You answer questions from the handbook and look up tickets when asked to.",
                "tools": ["ticket-lookup"],
                "knowledge_sources": ["handbook"],
            }
            for index in range(agents)
        ],
    }


def write_project(directory: Path, agents: int) -> str:
    """A project in `directory` whose stack `scale<N>` runs the platform's program on the generated file."""
    stack = f"scale{agents}"
    environment = directory / f"{stack}.yaml"
    environment.write_text(yaml.safe_dump(run_tier_environment(agents), sort_keys=False))
    (directory / "Pulumi.yaml").write_text(f"name: agent-platform\nruntime: python\nmain: {REPO / '__main__.py'}\n")
    (directory / f"Pulumi.{stack}.yaml").write_text(
        f"config:\n  aws:region: us-east-1\n  agent-platform:environment: {environment}\n"
    )
    return stack
