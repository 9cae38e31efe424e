"""Named edge cases found while exploring, kept as explicit `@example`s so a regression is a named test.

Built from the shipped environment files, so they stay valid while the schema evolves.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"
KOREAN = "사내 지원 절차와 자주 묻는 질문에 답하고, 확인을 받은 뒤에만 티켓을 조회하거나 생성합니다. "


def shipped(base: str, **changes: Any) -> dict[str, Any]:
    spec = yaml.safe_load((ENVIRONMENTS / f"{base}.yaml").read_text(encoding="utf-8"))
    spec.update(copy.deepcopy(changes))
    return spec


def agent(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "owner": "team-a",
        "description": "Answers questions for tests.",
        "instruction": "Answer the user's questions from the documents you are given, and cite them.",
        **fields,
    }


def source(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "description": "Documents for the tests.", **fields}


def _account(stage: str) -> dict[str, str]:
    return {"account_label": "nonprod", "owner_stage": stage}


# crawl allows a stage without knowledge: nothing then logs to the access-log bucket (SSE-S3 by necessity).
CRAWL_WITHOUT_KNOWLEDGE = shipped(
    "crawl", stage="lab", account=_account("lab"), knowledge_sources=[], agents=[agent("helper")]
)

# Every name at its maximum: 16-character stage, 32-character agents and source - names are cut and hashed.
LONGEST_NAMES = shipped(
    "walk",
    stage="s" * 15 + "1",
    account=_account("s" * 15 + "1"),
    knowledge_sources=[source("k" * 31 + "1")],
    agents=[
        agent("a" * 31 + "1", tools=["ticket-lookup", "ticket-create"], knowledge_sources=["k" * 31 + "1"]),
        agent("a" * 31 + "2", guardrail_profile="strict", model_class="strong"),
    ],
)

# Korean texts at the schema's maximum length, in the run tier with a supervisor.
KOREAN_RUN = shipped(
    "run",
    knowledge_sources=[source("handbook", description=(KOREAN * 5)[:200])],
    agents=[
        agent("lead", description=(KOREAN * 5)[:200], collaborators=["tickets"]),
        agent("tickets", description=(KOREAN * 5)[:200], instruction=(KOREAN * 60)[:4000], tools=["ticket-create"]),
    ],
)

# Names that collide with names the platform derives (physical names join parts with '-', which slugs contain).
SOURCE_NAMED_LIKE_THE_SYNC_SCHEDULER = shipped(
    "walk", knowledge_sources=[source("sync-scheduler")], agents=[agent("helper", knowledge_sources=["sync-scheduler"])]
)
AGENT_NAMED_LIKE_THE_ASYNC_ROLE = shipped("run", agents=[agent("tasks-events")])
AGENTS_AGENT_X_AND_X_WORKFLOW = shipped("walk", agents=[agent("agent-x"), agent("x-workflow")])

# A five-field (Unix) cron expression: the schema accepts it, EventBridge Scheduler needs six fields.
UNIX_CRON = shipped("crawl", knowledge_sources=[source("support-handbook", sync_schedule="cron(0 3 * * *)")])

# Two stages in one account whose names are hyphen-prefixes of each other.
PREFIX_STAGES = (
    shipped("walk", stage="dev", account=_account("dev"), agents=[agent("eu-support")]),
    shipped("walk", stage="dev-eu", account=_account("dev"), agents=[agent("support")]),
)
