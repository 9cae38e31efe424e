"""Starts ingestion jobs idempotently.

- A job already STARTING or IN_PROGRESS for the data source: skipped (it will pick up the change or
  the next scheduled sync will). Bedrock's ConflictException means the same and is treated the same.
- clientToken derives from the triggering event, so Lambda's async retries of one event never start
  a second job.
- Anything else raises IngestionError: Lambda retries the async event, then sends it to the
  on-failure destination.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from shared.aws import CONFLICT, describe_error, error_code

from kb_sync.config import KnowledgeSource

RUNNING_STATUSES = ("STARTING", "IN_PROGRESS")


class IngestionError(RuntimeError):
    """Bedrock refused or failed to start the ingestion job."""


class SyncOutcome(StrEnum):
    STARTED = "started"
    ALREADY_RUNNING = "already_running"
    IGNORED = "ignored"  # the change is not in a knowledge source


@dataclass(frozen=True)
class SyncResult:
    source: str
    outcome: SyncOutcome
    ingestion_job_id: str | None = None


def client_token(trigger_id: str, source: KnowledgeSource) -> str:
    # 64 hex characters: inside Bedrock's 33..256 and [a-zA-Z0-9](-*[a-zA-Z0-9])* rules.
    return hashlib.sha256(f"{trigger_id}:{source.knowledge_base_id}:{source.data_source_id}".encode()).hexdigest()


class IngestionStarter:
    def __init__(self, bedrock_agent: Any) -> None:
        self._bedrock_agent = bedrock_agent

    def sync(self, source: KnowledgeSource, *, trigger_id: str, description: str) -> SyncResult:
        ids = {"knowledgeBaseId": source.knowledge_base_id, "dataSourceId": source.data_source_id}
        try:
            running = self._bedrock_agent.list_ingestion_jobs(
                **ids,
                filters=[{"attribute": "STATUS", "operator": "EQ", "values": list(RUNNING_STATUSES)}],
                maxResults=1,
            ).get("ingestionJobSummaries", [])
            if running:
                return SyncResult(source.name, SyncOutcome.ALREADY_RUNNING, running[0].get("ingestionJobId"))
            job = self._bedrock_agent.start_ingestion_job(
                **ids, clientToken=client_token(trigger_id, source), description=description[:200]
            )["ingestionJob"]
        except ClientError as error:
            if error_code(error) == CONFLICT:
                return SyncResult(source.name, SyncOutcome.ALREADY_RUNNING)
            raise IngestionError(f"starting ingestion for {source.name} failed: {describe_error(error)}") from error
        except BotoCoreError as error:
            raise IngestionError(f"starting ingestion for {source.name} failed: {describe_error(error)}") from error
        return SyncResult(source.name, SyncOutcome.STARTED, job.get("ingestionJobId"))
