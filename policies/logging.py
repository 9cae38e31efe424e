"""Logging and tracing: every compute and entry point logs to a CMK-encrypted, retained log group of this stack.

Log destinations are proved through the graph (the log group is a resource of this stack, whose own
encryption and retention the log-group rules check), and account-wide singletons (Bedrock
model-invocation logging, the API Gateway CloudWatch role) live only in the stage that owns them.
"""

from __future__ import annotations

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

from policies.core import stage
from policies.core.graph import StackGraph, each_resource, prove_stack_cmk
from policies.core.lookups import access_log_targets, method_settings_for
from policies.core.props import UNKNOWN, as_json, get, items, number, plain, short_name
from policies.core.resource_types import (
    API_ACCOUNT,
    API_REST_API,
    API_STAGE,
    BEDROCK_INVOCATION_LOGGING,
    IAM_ROLE,
    LAMBDA_FUNCTION,
    LOG_GROUP,
    METRIC_ALARM,
    S3_BUCKET,
    SNS_TOPIC,
    STATE_MACHINE,
    WAF_WEB_ACL,
    WAF_WEB_ACL_LOGGING,
)
from policies.core.tags import tags
from policies.core.tier_text import by_tier, per_tier
from policies.encryption import s3_sse_problems

SFN_LEVELS = ("OFF", "FATAL", "ERROR", "ALL")


def _log_group_names(graph: StackGraph, groups: list[PolicyResource]) -> set[str]:
    return set().union(*(graph.names(g, "name") for g in groups))


# --- lambda-log-group-in-stack ----------------------------------------------------------------------


def _lambda_logging_problems(graph: StackGraph, function: PolicyResource) -> list[str]:
    props = graph.props(function)
    name = get(props, "name")
    configured = get(props, "loggingConfig.logGroup")
    problems = []
    if configured is None:
        default = f"/aws/lambda/{name}" if isinstance(name, str) else None
        if default is None or default not in _log_group_names(graph, graph.of_type(LOG_GROUP)):
            problems.append(
                "has no log group in this stack (no loggingConfig.logGroup, no /aws/lambda/<name> group): Lambda "
                "would create one without retention or CMK."
            )
    else:
        groups = graph.deps(function, "loggingConfig", LOG_GROUP)
        names = _log_group_names(graph, groups)
        if not groups:
            problems.append(f"loggingConfig.logGroup {configured!r} is not a log group of this stack.")
        elif isinstance(configured, str) and names and configured not in names:
            problems.append(f"loggingConfig.logGroup {configured!r} is none of {', '.join(sorted(names))}.")
    if get(props, "loggingConfig.logFormat") != "JSON":
        problems.append("loggingConfig.logFormat is not JSON: logs are not structured (Powertools Logger emits JSON).")
    return problems


validate_lambda_log_group = each_resource(LAMBDA_FUNCTION, _lambda_logging_problems)


