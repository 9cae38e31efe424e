"""Exposure: nothing is public, everything requires TLS, every API call is authenticated, validated and filtered.

Policy documents that embed ARNs of this stack are unknown in preview: the stack rules here then
prove that the policy resource exists (graph) and leave its content to `pulumi up` (reported by
policy-documents-deferred-to-up); the resource rule reports them not applicable in preview.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
from policies.core import stage
from policies.core.documents import (
    RESOURCE,
    SCOPING_CONDITION_KEYS,
    Document,
    Reporter,
    denies_insecure_transport,
    documents_of,
    inspect_documents,
    known_documents,
)
from policies.core.graph import StackGraph
from policies.core.lookups import method_settings_for
from policies.core.props import UNKNOWN, as_json, get, items, number, plain, short_name, truthy
from policies.core.resource_types import (
    API_METHOD,
    API_REQUEST_VALIDATOR,
    API_STAGE,
    COGNITO_USER_POOL,
    LAMBDA_FUNCTION,
    LAMBDA_FUNCTION_URL,
    S3_BUCKET,
    S3_BUCKET_ACL,
    S3_BUCKET_OWNERSHIP_CONTROLS,
    S3_BUCKET_POLICY,
    S3_BUCKET_PUBLIC_ACCESS_BLOCK,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SQS_QUEUE,
    SQS_QUEUE_POLICY,
    WAF_WEB_ACL,
    WAF_WEB_ACL_ASSOCIATION,
)
from policies.core.tags import tags
from policies.core.tier_text import by_tier, where, which_do


def _documents(graph: StackGraph, resources: list[PolicyResource], path: str) -> tuple[list[Document], bool]:
    """Parsed documents of `resources` at `path`, and whether any is unknown (deferred to `pulumi up`)."""
    found = [f for r in resources for f in documents_of(r.resource_type, graph.props(r), (RESOURCE,))]
    return [d for _, d in known_documents(found)], any(f.unknown for f in found)


# --- S3 ---------------------------------------------------------------------------------------------

_BLOCKS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def validate_public_access_block(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for bucket in graph.of_type(S3_BUCKET):
        blocks = graph.dependents(bucket, S3_BUCKET_PUBLIC_ACCESS_BLOCK, prop="bucket")
        if not blocks:
            report_violation("has no BucketPublicAccessBlock: a policy or ACL could make it public.", bucket.urn)
        for block in blocks:
            off = [flag for flag in _BLOCKS if not truthy(get(graph.props(block), flag))]
            if off:
                report_violation(f"public access block leaves {', '.join(off)} off.", bucket.urn)


s3_bucket_public_access_block = StackValidationPolicy(
    name="s3-bucket-public-access-block",
    description="Every S3 bucket has a public access block with all four settings on.",
    validate=validate_public_access_block,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="aws.s3.BucketPublicAccessBlock(bucket=..., block_public_acls=True, block_public_policy=True, "
    "ignore_public_acls=True, restrict_public_buckets=True).",
    tags=tags(
        "exposure",
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "CKV2_AWS_6",
        "AwsSolutions-S2",
        "[S3.8]",
        "[S3.2]",
        "[S3.3]",
        "aws-s3-bucket-disallow-public-read",
    ),
)


def validate_bucket_tls_only(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for bucket in graph.of_type(S3_BUCKET):
        policies = graph.dependents(bucket, S3_BUCKET_POLICY, prop="bucket")
        if not policies:
            report_violation("has no bucket policy denying requests without TLS (aws:SecureTransport).", bucket.urn)
            continue
        known, deferred = _documents(graph, policies, "policy")
        if known and not any(denies_insecure_transport(d, ("s3:GetObject", "s3:PutObject")) for d in known):
            report_violation("its bucket policy does not deny s3:* when aws:SecureTransport is false.", bucket.urn)
        elif not known and not deferred:
            report_violation("its bucket policy has no readable document.", bucket.urn)


s3_bucket_tls_only = StackValidationPolicy(
    name="s3-bucket-tls-only",
    description="Every S3 bucket has a bucket policy that denies any request made without TLS.",
    validate=validate_bucket_tls_only,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps='Bucket policy statement: Effect Deny, Principal "*", Action "s3:*", '
    'Resource [bucket, bucket/*], Condition {"Bool": {"aws:SecureTransport": "false"}}.',
    tags=tags("exposure", "CKV_AWS_379", "AwsSolutions-S10", "[S3.5]"),
)


def validate_bucket_ownership(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for bucket in graph.of_type(S3_BUCKET):
        controls = graph.dependents(bucket, S3_BUCKET_OWNERSHIP_CONTROLS, prop="bucket")
        settings = {get(graph.props(c), "rule.objectOwnership") for c in controls}
        if not controls or settings - {"BucketOwnerEnforced", UNKNOWN}:
            report_violation(
                f"object ownership is {', '.join(map(str, settings)) or 'unset'}; BucketOwnerEnforced disables ACLs.",
                bucket.urn,
            )
        for acl in graph.dependents(bucket, S3_BUCKET_ACL, prop="bucket"):
            report_violation(
                f"{short_name(acl.urn)} manages access with ACLs; use IAM and the bucket policy.", bucket.urn
            )


s3_bucket_ownership_enforced = StackValidationPolicy(
    name="s3-bucket-ownership-enforced",
    description="Every S3 bucket enforces bucket-owner object ownership (ACLs disabled) and has no ACL resource.",
    validate=validate_bucket_ownership,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="aws.s3.BucketOwnershipControls(bucket=..., rule=...(object_ownership='BucketOwnerEnforced')).",
    tags=tags("exposure", "CKV2_AWS_65", "CKV_AWS_20", "CKV_AWS_57", "CKV_AWS_375", "CKV2_AWS_43", "[S3.12]"),
)


# --- resource policies --------------------------------------------------------------------------------


def _public_statements(item: Any, document: Document, report: Reporter) -> None:
    for statement in document.statements:
        if not statement.allows or not statement.public:
            continue
        if not statement.condition_keys() & SCOPING_CONDITION_KEYS:
            report(
                f"{item.label} {statement.label} allows {', '.join(statement.actions) or 'actions'} to everyone ('*') "
                "without a condition tying it to this account, organisation, source resource or VPC endpoint."
            )


def validate_resource_policy_not_public(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    inspect_documents(args, report_violation, (RESOURCE,), _public_statements)


resource_policy_no_public_access = ResourceValidationPolicy(
    name="resource-policy-no-public-access",
    description="Bucket, queue, topic, secret, API, event-bus and log resource policies never allow '*' without a "
    "condition scoping it to this account, organisation, source resource or VPC endpoint.",
    validate=validate_resource_policy_not_public,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="Name the principal (service principal with aws:SourceArn / aws:SourceAccount, or a role ARN).",
    tags=tags(
        "exposure",
        "CKV_AWS_70",
        "CKV_AWS_168",
        "CKV_AWS_169",
        "CKV_AWS_283",
        "CKV_AWS_387",
        "AwsSolutions-EVB1",
        "[S3.2]",
        "[S3.3]",
        "[SNS.4]",
        "[SQS.3]",
    ),
)


# --- messaging TLS ----------------------------------------------------------------------------------------


def _tls_problem(graph: StackGraph, resource: PolicyResource, policy_type: str, link: str, action: str) -> str | None:
    policies = graph.dependents(resource, policy_type, prop=link)
    known, deferred = _documents(graph, [resource, *policies], "policy")
    if not known and not deferred:
        return f"has no access policy denying {action} without TLS (aws:SecureTransport false)."
    if known and not any(denies_insecure_transport(d, (action,)) for d in known):
        return f"its access policy does not deny {action} when aws:SecureTransport is false."
    return None


def validate_messaging_tls(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for queue in graph.of_type(SQS_QUEUE):
        problem = _tls_problem(graph, queue, SQS_QUEUE_POLICY, "queueUrl", "sqs:SendMessage")
        if problem:
            report_violation(problem, queue.urn)
    for topic in graph.of_type(SNS_TOPIC):
        problem = _tls_problem(graph, topic, SNS_TOPIC_POLICY, "arn", "sns:Publish")
        if problem:
            report_violation(problem, topic.urn)


messaging_tls_only = StackValidationPolicy(
    name="messaging-tls-only",
    description="Every SQS queue and SNS topic has an access policy that denies requests made without TLS.",
    validate=validate_messaging_tls,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps='aws.sqs.QueuePolicy / aws.sns.TopicPolicy with a Deny for "*" on sqs:* / sns:Publish when '
    '{"Bool": {"aws:SecureTransport": "false"}}.',
    tags=tags("exposure", "AwsSolutions-SQS4", "AwsSolutions-SNS3"),
)


# --- Lambda function URLs ------------------------------------------------------------------------------


def validate_function_url(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LAMBDA_FUNCTION_URL:
        return
    props = plain(args.props)
    if get(props, "authorizationType") != "AWS_IAM":
        report_violation("authorizationType is not AWS_IAM: anyone on the internet can invoke the function.", None)
    origins = items(props, "cors.allowOrigins")
    if origins is not UNKNOWN and "*" in origins:
        report_violation("cors.allowOrigins contains '*': any web site can call the function from a browser.", None)


lambda_function_url_auth = ResourceValidationPolicy(
    name="lambda-function-url-auth",
    description="Lambda function URLs require IAM authentication and never allow every CORS origin.",
    validate=validate_function_url,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="authorization_type='AWS_IAM' and explicit cors.allow_origins - or expose the function "
    "through the authenticated API Gateway.",
    tags=tags("exposure", "CKV_AWS_258", "CKV2_AWS_75"),
)


# --- Lambda environment secrets ----------------------------------------------------------------------

_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.IGNORECASE)
_REFERENCE_NAME = re.compile(r"(_ARN|_NAME|_ID|_PARAMETER|_PATH)$", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"((A3T[A-Z0-9]|AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----)")


def validate_environment_secrets(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LAMBDA_FUNCTION:
        return
    variables = get(plain(args.props), "environment.variables")
    if not isinstance(variables, dict):
        return
    for name, value in variables.items():
        if not isinstance(value, str) or value.startswith("arn:"):
            continue
        if _SECRET_VALUE.search(value) or (_SECRET_NAME.search(name) and not _REFERENCE_NAME.search(name)):
            report_violation(
                f"environment variable {name} holds a literal credential; read it at run time from Secrets Manager "
                "(pass the secret's ARN instead).",
                None,
            )


lambda_environment_no_secrets = ResourceValidationPolicy(
    name="lambda-environment-no-secrets",
    description="Lambda environment variables carry no literal credentials (access keys, private keys, passwords, "
    "tokens); secrets are referenced by ARN.",
    validate=validate_environment_secrets,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="Store the value in aws.secretsmanager.Secret (CMK-encrypted) and pass its ARN as <NAME>_ARN.",
    tags=tags("exposure", "CKV_AWS_45"),
)


# --- API Gateway ---------------------------------------------------------------------------------------

SPOKEN_AUTHORIZATIONS = {"AWS_IAM": "IAM", "COGNITO_USER_POOLS": "a Cognito user-pool authorizer"}


def _authorizations(tier: TierProfile) -> tuple[str, ...]:
    return tier.api_auth.method_authorizations


def _either(authorizations: tuple[str, ...], names: Mapping[str, str] | None = None) -> str:
    """("AWS_IAM", "COGNITO_USER_POOLS") -> "AWS_IAM or COGNITO_USER_POOLS" (or their spoken `names`)."""
    spoken = names or {}
    return " or ".join(spoken.get(a, a) for a in authorizations)


AUTH_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedAuthorizationTypes": {
            "type": "array",
            "items": {"type": "string", "enum": ["AWS_IAM", "COGNITO_USER_POOLS", "CUSTOM"]},
            "description": f"Accepted method authorizations; absent: the tier's ({by_tier(_authorizations, _either)}).",
        }
    }
)


def validate_method_authorization(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != API_METHOD:
        return
    props = plain(args.props)
    if get(props, "httpMethod") == "OPTIONS":
        return  # CORS preflight carries no credentials by design
    current = stage.current()
    allowed = args.get_config().get("allowedAuthorizationTypes") or _authorizations(current.tier)
    authorization = get(props, "authorization")
    if authorization in (None, "NONE"):
        report_violation(f"{get(props, 'httpMethod')} has authorization NONE: anyone can call it.", None)
    elif authorization is not UNKNOWN and authorization not in allowed:
        report_violation(f"authorization is {authorization}; {current.label} accepts {', '.join(allowed)}.", None)
    if authorization in ("COGNITO_USER_POOLS", "CUSTOM") and get(props, "authorizerId") in (None, ""):
        report_violation(f"authorization is {authorization} but no authorizerId is set.", None)


apigateway_method_authorization = ResourceValidationPolicy(
    name="apigateway-method-authorization",
    description="Every API method (CORS preflight OPTIONS aside) requires the tier's authorization: "
    + by_tier(_authorizations, lambda found: _either(found, SPOKEN_AUTHORIZATIONS))
    + ".",
    validate=validate_method_authorization,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    config_schema=AUTH_SCHEMA,
    remediation_steps="authorization='COGNITO_USER_POOLS' with authorizer_id, or 'AWS_IAM' "
    f"{where(lambda tier: 'AWS_IAM' in _authorizations(tier))}.",
    tags=tags("exposure", "CKV_AWS_59", "CKV2_AWS_70", "AwsSolutions-APIG4", "AwsSolutions-COG4"),
)


def validate_request_validation(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for method in graph.of_type(API_METHOD):
        props = graph.props(method)
        if get(props, "httpMethod") == "OPTIONS":
            continue
        validators = graph.deps(method, "requestValidatorId", API_REQUEST_VALIDATOR)
        if get(props, "requestValidatorId") in (None, "") or not validators:
            report_violation(
                "has no request validator of this stack: malformed requests reach the backend.", method.urn
            )
            continue
        for validator in validators:
            vprops = graph.props(validator)
            if not (truthy(get(vprops, "validateRequestBody")) or truthy(get(vprops, "validateRequestParameters"))):
                report_violation(
                    f"validator {short_name(validator.urn)} validates neither body nor parameters.", method.urn
                )


apigateway_request_validation = StackValidationPolicy(
    name="apigateway-request-validation",
    description="Every API method (OPTIONS aside) validates requests with a request validator of this stack.",
    validate=validate_request_validation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="request_validator_id=<aws.apigateway.RequestValidator(validate_request_body=True, "
    "validate_request_parameters=True)>.id plus a request model.",
    tags=tags("exposure", "CKV2_AWS_53", "AwsSolutions-APIG2"),
)


def _waf(tier: TierProfile) -> bool:
    return tier.waf


def validate_api_waf(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    current = stage.current()
    if not current.tier.waf:
        args.not_applicable(f"{current.label} does not require a WAF ({which_do(_waf)})")
    graph = StackGraph(args.resources)
    for api_stage in graph.of_type(API_STAGE):
        associations = graph.dependents(api_stage, WAF_WEB_ACL_ASSOCIATION, prop="resourceArn")
        if not any(graph.deps(a, "webAclArn", WAF_WEB_ACL) for a in associations):
            report_violation("is not associated with a WAF web ACL of this stack.", api_stage.urn)


apigateway_waf_protection = StackValidationPolicy(
    name="apigateway-waf-protection",
    description=f"{where(_waf).capitalize()}, every API stage is protected by a WAF web ACL of this stack.",
    validate=validate_api_waf,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="aws.wafv2.WebAclAssociation(resource_arn=<stage>.arn, web_acl_arn=<acl>.arn) (Firewall "
    "component).",
    tags=tags("exposure", "CKV2_AWS_29", "AwsSolutions-APIG3", "[APIGateway.4]"),
)

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
WAF_SCHEMA = PolicyConfigSchema(
    properties={
        "requiredManagedRuleGroups": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(MANAGED_RULE_GROUPS),
        },
        "requireRateBasedRule": {"type": "boolean", "default": True},
    }
)


def _waf_rules(props: dict[str, Any]) -> list[dict[str, Any]] | Any:
    rules = get(props, "rules")
    if rules is None and get(props, "ruleJson") is not None:
        parsed = as_json(get(props, "ruleJson"))
        return parsed if isinstance(parsed, list) or parsed is UNKNOWN else []
    return rules if isinstance(rules, list) or rules is UNKNOWN else []


def _rule_findings(rules: list[dict[str, Any]]) -> tuple[list[str], set[str], bool]:
    """(problems, enforced AWS managed rule groups, whether a blocking rate-based rule exists)."""
    problems: list[str] = []
    enforced: set[str] = set()
    rate_limited = False
    for rule in rules:
        group = get(rule, "statement.managedRuleGroupStatement")
        if isinstance(group, dict) and get(group, "vendorName") == "AWS":
            if get(rule, "overrideAction.count") is not None:
                problems.append(f"rule {get(rule, 'name')!r} only counts {get(group, 'name')} (overrideAction count).")
            else:
                enforced.add(get(group, "name"))
        if get(rule, "statement.rateBasedStatement") is not None and get(rule, "action.block") is not None:
            rate_limited = True
        if get(rule, "visibilityConfig.cloudwatchMetricsEnabled") is not True:
            problems.append(f"rule {get(rule, 'name')!r} has CloudWatch metrics off.")
    return problems, enforced, rate_limited


def _waf_problems(props: dict[str, Any], config: Mapping[str, Any]) -> list[str]:
    rules = _waf_rules(props)
    if rules is UNKNOWN:
        return ["rules are computed; the managed rule groups cannot be proven."]
    problems, enforced, rate_limited = _rule_findings(rules)
    for name in config.get("requiredManagedRuleGroups", MANAGED_RULE_GROUPS):
        if name not in enforced:
            problems.append(f"does not enforce the AWS managed rule group {name}.")
    if config.get("requireRateBasedRule", True) and not rate_limited:
        problems.append("has no blocking rate-based rule.")
    if get(props, "visibilityConfig.cloudwatchMetricsEnabled") is not True:
        problems.append("web ACL CloudWatch metrics are off.")
    return problems


def validate_waf_rules(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != WAF_WEB_ACL:
        return
    for problem in _waf_problems(plain(args.props), args.get_config()):
        report_violation(problem, None)


waf_web_acl_managed_rules = ResourceValidationPolicy(
    name="waf-web-acl-managed-rules",
    description="WAF web ACLs enforce the AWS Common, KnownBadInputs (Log4j) and IP-reputation rule groups and a "
    "blocking rate limit, with CloudWatch metrics on.",
    validate=validate_waf_rules,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=WAF_SCHEMA,
    remediation_steps="See components/api/web_firewall.py MANAGED_RULE_GROUPS; use override_action none, not count.",
    tags=tags("exposure", "CKV_AWS_175", "CKV_AWS_192", "CKV_AWS_342", "CKV2_AWS_77", "[WAF.10]", "[WAF.12]"),
)


def validate_api_cache_encrypted(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    caching = False
    for api_stage in graph.of_type(API_STAGE):
        settings = method_settings_for(graph, api_stage)
        cluster = truthy(get(graph.props(api_stage), "cacheClusterEnabled"))
        cached = [s for s in settings if truthy(get(graph.props(s), "settings.cachingEnabled"))]
        if not cluster and not cached:
            continue
        caching = True
        for entry in cached or settings:
            if get(graph.props(entry), "settings.cacheDataEncrypted") is not True:
                report_violation("caches responses without cacheDataEncrypted.", api_stage.urn)
        if cluster and not settings:
            report_violation("has a cache cluster but no MethodSettings encrypting cached data.", api_stage.urn)
    if not caching:
        args.not_applicable("no API stage caches responses")


apigateway_cache_encrypted = StackValidationPolicy(
    name="apigateway-cache-encrypted",
    description="API Gateway response caches, where enabled, are encrypted (the platform does not cache: chat "
    "responses are per user).",
    validate=validate_api_cache_encrypted,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="MethodSettings settings cache_data_encrypted=True, or leave caching off.",
    tags=tags("exposure", "CKV_AWS_308", "[APIGateway.5]", "awsguard:apigateway-method-cached-and-encrypted"),
)


# --- Cognito -------------------------------------------------------------------------------------------

PASSWORD_SCHEMA = PolicyConfigSchema(
    properties={
        "minimumLength": {"type": "integer", "minimum": 8, "maximum": 99, "default": 14},
        "maximumTemporaryPasswordDays": {"type": "integer", "minimum": 1, "maximum": 365, "default": 7},
    }
)


def validate_password_policy(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != COGNITO_USER_POOL:
        return
    policy = get(plain(args.props), "passwordPolicy")
    if policy is None:
        report_violation("has no explicit passwordPolicy.", None)
        return
    config = args.get_config()
    length = number(get(policy, "minimumLength"))
    if length is None or length < config.get("minimumLength", 14):
        report_violation(f"minimumLength is {length}; at least {config.get('minimumLength', 14)}.", None)
    for field in ("requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"):
        if get(policy, field) is not True:
            report_violation(f"passwordPolicy.{field} is not true.", None)
    days = number(get(policy, "temporaryPasswordValidityDays"))
    if days is not None and days > config.get("maximumTemporaryPasswordDays", 7):
        report_violation(f"temporary passwords stay valid {days:g} days.", None)


cognito_user_pool_password_policy = ResourceValidationPolicy(
    name="cognito-user-pool-password-policy",
    description="Cognito user pools require long passwords (minimumLength, 14) with all character classes and "
    "short-lived temporary passwords.",
    validate=validate_password_policy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=PASSWORD_SCHEMA,
    remediation_steps="password_policy=UserPoolPasswordPolicyArgs(minimum_length=14, require_lowercase=True, "
    "require_uppercase=True, require_numbers=True, require_symbols=True, temporary_password_validity_days=3).",
    tags=tags("exposure", "AwsSolutions-COG1", "[Cognito.3]"),
)

MFA_SCHEMA = PolicyConfigSchema(
    properties={
        "allowOptional": {
            "type": "boolean",
            "description": "Accept mfaConfiguration OPTIONAL; absent: as the tier matrix says (user_pool_mfa).",
        }
    }
)


def _mfa_accepted(mode: str) -> str:
    """How validate_mfa reads the tier's user_pool_mfa: OPTIONAL accepts OPTIONAL (or ON), ON only ON."""
    return f"{mode} accepted" if mode == "OPTIONAL" else mode


