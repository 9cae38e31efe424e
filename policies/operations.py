"""Data protection and operations: recoverable data, failures that land somewhere, bounded functions, cost tags.

Stage-aware: point-in-time recovery and deletion protection (with `protect`) follow the tier matrix in
environments/tiers.py, each overridable through the policy's config; cost tags must name the stage.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from environments.tiers import TierProfile
from policies.core import registry, stage
from policies.core.graph import StackGraph, each_resource
from policies.core.lookups import access_log_targets, method_settings_for
from policies.core.props import UNKNOWN, as_json, get, items, number, plain, short_name
from policies.core.resource_types import (
    API_STAGE,
    COGNITO_USER_POOL,
    DYNAMODB_TABLE,
    EVENT_BUS,
    EVENT_TARGET,
    LAMBDA_EVENT_SOURCE_MAPPING,
    LAMBDA_FUNCTION,
    LAMBDA_INVOKE_CONFIG,
    LAMBDA_PERMISSION,
    LOG_GROUP,
    S3_BUCKET,
    S3_BUCKET_LIFECYCLE,
    S3_BUCKET_LOGGING,
    S3_BUCKET_NOTIFICATION,
    S3_BUCKET_VERSIONING,
    SCHEDULE,
    SECRET,
    SECRET_ROTATION,
    SNS_SUBSCRIPTION,
    SNS_TOPIC,
    SQS_QUEUE,
    SQS_REDRIVE_POLICY,
)
from policies.core.tags import tags
from policies.core.tier_text import where, which_do

DEAD_LETTER_TYPES = (SQS_QUEUE, SNS_TOPIC)
FAILURE_DESTINATION_TYPES = (SQS_QUEUE, SNS_TOPIC, EVENT_BUS, LAMBDA_FUNCTION)

# Services that invoke Lambda asynchronously (their events are retried, then dropped without a destination).
ASYNC_PRINCIPALS = (
    "events.amazonaws.com",
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "scheduler.amazonaws.com",
    "ses.amazonaws.com",
    "iot.amazonaws.com",
    "logs.amazonaws.com",
)

TIER_OVERRIDE = PolicyConfigSchema(
    properties={
        "required": {
            "type": "boolean",
            "description": "Require it regardless of tier; absent: the tier matrix decides.",
        }
    }
)


# --- DynamoDB -------------------------------------------------------------------------------------------


def _pitr(tier: TierProfile) -> bool:
    return tier.point_in_time_recovery


def validate_pitr(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != DYNAMODB_TABLE:
        return
    current = stage.current()
    required = args.get_config().get("required")
    if required is None:
        required = current.tier.point_in_time_recovery
    if not required:
        args.not_applicable(f"{current.label} does not require point-in-time recovery ({which_do(_pitr)})")
    if get(plain(args.props), "pointInTimeRecovery.enabled") is not True:
        report_violation(f"pointInTimeRecovery is off; {current.label} must be able to restore the table.", None)


dynamodb_point_in_time_recovery = ResourceValidationPolicy(
    name="dynamodb-point-in-time-recovery",
    description=f"{where(_pitr).capitalize()}, DynamoDB tables have point-in-time recovery.",
    validate=validate_pitr,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=TIER_OVERRIDE,
    remediation_steps="point_in_time_recovery=TablePointInTimeRecoveryArgs(enabled=tier.point_in_time_recovery) "
    "(environments/tiers.py).",
    tags=tags("operations", "CKV_AWS_28", "AwsSolutions-DDB3", "[DynamoDB.2]"),
)


def validate_on_demand(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != DYNAMODB_TABLE:
        return
    mode = get(plain(args.props), "billingMode", "PROVISIONED")
    if mode not in ("PAY_PER_REQUEST", UNKNOWN):
        report_violation(f"billingMode is {mode}: provisioned capacity does not scale with demand.", None)


dynamodb_capacity_scales = ResourceValidationPolicy(
    name="dynamodb-capacity-scales",
    description="DynamoDB tables scale capacity with demand (on-demand billing; no idle cost in crawl).",
    validate=validate_on_demand,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    remediation_steps="billing_mode='PAY_PER_REQUEST'.",
    tags=tags("operations", "CKV2_AWS_16", "[DynamoDB.1]"),
)


def _protected(tier: TierProfile) -> bool:
    return tier.retain_on_delete or tier.deletion_protection


def validate_deletion_protection(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    kind = registry.REGISTRY.get(args.resource_type)
    if kind is None or not kind.data_bearing:
        return
    current = stage.current()
    # `required` (config) overrides both decisions of the tier matrix: Pulumi's `protect` (retain_on_delete)
    # and the services' own deletion protection (deletion_protection).
    required = args.get_config().get("required")
    protect = current.tier.retain_on_delete if required is None else required
    service = current.tier.deletion_protection if required is None else required
    if not (protect or service):
        args.not_applicable(f"{current.label} does not require deletion protection ({which_do(_protected)})")
    props = plain(args.props)
    if protect and not args.opts.protect:
        report_violation(
            f"is not `protect`ed: a `pulumi destroy` or a replace would delete data in {current.label}.", None
        )
    if not service:
        return
    if args.resource_type == DYNAMODB_TABLE and get(props, "deletionProtectionEnabled") is not True:
        report_violation("deletionProtectionEnabled is not true.", None)
    if args.resource_type == COGNITO_USER_POOL and get(props, "deletionProtection") != "ACTIVE":
        report_violation("deletionProtection is not ACTIVE.", None)
    if args.resource_type == LOG_GROUP and get(props, "deletionProtectionEnabled") is not True:
        report_violation("deletionProtectionEnabled is not true.", None)


deletion_protection = ResourceValidationPolicy(
    name="deletion-protection",
    description=f"{where(_protected).capitalize()}, data-bearing resources are `protect`ed (and retained on delete), "
    "and tables, user pools and log groups have the service's own deletion protection on.",
    validate=validate_deletion_protection,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=TIER_OVERRIDE,
    remediation_steps="opts=data_options(self, tier.retain_on_delete) (components/base/protection.py: protect + "
    "retain_on_delete) and deletion_protection_enabled=tier.deletion_protection (environments/tiers.py). The "
    "analyzer protocol does not carry retainOnDelete; `protect` is checked.",
    tags=tags(
        "operations",
        "[DynamoDB.6]",
        "[Cognito.6]",
        "[KMS.3]",
        "aws-dynamodb-table-delete-protection-enabled",
    ),
)


# --- S3 -------------------------------------------------------------------------------------------------


def validate_versioning(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for bucket in graph.of_type(S3_BUCKET):
        versionings = graph.dependents(bucket, S3_BUCKET_VERSIONING, prop="bucket")
        states = {get(graph.props(v), "versioningConfiguration.status") for v in versionings}
        if not versionings or states - {"Enabled", UNKNOWN}:
            report_violation(
                f"versioning is {', '.join(map(str, states)) or 'off'}: overwritten or deleted objects are lost.",
                bucket.urn,
            )


s3_bucket_versioning = StackValidationPolicy(
    name="s3-bucket-versioning",
    description="Every S3 bucket keeps object versions.",
    validate=validate_versioning,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="aws.s3.BucketVersioning(bucket=..., versioning_configuration=...(status='Enabled')).",
    tags=tags("operations", "CKV_AWS_21", "[S3.14]"),
)


def validate_access_logging(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    targets = access_log_targets(graph)
    for bucket in graph.of_type(S3_BUCKET):
        if bucket.urn in targets:
            continue  # the access-log bucket itself: logging it into itself would loop
        loggings = graph.dependents(bucket, S3_BUCKET_LOGGING, prop="bucket")
        if not loggings:
            report_violation("has no server access logging (BucketLogging).", bucket.urn)
        for logging in loggings:
            if not graph.deps(logging, "targetBucket", S3_BUCKET):
                report_violation("access logs go to a bucket outside this stack.", bucket.urn)


s3_bucket_access_logging = StackValidationPolicy(
    name="s3-bucket-access-logging",
    description="Every S3 bucket (the access-log bucket aside) writes server access logs to the access-log bucket "
    "of this stack.",
    validate=validate_access_logging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="aws.s3.BucketLogging(bucket=..., target_bucket=<access-log bucket>.id, target_prefix=...).",
    tags=tags("operations", "CKV_AWS_18", "AwsSolutions-S1", "[S3.9]", "awsguard:s3-bucket-logging-enabled"),
)


def _lifecycle_problems(graph: StackGraph, bucket: PolicyResource) -> list[str]:
    configurations = graph.dependents(bucket, S3_BUCKET_LIFECYCLE, prop="bucket")
    rules = []
    for configuration in configurations:
        found = items(graph.props(configuration), "rules")
        if found is UNKNOWN:
            return []
        rules += [r for r in found if get(r, "status") == "Enabled"]
    if not rules:
        return ["has no enabled lifecycle rule: old versions and logs accumulate forever."]
    if not any(get(r, "abortIncompleteMultipartUpload") is not None or get(r, "expiration") is not None for r in rules):
        return ["no lifecycle rule aborts incomplete multipart uploads or expires objects."]
    return []


validate_lifecycle = each_resource(S3_BUCKET, _lifecycle_problems)


s3_bucket_lifecycle = StackValidationPolicy(
    name="s3-bucket-lifecycle",
    description="Every S3 bucket has an enabled lifecycle rule that expires objects or aborts incomplete uploads.",
    validate=validate_lifecycle,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    remediation_steps="aws.s3.BucketLifecycleConfiguration with noncurrent-version expiration and "
    "abort_incomplete_multipart_upload.",
    tags=tags("operations", "CKV2_AWS_61", "CKV_AWS_300", "[S3.13]"),
)


# --- queues and asynchronous failures ---------------------------------------------------------------------


def _dead_letter_queues(graph: StackGraph) -> set[str]:
    """URNs of queues used as a DLQ by a queue of this stack, or that only accept redrives."""
    dlqs: set[str] = set()
    for queue in graph.of_type(SQS_QUEUE):
        dlqs.update(d.urn for d in graph.deps(queue, "redrivePolicy", SQS_QUEUE))
        if get(graph.props(queue), "redriveAllowPolicy") is not None:
            dlqs.add(queue.urn)
    for policy in graph.of_type(SQS_REDRIVE_POLICY):
        dlqs.update(d.urn for d in graph.deps(policy, "redrivePolicy", SQS_QUEUE))
    return dlqs


def _redrive_problem(graph: StackGraph, holder: PolicyResource, prop: str) -> str | None:
    policy = as_json(get(graph.props(holder), prop))
    if not graph.deps(holder, prop, SQS_QUEUE):
        return "redrivePolicy does not name a dead-letter queue of this stack."
    if isinstance(policy, dict) and (number(policy.get("maxReceiveCount")) or 0) < 1:
        return "redrivePolicy has no maxReceiveCount."
    return None


def validate_queue_dlq(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    dlqs = _dead_letter_queues(graph)
    for queue in graph.of_type(SQS_QUEUE):
        if queue.urn in dlqs:
            continue
        holders = [(queue, "redrivePolicy")] if get(graph.props(queue), "redrivePolicy") is not None else []
        holders += [(p, "redrivePolicy") for p in graph.dependents(queue, SQS_REDRIVE_POLICY, prop="queueUrl")]
        if not holders:
            report_violation("has no dead-letter queue: poison messages are retried until they expire.", queue.urn)
        for holder, prop in holders:
            problem = _redrive_problem(graph, holder, prop)
            if problem:
                report_violation(problem, queue.urn)


sqs_queue_dead_letter_queue = StackValidationPolicy(
    name="sqs-queue-dead-letter-queue",
    description="Every SQS queue that is not itself a dead-letter queue redrives failed messages to a DLQ of this "
    "stack.",
    validate=validate_queue_dlq,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="redrive_policy=json.dumps({'deadLetterTargetArn': <dlq>.arn, 'maxReceiveCount': 5}) "
    "(Output.json_dumps), and redrive_allow_policy on the DLQ.",
    tags=tags("operations", "AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"),
)


def _async_functions(graph: StackGraph) -> dict[str, str]:
    """Functions invoked asynchronously (URN -> what invokes them)."""
    found: dict[str, str] = {}
    for permission in graph.of_type(LAMBDA_PERMISSION):
        principal = get(graph.props(permission), "principal")
        if principal in ASYNC_PRINCIPALS:
            for function in graph.deps(permission, "function", LAMBDA_FUNCTION):
                found[function.urn] = f"{principal} (permission {short_name(permission.urn)})"
    for kind, prop in ((EVENT_TARGET, "arn"), (SCHEDULE, "target"), (SNS_SUBSCRIPTION, "endpoint")):
        for source in graph.of_type(kind):
            for function in graph.deps(source, prop, LAMBDA_FUNCTION):
                found[function.urn] = f"{kind.rsplit(':', 1)[-1]} {short_name(source.urn)}"
    for notification in graph.of_type(S3_BUCKET_NOTIFICATION):
        for function in graph.deps(notification, "lambdaFunctions", LAMBDA_FUNCTION):
            found[function.urn] = f"bucket notification {short_name(notification.urn)}"
    return found


def _failure_destination_problem(graph: StackGraph, config: PolicyResource) -> str | None:
    if get(graph.props(config), "destinationConfig.onFailure.destination") is None:
        return f"{short_name(config.urn)} has no destinationConfig.onFailure."
    if not graph.deps(config, "destinationConfig", *FAILURE_DESTINATION_TYPES):
        return f"{short_name(config.urn)} sends failures outside this stack."
    return None


def validate_async_failure_destination(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    asynchronous = _async_functions(graph)
    for function in graph.of_type(LAMBDA_FUNCTION):
        configs = graph.dependents(function, LAMBDA_INVOKE_CONFIG, prop="functionName")
        problems = [p for c in configs if (p := _failure_destination_problem(graph, c))]
        for problem in problems:
            report_violation(problem, function.urn)
        if function.urn not in asynchronous or (configs and not problems):
            continue
        dead_letter = graph.deps(function, "deadLetterConfig", *DEAD_LETTER_TYPES)
        if not configs and not dead_letter:
            report_violation(
                f"is invoked asynchronously by {asynchronous[function.urn]} but has no on-failure destination or "
                "dead-letter queue: failed events are dropped after the retries.",
                function.urn,
            )


lambda_async_failure_destination = StackValidationPolicy(
    name="lambda-async-failure-destination",
    description="Lambda functions invoked asynchronously (EventBridge, Scheduler, S3, SNS) send failed events to "
    "an on-failure destination (or DLQ) of this stack.",
    validate=validate_async_failure_destination,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="aws.lambda_.FunctionEventInvokeConfig(function_name=..., destination_config=...(on_failure="
    "...(destination=<queue>.arn))).",
    tags=tags("operations", "Serverless-LambdaAsyncFailureDestination", "Serverless-LambdaDLQ", "CKV_AWS_116"),
)


def validate_async_delivery(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for target in graph.of_type(EVENT_TARGET):
        props = graph.props(target)
        if get(props, "deadLetterConfig.arn") is None or not graph.deps(target, "deadLetterConfig", SQS_QUEUE):
            report_violation("has no dead-letter queue of this stack: undeliverable events are dropped.", target.urn)
        if get(props, "retryPolicy") is None:
            report_violation("has no explicit retryPolicy.", target.urn)
    for schedule in graph.of_type(SCHEDULE):
        if get(graph.props(schedule), "target.deadLetterConfig.arn") is None or not graph.deps(
            schedule, "target", SQS_QUEUE
        ):
            report_violation("target has no dead-letter queue of this stack.", schedule.urn)
    for subscription in graph.of_type(SNS_SUBSCRIPTION):
        protocol = get(graph.props(subscription), "protocol")
        if protocol in ("email", "email-json", "sms", UNKNOWN):
            continue
        if not graph.deps(subscription, "redrivePolicy", SQS_QUEUE):
            report_violation(f"{protocol} subscription has no redrive policy to a DLQ of this stack.", subscription.urn)


async_delivery_dead_letter = StackValidationPolicy(
    name="async-delivery-dead-letter",
    description="EventBridge targets, Scheduler schedules and SNS subscriptions (e-mail/SMS aside) hand undeliverable "
    "events to a dead-letter queue of this stack, with an explicit retry policy.",
    validate=validate_async_delivery,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="dead_letter_config=...(arn=<queue>.arn) and retry_policy=... on targets and schedules; "
    "redrive_policy on SNS subscriptions.",
    tags=tags("operations", "Serverless-EventBusDLQ", "Serverless-SNSRedrivePolicy"),
)


def _mapping_problems(graph: StackGraph, mapping: PolicyResource) -> list[str]:
    props = graph.props(mapping)
    queues = graph.deps(mapping, "eventSourceArn", SQS_QUEUE)
    problems = []
    if queues:
        responses = items(props, "functionResponseTypes")
        if responses is not UNKNOWN and "ReportBatchItemFailures" not in responses:
            problems.append("SQS source without ReportBatchItemFailures: one bad message fails the whole batch.")
        functions = graph.deps(mapping, "functionName", LAMBDA_FUNCTION)
        for queue in queues:
            visibility = number(get(graph.props(queue), "visibilityTimeoutSeconds")) or 30.0
            for function in functions:
                timeout = number(get(graph.props(function), "timeout")) or 3.0
                if visibility < timeout:
                    problems.append(
                        f"queue {short_name(queue.urn)} visibility timeout ({visibility:g}s) is shorter than the "
                        f"function timeout ({timeout:g}s): messages are processed twice."
                    )
    elif get(props, "startingPosition") is not None and get(props, "destinationConfig.onFailure") is None:
        problems.append("stream source without destinationConfig.onFailure: failed records are lost.")
    return problems


validate_event_source_mappings = each_resource(LAMBDA_EVENT_SOURCE_MAPPING, _mapping_problems)


lambda_event_source_mapping_failures = StackValidationPolicy(
    name="lambda-event-source-mapping-failures",
    description="Lambda event source mappings handle failures: partial batch responses and a visibility timeout "
    "of at least the function timeout for SQS, an on-failure destination for streams.",
    validate=validate_event_source_mappings,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="function_response_types=['ReportBatchItemFailures']; queue visibility_timeout_seconds >= "
    "function timeout (AWS recommends 6x).",
    tags=tags("operations", "Serverless-LambdaEventSourceMappingDestination"),
)


# --- Lambda functions ---------------------------------------------------------------------------------------

RUNTIME_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedRuntimes": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["python3.13", "python3.12"],
        }
    }
)


def validate_runtime(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LAMBDA_FUNCTION:
        return
    props = plain(args.props)
    if get(props, "packageType") == "Image":
        args.not_applicable("container-image functions bring their own runtime")
    allowed = args.get_config().get("allowedRuntimes") or ["python3.13"]
    runtime = get(props, "runtime")
    if runtime is not UNKNOWN and runtime not in allowed:
        report_violation(f"runtime is {runtime}; use one of {', '.join(allowed)} (supported, patched).", None)


lambda_runtime_supported = ResourceValidationPolicy(
    name="lambda-runtime-supported",
    description="Lambda functions run on a current, supported runtime (allowedRuntimes: python3.13, python3.12).",
    validate=validate_runtime,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=RUNTIME_SCHEMA,
    remediation_steps="runtime='python3.13' (components/base/packaging.py LAMBDA_RUNTIME).",
    tags=tags("operations", "CKV_AWS_363", "AwsSolutions-L1", "Serverless-LambdaLatestVersion", "[Lambda.2]"),
)

# Off by default: the platform caps concurrency upstream (API Gateway throttling per stage, SQS event-source
# maximum concurrency, EventBridge retry policies). Reserving concurrency for every function of a stage with
# hundreds of agents would exhaust the account's pool (AWS refuses once less than 100 stays unreserved).
LIMITS_SCHEMA = PolicyConfigSchema(properties={"requireReservedConcurrency": {"type": "boolean", "default": False}})


def validate_function_limits(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LAMBDA_FUNCTION:
        return
    props = plain(args.props)
    for field, why in (("memorySize", "the 128 MB default"), ("timeout", "the 3 s default")):
        if get(props, field) is None:
            report_violation(f"{field} is not set: the function runs with {why}.", None)
    if args.get_config().get("requireReservedConcurrency", False):
        reserved = number(get(props, "reservedConcurrentExecutions"))
        if get(props, "reservedConcurrentExecutions") is not UNKNOWN and (reserved is None or reserved < 1):
            report_violation(
                "reservedConcurrentExecutions is not set (>= 1): a runaway caller can exhaust the account's "
                "concurrency (and cost).",
                None,
            )


lambda_function_limits = ResourceValidationPolicy(
    name="lambda-function-limits",
    description="Lambda functions set memory and timeout explicitly (and reserved concurrency where configured).",
    validate=validate_function_limits,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    config_schema=LIMITS_SCHEMA,
    remediation_steps="memory_size, timeout and reserved_concurrent_executions on aws.lambda_.Function.",
    tags=tags("operations", "CKV_AWS_115", "Serverless-LambdaDefaultMemorySize", "Serverless-LambdaDefaultTimeout"),
)


# --- API throttling, secrets -----------------------------------------------------------------------------------


def validate_api_throttling(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for api_stage in graph.of_type(API_STAGE):
        settings = method_settings_for(graph, api_stage)
        limited = [
            s
            for s in settings
            if (number(get(graph.props(s), "settings.throttlingRateLimit")) or 0) > 0
            and (number(get(graph.props(s), "settings.throttlingBurstLimit")) or 0) > 0
        ]
        if not limited:
            report_violation("uses the account's default throttling: set stage rate and burst limits.", api_stage.urn)


apigateway_throttling = StackValidationPolicy(
    name="apigateway-throttling",
    description="API Gateway stages set their own rate and burst limits (from the environment's sizing).",
    validate=validate_api_throttling,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="MethodSettings(method_path='*/*', settings=...(throttling_rate_limit=..., "
    "throttling_burst_limit=...)).",
    tags=tags("operations", "Serverless-APIGWDefaultThrottling"),
)

ROTATION_SCHEMA = PolicyConfigSchema(
    properties={"maximumDays": {"type": "integer", "minimum": 1, "maximum": 365, "default": 90}}
)


def validate_secret_rotation(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    maximum = args.get_config().get("maximumDays", 90)
    for secret in graph.of_type(SECRET):
        rotations = graph.dependents(secret, SECRET_ROTATION, prop="secretId")
        if not rotations:
            report_violation("has no automatic rotation (SecretRotation).", secret.urn)
        for rotation in rotations:
            days = number(get(graph.props(rotation), "rotationRules.automaticallyAfterDays"))
            if days is not None and days > maximum:
                report_violation(f"rotates every {days:g} days; at most {maximum}.", secret.urn)


secrets_manager_rotation = StackValidationPolicy(
    name="secrets-manager-rotation",
    description="Secrets Manager secrets rotate automatically at least every maximumDays (90).",
    validate=validate_secret_rotation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=ROTATION_SCHEMA,
    remediation_steps="aws.secretsmanager.SecretRotation(secret_id=..., rotation_lambda_arn=..., "
    "rotation_rules=...(automatically_after_days=30)).",
    tags=tags(
        "operations", "CKV2_AWS_57", "CKV_AWS_304", "AwsSolutions-SMG4", "[SecretsManager.1]", "[SecretsManager.4]"
    ),
)


# --- cost allocation -------------------------------------------------------------------------------------------

REQUIRED_TAGS = ("environment", "tier", "owner", "cost-center")

TAGS_SCHEMA = PolicyConfigSchema(
    properties={
        "requiredTags": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(REQUIRED_TAGS),
            "description": "Tag keys every taggable resource must carry (resource tags or provider defaultTags).",
        }
    }
)


def provider_default_tags(args: ResourceValidationArgs) -> dict[str, Any] | Any:
    """The provider's defaultTags.tags (provider inputs arrive JSON-encoded), UNKNOWN, or {}."""
    if args.provider is None:
        return {}
    default_tags = as_json(get(plain(args.provider.props), "defaultTags"))
    if default_tags is UNKNOWN:
        return UNKNOWN
    found = get(default_tags, "tags") if isinstance(default_tags, dict) else None
    return found if isinstance(found, dict) or found is UNKNOWN else {}


