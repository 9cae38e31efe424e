"""What asked for a sync: an S3 change delivered by EventBridge, or an EventBridge Scheduler run.

S3 (EventBridge notifications on the documents bucket):
  {"source": "aws.s3", "detail-type": "Object Created" | "Object Deleted", "id": ...,
   "detail": {"bucket": {"name": ...}, "object": {"key": ...}}}
Scheduler (universal target input set by the KnowledgeBase component):
  {"source": "<knowledge source name>"} (optionally "executionId": "<aws.scheduler.execution-id>")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import InvalidInputError

S3_DETAIL_TYPES = ("Object Created", "Object Deleted")


class UnsupportedTriggerError(InvalidInputError):
    """The event is neither an S3 object change nor a scheduled sync: misrouted, not retryable."""


@dataclass(frozen=True)
class S3Change:
    event_id: str
    bucket: str
    key: str
    detail_type: str


@dataclass(frozen=True)
class ScheduledSync:
    source: str
    execution_id: str | None


def parse_trigger(event: Any) -> S3Change | ScheduledSync:
    if not isinstance(event, Mapping):
        raise UnsupportedTriggerError("event must be a JSON object")
    if event.get("source") == "aws.s3":
        detail = event.get("detail")
        detail_type = event.get("detail-type")
        if detail_type not in S3_DETAIL_TYPES or not isinstance(detail, Mapping):
            raise UnsupportedTriggerError(f"detail-type: unsupported S3 event; expected one of {S3_DETAIL_TYPES}")
        bucket = (detail.get("bucket") or {}).get("name")
        key = (detail.get("object") or {}).get("key")
        event_id = event.get("id")
        if not all(isinstance(v, str) and v for v in (bucket, key, event_id)):
            raise UnsupportedTriggerError("S3 event without id, detail.bucket.name or detail.object.key")
        return S3Change(str(event_id), str(bucket), str(key), str(detail_type))
    source = event.get("source")
    if isinstance(source, str) and source and "detail-type" not in event:
        execution_id = event.get("executionId")
        return ScheduledSync(source, execution_id if isinstance(execution_id, str) and execution_id else None)
    raise UnsupportedTriggerError("expected an S3 event from EventBridge or a scheduler payload {'source': name}")