def validate_mfa(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != COGNITO_USER_POOL:
        return
    props = plain(args.props)
    current = stage.current()
    allow_optional = args.get_config().get("allowOptional")
    if allow_optional is None:
        allow_optional = current.tier.user_pool_mfa == "OPTIONAL"
    mode = get(props, "mfaConfiguration", "OFF")
    if mode == "OFF" or (mode == "OPTIONAL" and not allow_optional):
        accepted = "OPTIONAL or ON" if allow_optional else "ON"
        report_violation(f"mfaConfiguration is {mode}; {current.label} requires {accepted}.", None)
    elif mode in ("ON", "OPTIONAL") and not (
        truthy(get(props, "softwareTokenMfaConfiguration.enabled"))
        or get(props, "smsConfiguration") is not None
        or truthy(get(props, "emailMfaConfiguration"))
    ):
        report_violation("MFA is on but no factor (software token, SMS, e-mail) is enabled.", None)


cognito_user_pool_mfa = ResourceValidationPolicy(
    name="cognito-user-pool-mfa",
    description=f"Cognito user pools require MFA ({by_tier(lambda tier: tier.user_pool_mfa, _mfa_accepted)}) with a "
    "factor enabled.",
    validate=validate_mfa,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=MFA_SCHEMA,
    remediation_steps="mfa_configuration='ON' and software_token_mfa_configuration=...(enabled=True).",
    tags=tags("exposure", "AwsSolutions-COG2", "[Cognito.5]"),
)


POLICIES = [
    s3_bucket_public_access_block,
    s3_bucket_tls_only,
    s3_bucket_ownership_enforced,
    resource_policy_no_public_access,
    messaging_tls_only,
    lambda_function_url_auth,
    lambda_environment_no_secrets,
    apigateway_method_authorization,
    apigateway_request_validation,
    apigateway_waf_protection,
    waf_web_acl_managed_rules,
    apigateway_cache_encrypted,
    cognito_user_pool_password_policy,
    cognito_user_pool_mfa,
]
