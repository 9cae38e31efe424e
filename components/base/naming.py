"""Physical AWS names: one helper, so every name is deterministic, unique per stage and within limits.

Names are `ap_<stage>_<part>_<part>...`. The segments (stage, agent, source and tool names) are slugs
with single hyphens, so joining them with `_`, which a slug never contains, keeps names unambiguous:
`("a-b",)` and `("a", "b")` can't collide, within a stage or across stages sharing an account.
S3 names allow no `_`; they join with `-` and carry only fixed purposes after the stage. A name longer
than its service allows is cut and given a short hash of the full name, so two long names that share
a prefix still differ and the same input always yields the same name (no random suffixes: previews are
reproducible and diffs are stable).
"""

from __future__ import annotations

import hashlib
from enum import Enum, unique

PREFIX = "ap"  # agent-platform


@unique
class Kind(Enum):
    """A kind of AWS name: what it names, its maximum length and whether it must be lowercase (S3)."""

    IAM_ROLE = ("IAM role", 64, False)
    IAM_POLICY = ("IAM policy", 128, False)
    S3_BUCKET = ("S3 bucket", 63, True)
    S3_VECTOR_BUCKET = ("S3 vector bucket", 63, True)
    S3_VECTOR_INDEX = ("S3 vector index", 63, True)
    LAMBDA = ("Lambda function", 64, False)
    LOG_GROUP = ("CloudWatch log group", 512, False)
    DYNAMODB_TABLE = ("DynamoDB table", 255, False)
    SQS_QUEUE = ("SQS queue", 80, False)
    SNS_TOPIC = ("SNS topic", 256, False)
    STATE_MACHINE = ("Step Functions state machine", 80, False)
    BEDROCK_AGENT = ("Bedrock agent", 100, False)
    BEDROCK_ALIAS = ("Bedrock agent alias", 100, False)
    BEDROCK_GUARDRAIL = ("Bedrock guardrail", 50, False)
    BEDROCK_KNOWLEDGE_BASE = ("Bedrock knowledge base", 100, False)
    BEDROCK_DATA_SOURCE = ("Bedrock data source", 100, False)
    BEDROCK_ACTION_GROUP = ("Bedrock action group", 100, False)
    KMS_ALIAS = ("KMS alias (after alias/)", 250, False)  # AWS's 256 includes the "alias/" prefix
    EVENT_BUS = ("EventBridge bus", 256, False)
    EVENT_RULE = ("EventBridge rule", 64, False)
    SCHEDULE = ("EventBridge schedule", 64, False)
    COGNITO_USER_POOL = ("Cognito user pool", 128, False)
    API = ("API Gateway REST API", 128, False)
    WAF_WEB_ACL = ("WAF web ACL", 128, False)
    ALARM = ("CloudWatch alarm", 255, False)
    DASHBOARD = ("CloudWatch dashboard", 255, False)
    BUDGET = ("AWS budget", 100, False)
    XRAY_GROUP = ("X-Ray group", 32, False)

    @property
    def max_length(self) -> int:
        return self.value[1]

    @property
    def lowercase(self) -> bool:
        return self.value[2]

    @property
    def separator(self) -> str:
        return "-" if self.lowercase else "_"


def physical_name(kind: Kind, stage: str, *parts: str) -> str:
    """`physical_name(Kind.IAM_ROLE, "crawl", "support-assistant", "agent")` -> "ap_crawl_support-assistant_agent"."""
    segments = [segment.strip("-_") for segment in (PREFIX, stage, *parts)]
    name = kind.separator.join(segment for segment in segments if segment)
    if kind.lowercase:
        name = name.lower()
    if len(name) <= kind.max_length:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    return f"{name[: kind.max_length - 7].rstrip('-_')}{kind.separator}{digest}"


def bucket_name(stage: str, purpose: str, account_id: str, region: str) -> str:
    """S3 bucket names are global: the account and region keep them unique across customers."""
    return physical_name(Kind.S3_BUCKET, stage, purpose, account_id, region)
