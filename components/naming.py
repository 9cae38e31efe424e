"""Physical AWS names: one helper, so every name is deterministic, unique per stage and within limits.

Names are `<prefix>-<stage>-<parts...>`. A name longer than its service allows is cut and given a
short hash of the full name, so two long names that share a prefix still differ and the same input
always yields the same name (no random suffixes: previews are reproducible and diffs are stable).
"""

from __future__ import annotations

import hashlib
import re
from enum import Enum

PREFIX = "ap"  # agent-platform


class Kind(Enum):
    """A kind of AWS name: its maximum length and whether it must be lowercase."""

    IAM_ROLE = (64, False)
    IAM_POLICY = (128, False)
    S3_BUCKET = (63, True)
    S3_VECTOR_BUCKET = (63, True)
    S3_VECTOR_INDEX = (63, True)
    LAMBDA = (64, False)
    LOG_GROUP = (512, False)
    DYNAMODB_TABLE = (255, False)
    SQS_QUEUE = (80, False)
    SNS_TOPIC = (256, False)
    STATE_MACHINE = (80, False)
    BEDROCK_AGENT = (100, False)
    BEDROCK_ALIAS = (100, False)
    BEDROCK_GUARDRAIL = (50, False)
    BEDROCK_KNOWLEDGE_BASE = (100, False)
    BEDROCK_DATA_SOURCE = (100, False)
    BEDROCK_ACTION_GROUP = (100, False)
    KMS_ALIAS = (256, False)  # without the "alias/" prefix
    EVENT_BUS = (256, False)
    EVENT_RULE = (64, False)
    SCHEDULE = (64, False)
    COGNITO_USER_POOL = (128, False)
    API = (128, False)
    WAF_WEB_ACL = (128, False)
    ALARM = (255, False)
    DASHBOARD = (255, False)
    BUDGET = (100, False)
    XRAY_GROUP = (32, False)

    @property
    def max_length(self) -> int:
        return self.value[0]

    @property
    def lowercase(self) -> bool:
        return self.value[1]


_SEPARATORS = re.compile(r"-{2,}")


def physical_name(kind: Kind, stage: str, *parts: str) -> str:
    """`physical_name(Kind.IAM_ROLE, "crawl", "support", "agent")` -> "ap-crawl-support-agent"."""
    raw = "-".join([PREFIX, stage, *parts])
    name = _SEPARATORS.sub("-", raw.lower() if kind.lowercase else raw).strip("-")
    if len(name) <= kind.max_length:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    return f"{name[: kind.max_length - 7].rstrip('-')}-{digest}"


def bucket_name(stage: str, purpose: str, account_id: str, region: str) -> str:
    """S3 bucket names are global: the account and region keep them unique across customers."""
    return physical_name(Kind.S3_BUCKET, stage, purpose, account_id, region)
