"""Encryption: every data-bearing resource is encrypted with a rotating customer-managed key of this stack.

The CMK rules are stack policies: per-resource `Analyze` carries no property dependencies, and in
preview a key ARN is unknown, so "encrypted with a CMK of this stack" is proved through the graph
(policies/core/graph.py `prove_stack_cmk`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.core import stage
from policies.core.graph import StackGraph, prove_stack_cmk
from policies.core.lookups import access_log_targets
from policies.core.props import UNKNOWN, get, items, number, plain, short_name, truthy
from policies.core.resource_types import (
    BEDROCK_AGENT,
    BEDROCK_DATA_SOURCE,
    BEDROCK_GUARDRAIL,
    DYNAMODB_TABLE,
    EVENT_ARCHIVE,
    EVENT_BUS,
    KMS_KEY,
    LAMBDA_FUNCTION,
    LOG_GROUP,
    S3_BUCKET,
    S3_BUCKET_SSE,
    S3_VECTOR_BUCKET,
    S3_VECTOR_INDEX,
    SCHEDULE,
    SECRET,
    SNS_TOPIC,
    SQS_QUEUE,
    STATE_MACHINE,
)
from policies.core.tags import tags
from policies.core.tier_text import per_tier

# --- keys themselves ------------------------------------------------------------------------------

ROTATION_SCHEMA = PolicyConfigSchema(
    properties={
        "maximumRotationDays": {
            "type": "integer",
            "minimum": 90,
            "maximum": 2560,
            "default": 365,
            "description": "Longest rotation period (rotationPeriodInDays) a key may use.",
        }
    }
)


def validate_kms_key_rotation(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    props = plain(args.props)
    spec = get(props, "customerMasterKeySpec", "SYMMETRIC_DEFAULT")
    if spec != "SYMMETRIC_DEFAULT" or get(props, "keyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        args.not_applicable(f"{spec} keys cannot rotate automatically")
    if not truthy(get(props, "enableKeyRotation")):
        report_violation("enableKeyRotation is not true: the key material is never rotated.", None)
        return
    period = number(get(props, "rotationPeriodInDays"))
    maximum = args.get_config().get("maximumRotationDays", 365)
    if period is not None and period > maximum:
        report_violation(f"rotationPeriodInDays is {period:g}; at most {maximum} days.", None)


kms_key_rotation_enabled = ResourceValidationPolicy(
    name="kms-key-rotation-enabled",
    description="KMS customer-managed keys rotate their key material at least every maximumRotationDays (365).",
    validate=validate_kms_key_rotation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=ROTATION_SCHEMA,
    remediation_steps="Set enable_key_rotation=True (and rotation_period_in_days<=365) on aws.kms.Key; the "
    "Encryption component always does.",
    tags=tags(
        "encryption",
        "CKV_AWS_7",
        "AwsSolutions-KMS5",
        "[KMS.4]",
        "awsguard:cmk-backing-key-rotation-enabled",
        "aws-kms-key-enable-key-rotation",
    ),
)

DELETION_WINDOW_SCHEMA = PolicyConfigSchema(
    properties={
        "minimumDays": {
            "type": "integer",
            "minimum": 7,
            "maximum": 30,
            "description": "Shortest deletion window; absent: the tier's kms_deletion_window_days "
            f"({per_tier(lambda p: p.kms_deletion_window_days, '/')}).",
        }
    }
)


def validate_kms_deletion_window(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    current = stage.current()
    minimum = args.get_config().get("minimumDays") or current.tier.kms_deletion_window_days
    window = number(get(plain(args.props), "deletionWindowInDays"))
    if window is None:
        return  # AWS default: 30 days, the maximum
    if window < minimum:
        report_violation(
            f"deletionWindowInDays is {window:g}; {current.label} requires at least {minimum} days to undo a "
            "scheduled deletion.",
            None,
        )


kms_key_deletion_window = ResourceValidationPolicy(
    name="kms-key-deletion-window",
    description="KMS keys keep a deletion window of at least the tier's minimum "
    f"({per_tier(lambda p: p.kms_deletion_window_days)} days).",
    validate=validate_kms_deletion_window,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=DELETION_WINDOW_SCHEMA,
    remediation_steps="Set deletion_window_in_days to the tier's kms_deletion_window_days (environments/tiers.py).",
    tags=tags("encryption", "[KMS.3]"),
)


# --- data encrypted with a stack CMK --------------------------------------------------------------


@dataclass(frozen=True)
class CmkTarget:
    """Where a resource type keeps its key, and what else must hold for it to use that key."""

    type: str
    prop: str  # top-level property whose dependencies must include the stack key
    key_path: str  # path of the key reference inside the properties
    what: str  # how messages name the setting
    precheck: Callable[[dict[str, Any]], str | None] | None = None
    applies: Callable[[dict[str, Any]], bool] | None = None


def validate_cmk(targets: tuple[CmkTarget, ...], args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for target in targets:
        for resource in graph.of_type(target.type):
            props = graph.props(resource)
            if target.applies is not None and not target.applies(props):
                continue
            problem = target.precheck(props) if target.precheck else None
            if problem:
                report_violation(problem, resource.urn)
                continue
            proof = prove_stack_cmk(graph, resource, target.prop, get(props, target.key_path), target.what)
            if not proof.ok:
                report_violation(proof.problem, resource.urn)


def _expect(path: str, expected: str, why: str) -> Callable[[dict[str, Any]], str | None]:
    def check(props: dict[str, Any]) -> str | None:
        value = get(props, path)
        if value is UNKNOWN or value == expected:
            return None
        return f"{path} is {value!r}, not {expected!r}: {why}"

    return check


def _table_sse(props: dict[str, Any]) -> str | None:
    if get(props, "serverSideEncryption.enabled") is not True:
        return "serverSideEncryption.enabled is not true: the table uses the AWS-owned key."
    return None


def _queue_sse(props: dict[str, Any]) -> str | None:
    if truthy(get(props, "sqsManagedSseEnabled")):
        return "sqsManagedSseEnabled is true: SQS-managed keys instead of the platform CMK."
    return None


def _has_environment(props: dict[str, Any]) -> bool:
    variables = get(props, "environment.variables")
    return variables is UNKNOWN or bool(variables)


def _vector_index_inherits(props: dict[str, Any]) -> bool:
    return get(props, "encryptionConfigurations") is not None


def _policy(
    name: str, description: str, targets: tuple[CmkTarget, ...], remediation: str, *anchors: str
) -> StackValidationPolicy:
    return StackValidationPolicy(
        name=name,
        description=description,
        validate=partial(validate_cmk, targets),
        enforcement_level=EnforcementLevel.MANDATORY,
        severity=Severity.HIGH,
        remediation_steps=remediation,
        tags=tags("encryption", *anchors),
    )


s3_vectors_cmk_encryption = _policy(
    "s3-vectors-cmk-encryption",
    "S3 vector buckets (and indexes that set their own encryption) use SSE-KMS with a CMK of this stack.",
    (
        CmkTarget(
            S3_VECTOR_BUCKET,
            "encryptionConfigurations",
            "encryptionConfigurations.0.kmsKeyArn",
            "the vector bucket's encryptionConfigurations.kmsKeyArn",
            _expect("encryptionConfigurations.0.sseType", "aws:kms", "vectors must be encrypted with the CMK"),
        ),
        CmkTarget(
            S3_VECTOR_INDEX,
            "encryptionConfigurations",
            "encryptionConfigurations.0.kmsKeyArn",
            "the vector index's encryptionConfigurations.kmsKeyArn",
            _expect("encryptionConfigurations.0.sseType", "aws:kms", "vectors must be encrypted with the CMK"),
            applies=_vector_index_inherits,
        ),
    ),
    "encryption_configurations=[VectorsVectorBucketEncryptionConfigurationArgs(sse_type='aws:kms', "
    "kms_key_arn=<data key>.arn)]; an index without its own configuration inherits the bucket's.",
)
dynamodb_table_cmk_encryption = _policy(
    "dynamodb-table-cmk-encryption",
    "DynamoDB tables are encrypted with a CMK of this stack (not the AWS-owned or aws/dynamodb key).",
    (
        CmkTarget(
            DYNAMODB_TABLE,
            "serverSideEncryption",
            "serverSideEncryption.kmsKeyArn",
            "serverSideEncryption.kmsKeyArn",
            _table_sse,
        ),
    ),
    "server_side_encryption=TableServerSideEncryptionArgs(enabled=True, kms_key_arn=<data key>.arn).",
    "CKV_AWS_119",
    "awsguard:dynamodb-table-encryption-enabled",
)
log_group_cmk_encryption = _policy(
    "log-group-cmk-encryption",
    "CloudWatch log groups are encrypted with a CMK of this stack.",
    (CmkTarget(LOG_GROUP, "kmsKeyId", "kmsKeyId", "kmsKeyId"),),
    "kms_key_id=<logs key>.arn (the logs key policy lets logs.<region>.amazonaws.com use it).",
    "CKV_AWS_158",
)
sqs_queue_cmk_encryption = _policy(
    "sqs-queue-cmk-encryption",
    "SQS queues (dead-letter queues included) are encrypted with a CMK of this stack, not SQS-managed SSE.",
    (CmkTarget(SQS_QUEUE, "kmsMasterKeyId", "kmsMasterKeyId", "kmsMasterKeyId", _queue_sse),),
    "kms_master_key_id=<data key>.arn and leave sqs_managed_sse_enabled unset.",
    "CKV_AWS_27",
    "CKV2_AWS_73",
    "AwsSolutions-SQS2",
    "[SQS.1]",
)
sns_topic_cmk_encryption = _policy(
    "sns-topic-cmk-encryption",
    "SNS topics are encrypted with a CMK of this stack.",
    (CmkTarget(SNS_TOPIC, "kmsMasterKeyId", "kmsMasterKeyId", "kmsMasterKeyId"),),
    "kms_master_key_id=<data key>.arn (its key policy lets cloudwatch.amazonaws.com publish alarms).",
    "CKV_AWS_26",
    "[SNS.1]",
)
secret_cmk_encryption = _policy(
    "secret-cmk-encryption",
    "Secrets Manager secrets are encrypted with a CMK of this stack.",
    (CmkTarget(SECRET, "kmsKeyId", "kmsKeyId", "kmsKeyId"),),
    "kms_key_id=<data key>.arn.",
    "CKV_AWS_149",
    "aws-secretsmanager-secret-configure-customer-managed-key",
)
sfn_state_machine_cmk_encryption = _policy(
    "sfn-state-machine-cmk-encryption",
    "Step Functions state machines encrypt execution data with a CMK of this stack.",
    (
        CmkTarget(
            STATE_MACHINE,
            "encryptionConfiguration",
            "encryptionConfiguration.kmsKeyId",
            "encryptionConfiguration.kmsKeyId",
            _expect(
                "encryptionConfiguration.type",
                "CUSTOMER_MANAGED_KMS_KEY",
                "execution history and payloads must be encrypted with the CMK",
            ),
        ),
    ),
    "encryption_configuration=StateMachineEncryptionConfigurationArgs(type='CUSTOMER_MANAGED_KMS_KEY', "
    "kms_key_id=<data key>.arn).",
)
lambda_environment_cmk_encryption = _policy(
    "lambda-environment-cmk-encryption",
    "Lambda functions with environment variables encrypt them with a CMK of this stack.",
    (CmkTarget(LAMBDA_FUNCTION, "kmsKeyArn", "kmsKeyArn", "kmsKeyArn", applies=_has_environment),),
    "kms_key_arn=<data key>.arn on aws.lambda_.Function.",
    "CKV_AWS_173",
)
bedrock_agent_cmk_encryption = _policy(
    "bedrock-agent-cmk-encryption",
    "Bedrock agents encrypt their resources (sessions, memory) with a CMK of this stack.",
    (
        CmkTarget(
            BEDROCK_AGENT,
            "customerEncryptionKeyArn",
            "customerEncryptionKeyArn",
            "customerEncryptionKeyArn",
        ),
    ),
    "customer_encryption_key_arn=<agents key>.arn.",
    "CKV_AWS_373",
)
bedrock_guardrail_cmk_encryption = _policy(
    "bedrock-guardrail-cmk-encryption",
    "Bedrock guardrails (their denied topics, word lists and patterns) are encrypted with a CMK of this stack.",
    (CmkTarget(BEDROCK_GUARDRAIL, "kmsKeyArn", "kmsKeyArn", "kmsKeyArn"),),
    "kms_key_arn=<agents key>.arn on aws.bedrock.Guardrail.",
)
bedrock_data_source_cmk_encryption = _policy(
    "bedrock-data-source-cmk-encryption",
    "Knowledge-base data sources encrypt transient ingestion data with a CMK of this stack.",
    (
        CmkTarget(
            BEDROCK_DATA_SOURCE,
            "serverSideEncryptionConfiguration",
            "serverSideEncryptionConfiguration.kmsKeyArn",
            "serverSideEncryptionConfiguration.kmsKeyArn",
        ),
    ),
    "server_side_encryption_configuration=AgentDataSourceServerSideEncryptionConfigurationArgs("
    "kms_key_arn=<agents key>.arn).",
)
eventbridge_cmk_encryption = _policy(
    "eventbridge-cmk-encryption",
    "EventBridge buses, archives and Scheduler schedules encrypt events with a CMK of this stack.",
    (
        CmkTarget(EVENT_BUS, "kmsKeyIdentifier", "kmsKeyIdentifier", "kmsKeyIdentifier"),
        CmkTarget(EVENT_ARCHIVE, "kmsKeyIdentifier", "kmsKeyIdentifier", "kmsKeyIdentifier"),
        CmkTarget(SCHEDULE, "kmsKeyArn", "kmsKeyArn", "kmsKeyArn"),
    ),
    "kms_key_identifier=<data key>.arn on buses and archives, kms_key_arn=<data key>.arn on schedules.",
    "CKV_AWS_297",
)


# --- S3 buckets: encryption lives in a separate resource -----------------------------------------


def _bucket_rule(graph: StackGraph, configuration: Any) -> dict[str, Any] | None:
    rules = items(graph.props(configuration), "rules")
    if rules is UNKNOWN or not rules:
        return None
    return rules[0] if isinstance(rules[0], dict) else None


def s3_sse_problems(graph: StackGraph, bucket: Any, log_targets: set[str]) -> list[str]:
    configurations = graph.dependents(bucket, S3_BUCKET_SSE, prop="bucket")
    if not configurations:
        return ["has no BucketServerSideEncryptionConfiguration in this stack (default SSE-S3 only)."]
    problems = []
    for configuration in configurations:
        rule = _bucket_rule(graph, configuration)
        if rule is None:
            problems.append(f"{short_name(configuration.urn)} has no encryption rule.")
            continue
        algorithm = get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
        if algorithm == "AES256" and bucket.urn in log_targets:
            continue  # the justified exception, reported by encryption-exceptions-reported
        if algorithm not in ("aws:kms", "aws:kms:dsse"):
            problems.append(f"default encryption is {algorithm!r}, not SSE-KMS with the platform CMK.")
            continue
        key = get(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId")
        proof = prove_stack_cmk(graph, configuration, "rules", key, "kmsMasterKeyId")
        if not proof.ok:
            problems.append(proof.problem)
        if algorithm == "aws:kms" and get(rule, "bucketKeyEnabled") is not True:
            problems.append("bucketKeyEnabled is not true: every object request calls KMS (cost, throttling).")
    return problems


def validate_s3_bucket_cmk(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    targets = access_log_targets(graph)
    for bucket in graph.of_type(S3_BUCKET):
        for problem in s3_sse_problems(graph, bucket, targets):
            report_violation(problem, bucket.urn)


s3_bucket_cmk_encryption = StackValidationPolicy(
    name="s3-bucket-cmk-encryption",
    description="S3 buckets default to SSE-KMS with a CMK of this stack and an S3 bucket key (the S3 access-log "
    "target bucket, which S3 requires to use SSE-S3, is the one reported exception).",
    validate=validate_s3_bucket_cmk,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Add aws.s3.BucketServerSideEncryptionConfiguration(bucket=..., rules=[...("
    "apply_server_side_encryption_by_default=...(sse_algorithm='aws:kms', kms_master_key_id=<data key>.arn), "
    "bucket_key_enabled=True)]).",
    tags=tags(
        "encryption",
        "CKV_AWS_19",
        "CKV_AWS_145",
        "CKV2_AWS_67",
        "[S3.17]",
        "aws-s3-bucket-enable-server-side-encryption",
        "aws-s3-bucket-configure-server-side-encryption-kms",
        "aws-s3-bucket-configure-server-side-encryption-customer-managed-key",
        "aws-s3-bucket-enable-server-side-encryption-bucket-key",
    ),
)


def validate_encryption_exceptions(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    targets = access_log_targets(graph)
    for bucket in graph.of_type(S3_BUCKET):
        if bucket.urn not in targets:
            continue
        for configuration in graph.dependents(bucket, S3_BUCKET_SSE, prop="bucket"):
            rule = _bucket_rule(graph, configuration)
            if rule and get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm") == "AES256":
                report_violation(
                    "SSE-S3 (AES256) accepted instead of the platform CMK: it is the target of S3 server access "
                    "logging, which cannot deliver to buckets whose default encryption is SSE-KMS. Keep only "
                    "access logs in it.",
                    bucket.urn,
                )


encryption_exceptions_reported = StackValidationPolicy(
    name="encryption-exceptions-reported",
    description="Reports each data store accepted without the platform CMK, with the reason (today: the S3 "
    "access-log bucket, SSE-S3 because S3 server access logging requires it).",
    validate=validate_encryption_exceptions,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    remediation_steps="Nothing to fix: review that the bucket holds access logs only.",
    tags=tags("encryption"),
)


POLICIES = [
    kms_key_rotation_enabled,
    kms_key_deletion_window,
    s3_bucket_cmk_encryption,
    encryption_exceptions_reported,
    s3_vectors_cmk_encryption,
    dynamodb_table_cmk_encryption,
    log_group_cmk_encryption,
    sqs_queue_cmk_encryption,
    sns_topic_cmk_encryption,
    secret_cmk_encryption,
    sfn_state_machine_cmk_encryption,
    lambda_environment_cmk_encryption,
    bedrock_agent_cmk_encryption,
    bedrock_guardrail_cmk_encryption,
    bedrock_data_source_cmk_encryption,
    eventbridge_cmk_encryption,
]