def effective_tags(args: ResourceValidationArgs) -> dict[str, Any] | Any:
    defaults = provider_default_tags(args)
    own = get(plain(args.props), "tags")
    if defaults is UNKNOWN or own is UNKNOWN:
        return UNKNOWN
    return {**defaults, **(own if isinstance(own, dict) else {})}


def validate_cost_tags(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    kind = registry.REGISTRY.get(args.resource_type)
    if kind is None or not kind.taggable:
        return
    found = effective_tags(args)
    if found is UNKNOWN:
        args.not_applicable("tags are computed; checked at `pulumi up`")
    required = args.get_config().get("requiredTags") or list(REQUIRED_TAGS)
    missing = [key for key in required if not (isinstance(found.get(key), str) and found[key].strip())]
    if missing:
        report_violation(
            f"lacks the cost tags {', '.join(missing)} (neither on the resource nor in the provider's defaultTags).",
            None,
        )
    current = stage.current()
    expected = {"environment": current.name, "tier": current.tier.tier.value} if current.resolved else {}
    for key, value in expected.items():
        if key in found and isinstance(found[key], str) and found[key] != value:
            report_violation(
                f"tag {key}={found[key]!r} does not match {current.label}: costs land on the wrong stage.", None
            )


required_cost_tags = ResourceValidationPolicy(
    name="required-cost-tags",
    description="Every taggable resource carries the cost tags environment, tier, owner and cost-center (resource "
    "tags or provider defaultTags), matching the stage.",
    validate=validate_cost_tags,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    config_schema=TAGS_SCHEMA,
    remediation_steps="Create resources with the stage's explicit provider (components/stage_provider.py), "
    "whose default_tags are the cost tags.",
    tags=tags("operations"),
)


POLICIES = [
    dynamodb_point_in_time_recovery,
    dynamodb_capacity_scales,
    deletion_protection,
    s3_bucket_versioning,
    s3_bucket_access_logging,
    s3_bucket_lifecycle,
    sqs_queue_dead_letter_queue,
    lambda_async_failure_destination,
    async_delivery_dead_letter,
    lambda_event_source_mapping_failures,
    lambda_runtime_supported,
    lambda_function_limits,
    apigateway_throttling,
    secrets_manager_rotation,
    required_cost_tags,
]
