"""Turns a trigger into at most one ingestion job, and reports what happened."""

from __future__ import annotations

import logging
from typing import Any

from shared.errors import InvalidInputError
from shared.metrics import MetricName, emit
from shared.pii import scrub

from kb_sync.config import KbSyncConfig
from kb_sync.ingestion import IngestionStarter, SyncOutcome, SyncResult
from kb_sync.triggers import S3Change, ScheduledSync, parse_trigger


class UnknownKnowledgeSourceError(InvalidInputError):
    """A schedule names a source that is not in KNOWLEDGE_SOURCES (a deployment bug)."""


class KbSyncService:
    def __init__(self, config: KbSyncConfig, starter: IngestionStarter, metrics: Any, logger: logging.Logger | Any):
        self._config = config
        self._starter = starter
        self._metrics = metrics
        self._logger = logger

    def handle(self, event: Any, request_id: str) -> dict[str, Any]:
        trigger = parse_trigger(event)
        if isinstance(trigger, S3Change):
            return self._on_change(trigger)
        return self._on_schedule(trigger, request_id)

    def _on_change(self, change: S3Change) -> dict[str, Any]:
        if change.bucket != self._config.documents_bucket:
            self._logger.warning("event for another bucket ignored", extra={"bucket": scrub(change.bucket, 63)})
            return {"outcome": SyncOutcome.IGNORED.value, "reason": "not the documents bucket"}
        # Object keys are file names: they can hold names, phone numbers, e-mail addresses.
        key = scrub(change.key, 300)
        source = self._config.source_for_key(change.key)
        if source is None:
            self._logger.info("object outside every knowledge source prefix ignored", extra={"key": key})
            return {"outcome": SyncOutcome.IGNORED.value, "reason": "key outside every knowledge source prefix"}
        result = self._starter.sync(source, trigger_id=change.event_id, description=f"{change.detail_type}: {key}")
        return self._report(result)

    def _on_schedule(self, schedule: ScheduledSync, request_id: str) -> dict[str, Any]:
        source = self._config.sources.get(schedule.source)
        if source is None:
            raise UnknownKnowledgeSourceError(
                f"source: not a knowledge source of this stage; known: {', '.join(sorted(self._config.sources))}"
            )
        # Async retries of one invocation keep the Lambda request id: the same token, never a second job.
        result = self._starter.sync(
            source, trigger_id=schedule.execution_id or request_id, description=f"scheduled sync of {source.name}"
        )
        return self._report(result)

    def _report(self, result: SyncResult) -> dict[str, Any]:
        if result.outcome is SyncOutcome.STARTED:
            emit(self._metrics, MetricName.INGESTION_JOBS_STARTED)
        self._logger.info(
            "ingestion " + result.outcome.value,
            extra={"source": result.source, "ingestion_job_id": result.ingestion_job_id},
        )
        return {"outcome": result.outcome.value, "source": result.source, "ingestionJobId": result.ingestion_job_id}