lambda_log_group_in_stack = StackValidationPolicy(
    name="lambda-log-group-in-stack",
    description="Every Lambda function logs JSON to a log group of this stack (so its retention and CMK are "
    "governed), never to an implicit /aws/lambda group.",
    validate=validate_lambda_log_group,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Create the aws.cloudwatch.LogGroup first and set logging_config=FunctionLoggingConfigArgs("
    "log_format='JSON', log_group=<log group>.name).",
    tags=tags("logging", "Serverless-CloudWatchLogGroupRetentionPeriod"),
)


# --- lambda-tracing-active -------------------------------------------------------------------------


def validate_lambda_tracing(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LAMBDA_FUNCTION:
        return
    mode = get(plain(args.props), "tracingConfig.mode")
    if mode != "Active":
        report_violation(f"tracingConfig.mode is {mode or 'unset'}: the function sends no X-Ray traces.", None)


lambda_tracing_active = ResourceValidationPolicy(
    name="lambda-tracing-active",
    description="Every Lambda function traces actively with X-Ray.",
    validate=validate_lambda_tracing,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="tracing_config=FunctionTracingConfigArgs(mode='Active').",
    tags=tags(
        "logging",
        "CKV_AWS_50",
        "Serverless-LambdaTracing",
        "[Lambda.7]",
        "aws-lambda-function-enable-tracing-config",
        "aws-lambda-function-configure-tracing-config",
    ),
)


# --- log-group-retention ----------------------------------------------------------------------------

RETENTION_SCHEMA = PolicyConfigSchema(
    properties={
        "minimumRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "description": "Shortest retention; absent: the tier's log_retention_days "
            f"({per_tier(lambda p: p.log_retention_days)}).",
        }
    }
)


def validate_log_retention(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LOG_GROUP:
        return
    current = stage.current()
    minimum = args.get_config().get("minimumRetentionDays") or current.tier.log_retention_days
    value = get(plain(args.props), "retentionInDays")
    if value is UNKNOWN:
        args.not_applicable("retentionInDays is computed; checked at `pulumi up`")
    days = number(value)
    if not days:
        report_violation(
            "retentionInDays is not set: logs never expire (unbounded cost); set the tier's retention.", None
        )
    elif days < minimum:
        report_violation(f"retentionInDays is {days:g}; {current.label} keeps logs at least {minimum} days.", None)


log_group_retention = ResourceValidationPolicy(
    name="log-group-retention",
    description="Every log group sets an explicit retention of at least the tier's minimum "
    f"({per_tier(lambda p: p.log_retention_days)} days).",
    validate=validate_log_retention,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=RETENTION_SCHEMA,
    remediation_steps="retention_in_days=tier.log_retention_days (components/base/logs.py does this).",
    tags=tags(
        "logging", "CKV_AWS_66", "CKV_AWS_338", "Serverless-CloudWatchLogGroupRetentionPeriod", "[CloudWatch.16]"
    ),
)


# --- API Gateway ------------------------------------------------------------------------------------


def _access_log_problems(graph: StackGraph, api_stage: PolicyResource) -> list[str]:
    props = graph.props(api_stage)
    if get(props, "accessLogSettings.destinationArn") is None:
        return ["has no accessLogSettings: requests to the API are not logged."]
    problems = []
    if not graph.deps(api_stage, "accessLogSettings", LOG_GROUP):
        problems.append("accessLogSettings.destinationArn is not a log group of this stack.")
    fmt = get(props, "accessLogSettings.format")
    if fmt is not UNKNOWN:
        parsed = as_json(fmt)
        if not isinstance(parsed, dict):
            problems.append("accessLogSettings.format is not a JSON object: access logs are not structured.")
        elif "$context.requestId" not in parsed.values():
            problems.append("accessLogSettings.format does not log $context.requestId.")
    return problems


validate_api_access_logging = each_resource(API_STAGE, _access_log_problems)


apigateway_stage_access_logging = StackValidationPolicy(
    name="apigateway-stage-access-logging",
    description="API Gateway stages write JSON access logs (with the request id) to a log group of this stack.",
    validate=validate_api_access_logging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="access_log_settings=StageAccessLogSettingsArgs(destination_arn=<log group>.arn, "
    "format=json.dumps({'requestId': '$context.requestId', ...})).",
    tags=tags(
        "logging",
        "CKV_AWS_76",
        "AwsSolutions-APIG1",
        "Serverless-APIGWAccessLogging",
        "Serverless-APIGWStructuredLogging",
    ),
)


def validate_api_tracing(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != API_STAGE:
        return
    if get(plain(args.props), "xrayTracingEnabled") is not True:
        report_violation("xrayTracingEnabled is not true: requests are not traced end to end.", None)


apigateway_stage_tracing = ResourceValidationPolicy(
    name="apigateway-stage-tracing",
    description="API Gateway stages trace requests with X-Ray.",
    validate=validate_api_tracing,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="xray_tracing_enabled=True on aws.apigateway.Stage.",
    tags=tags("logging", "CKV_AWS_73", "Serverless-APIGWXrayEnabled", "[APIGateway.3]"),
)


def _execution_logging_problems(graph: StackGraph, api_stage: PolicyResource) -> list[str]:
    all_settings = method_settings_for(graph, api_stage)
    if not all_settings:
        return ["has no MethodSettings for */*: execution logging and metrics are off."]
    problems = []
    for settings in all_settings:
        props = graph.props(settings)
        level = get(props, "settings.loggingLevel")
        if level not in ("ERROR", "INFO", UNKNOWN):
            problems.append(f"execution loggingLevel is {level or 'OFF'}; ERROR or INFO.")
        if get(props, "settings.metricsEnabled") is not True:
            problems.append("detailed CloudWatch metrics (metricsEnabled) are off.")
        if get(props, "settings.dataTraceEnabled") is True:
            problems.append("dataTraceEnabled logs full request and response bodies (PII); turn it off.")
    return problems


validate_api_execution_logging = each_resource(API_STAGE, _execution_logging_problems)


apigateway_execution_logging = StackValidationPolicy(
    name="apigateway-execution-logging",
    description="API Gateway stages log execution errors (ERROR or INFO) and metrics for all methods, without "
    "full request/response data traces.",
    validate=validate_api_execution_logging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="aws.apigateway.MethodSettings(method_path='*/*', settings=...(logging_level='ERROR', "
    "metrics_enabled=True, data_trace_enabled=False)).",
    tags=tags("logging", "CKV2_AWS_4", "CKV_AWS_276", "AwsSolutions-APIG6", "[APIGateway.1]"),
)


# --- Step Functions -----------------------------------------------------------------------------------

SFN_SCHEMA = PolicyConfigSchema(
    properties={
        "minimumLevel": {
            "type": "string",
            "enum": ["FATAL", "ERROR", "ALL"],
            "description": "Least detailed log level; absent: the tier's step_functions_log_level "
            f"({by_tier(lambda p: p.step_functions_log_level)}).",
        }
    }
)


def validate_sfn_logging(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    current = stage.current()
    minimum = args.get_config().get("minimumLevel") or current.tier.step_functions_log_level
    graph = StackGraph(args.resources)
    for machine in graph.of_type(STATE_MACHINE):
        props = graph.props(machine)
        level = get(props, "loggingConfiguration.level", "OFF")
        if level is not UNKNOWN and SFN_LEVELS.index(level if level in SFN_LEVELS else "OFF") < SFN_LEVELS.index(
            minimum
        ):
            report_violation(f"loggingConfiguration.level is {level}; {current.label} requires {minimum}.", machine.urn)
        if not graph.deps(machine, "loggingConfiguration", LOG_GROUP):
            report_violation("loggingConfiguration.logDestination is not a log group of this stack.", machine.urn)


sfn_state_machine_logging = StackValidationPolicy(
    name="sfn-state-machine-logging",
    description="Step Functions state machines log to a log group of this stack at the tier's level "
    f"({by_tier(lambda p: p.step_functions_log_level)}; configurable).",
    validate=validate_sfn_logging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=SFN_SCHEMA,
    remediation_steps="logging_configuration=StateMachineLoggingConfigurationArgs(level='ALL', "
    "log_destination=pulumi.Output.concat(<log group>.arn, ':*')).",
    tags=tags("logging", "CKV_AWS_285", "AwsSolutions-SF1", "[StepFunctions.1]"),
)


def validate_sfn_tracing(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != STATE_MACHINE:
        return
    if get(plain(args.props), "tracingConfiguration.enabled") is not True:
        report_violation("tracingConfiguration.enabled is not true: executions are not traced with X-Ray.", None)


sfn_state_machine_tracing = ResourceValidationPolicy(
    name="sfn-state-machine-tracing",
    description="Step Functions state machines trace executions with X-Ray.",
    validate=validate_sfn_tracing,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="tracing_configuration=StateMachineTracingConfigurationArgs(enabled=True).",
    tags=tags("logging", "CKV_AWS_284", "AwsSolutions-SF2", "Serverless-StepFunctionStateMachineXray"),
)


# --- account singletons ---------------------------------------------------------------------------------


def _invocation_logging_problems(graph: StackGraph, configuration: PolicyResource) -> list[str]:
    props = graph.props(configuration)
    problems = []
    if get(props, "loggingConfig.textDataDeliveryEnabled") is not True:
        problems.append("textDataDeliveryEnabled is not true: prompts and completions are not logged.")
    cloudwatch, s3 = get(props, "loggingConfig.cloudwatchConfig"), get(props, "loggingConfig.s3Config")
    if cloudwatch is None and s3 is None:
        problems.append("has neither cloudwatchConfig nor s3Config: invocations are logged nowhere.")
    if cloudwatch is not None:
        name = get(cloudwatch, "logGroupName")
        groups = [
            g
            for g in graph.deps(configuration, "loggingConfig", LOG_GROUP)
            if name is UNKNOWN or get(graph.props(g), "name") in (name, UNKNOWN)
        ]
        if not groups:
            problems.append(f"cloudwatchConfig.logGroupName {name!r} is not a log group of this stack.")
        for group in groups:
            proof = prove_stack_cmk(graph, group, "kmsKeyId", get(graph.props(group), "kmsKeyId"), "its kmsKeyId")
            if not proof.ok:
                problems.append(f"invocation log group {short_name(group.urn)} is not CMK-encrypted: {proof.problem}")
        if not graph.deps(configuration, "loggingConfig", IAM_ROLE):
            problems.append("cloudwatchConfig.roleArn is not a role of this stack.")
    if s3 is not None:
        buckets = graph.deps(configuration, "loggingConfig", S3_BUCKET)
        if not buckets:
            problems.append("s3Config.bucketName is not a bucket of this stack.")
        targets = access_log_targets(graph)
        problems += [f"invocation log bucket {p}" for b in buckets for p in s3_sse_problems(graph, b, targets)]
    return problems


def validate_model_invocation_logging(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    current = stage.current()
    if not current.owns_account_singletons:
        args.not_applicable(
            f"{current.label} does not own the account-wide model-invocation logging; stage {current.owner_stage} does"
        )
    graph = StackGraph(args.resources)
    configurations = graph.of_type(BEDROCK_INVOCATION_LOGGING)
    if not configurations:
        report_violation(
            f"{current.label} owns the account singletons but configures no Bedrock model-invocation logging "
            "(aws.bedrockmodel.InvocationLoggingConfiguration): model use would be unaudited.",
            None,
        )
    for configuration in configurations:
        for problem in _invocation_logging_problems(graph, configuration):
            report_violation(problem, configuration.urn)


bedrock_model_invocation_logging = StackValidationPolicy(
    name="bedrock-model-invocation-logging",
    description="The stage that owns the account singletons configures Bedrock model-invocation logging of "
    "prompts and completions to a CMK-encrypted log group of this stack (not applicable elsewhere).",
    validate=validate_model_invocation_logging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Let the AccountSingletons component create it in the owner stage "
    "(environments/<stage>.yaml account.owner_stage).",
    tags=tags("logging"),
)


def validate_singletons_owner_only(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    current = stage.current()
    graph = StackGraph(args.resources)
    singletons = graph.of_type(BEDROCK_INVOCATION_LOGGING, API_ACCOUNT)
    if not current.owns_account_singletons:
        for resource in singletons:
            report_violation(
                f"{current.label} does not own the account singletons (stage {current.owner_stage} does); creating "
                f"{resource.resource_type} here would overwrite the owner's account-wide setting.",
                resource.urn,
            )
        return
    for kind in (BEDROCK_INVOCATION_LOGGING, API_ACCOUNT):
        found = graph.of_type(kind)
        for extra in found[1:]:
            report_violation(f"a second {kind} in one stack: the last one wins account-wide.", extra.urn)
    accounts = graph.of_type(API_ACCOUNT)
    if graph.of_type(API_REST_API) and not accounts:
        report_violation(
            "the owner stage has an API but no aws:apigateway/account:Account: API Gateway cannot write execution "
            "logs without its account CloudWatch role.",
            None,
        )
    for account in accounts:
        if not graph.deps(account, "cloudwatchRoleArn", IAM_ROLE):
            report_violation("cloudwatchRoleArn is not a role of this stack.", account.urn)


account_singletons_owner_only = StackValidationPolicy(
    name="account-singletons-owner-only",
    description="Account-wide singletons (model-invocation logging, the API Gateway account role) exist only in "
    "the stage that owns them, once, with a role of that stack.",
    validate=validate_singletons_owner_only,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set account.owner_stage in environments/<stage>.yaml; only that stage's Platform creates "
    "the AccountSingletons component.",
    tags=tags("logging"),
)


# --- WAF logging, alarms -------------------------------------------------------------------------------


def validate_waf_logging(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for acl in graph.of_type(WAF_WEB_ACL):
        configurations = graph.dependents(acl, WAF_WEB_ACL_LOGGING, prop="resourceArn")
        if not configurations:
            report_violation("has no WebAclLoggingConfiguration: blocked and allowed requests are not logged.", acl.urn)
        for configuration in configurations:
            groups = graph.deps(configuration, "logDestinationConfigs", LOG_GROUP)
            if not groups:
                report_violation("WAF logs do not go to a log group of this stack.", acl.urn)
            for name in _log_group_names(graph, groups):
                if not name.startswith("aws-waf-logs-"):
                    report_violation(f"WAF log group {name!r} must be named aws-waf-logs-*.", acl.urn)


waf_web_acl_logging = StackValidationPolicy(
    name="waf-web-acl-logging",
    description="Every WAF web ACL logs to an aws-waf-logs-* log group of this stack.",
    validate=validate_waf_logging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="aws.wafv2.WebAclLoggingConfiguration(resource_arn=<acl>.arn, "
    "log_destination_configs=[<aws-waf-logs-... log group>.arn]).",
    tags=tags("logging", "CKV2_AWS_31", "[WAF.11]"),
)


def validate_alarm_actions(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for alarm in graph.of_type(METRIC_ALARM):
        props = graph.props(alarm)
        if get(props, "actionsEnabled") is False:
            report_violation("actionsEnabled is false: the alarm notifies nobody.", alarm.urn)
        actions = items(props, "alarmActions")
        if actions is not UNKNOWN and not actions:
            report_violation("has no alarmActions: the alarm notifies nobody.", alarm.urn)
        elif not graph.deps(alarm, "alarmActions", SNS_TOPIC):
            report_violation("alarmActions do not include a (CMK-encrypted) SNS topic of this stack.", alarm.urn)


cloudwatch_alarm_actions = StackValidationPolicy(
    name="cloudwatch-alarm-actions",
    description="Every CloudWatch alarm notifies an SNS topic of this stack when it fires.",
    validate=validate_alarm_actions,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    remediation_steps="alarm_actions=[<alarm topic>.arn] (the Observability component does this).",
    tags=tags("logging", "CKV_AWS_319", "[CloudWatch.15]"),
)


POLICIES = [
    lambda_log_group_in_stack,
    lambda_tracing_active,
    log_group_retention,
    apigateway_stage_access_logging,
    apigateway_stage_tracing,
    apigateway_execution_logging,
    sfn_state_machine_logging,
    sfn_state_machine_tracing,
    bedrock_model_invocation_logging,
    account_singletons_owner_only,
    waf_web_acl_logging,
    cloudwatch_alarm_actions,
]
