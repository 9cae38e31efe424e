"""Every resource type the platform can create, mapped to the policies that cover it (or why none applies).

One registry, three uses: the README's "resources" column is derived from it, `required-cost-tags`
and `deletion-protection` read `taggable` / `data_bearing` from it, and `resource-type-registered`
(plus tests/policies/core/test_registry.py) refuses a type that is not here - so a new resource cannot
slip into a stage unpoliced.
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.core.resource_types import (
    API_ACCOUNT,
    API_AUTHORIZER,
    API_DEPLOYMENT,
    API_INTEGRATION,
    API_INTEGRATION_RESPONSE,
    API_METHOD,
    API_METHOD_RESPONSE,
    API_METHOD_SETTINGS,
    API_MODEL,
    API_REQUEST_VALIDATOR,
    API_RESOURCE,
    API_REST_API,
    API_STAGE,
    AWS_PROVIDER,
    BEDROCK_ACTION_GROUP,
    BEDROCK_AGENT,
    BEDROCK_AGENT_ALIAS,
    BEDROCK_AGENT_COLLABORATOR,
    BEDROCK_DATA_SOURCE,
    BEDROCK_GUARDRAIL,
    BEDROCK_GUARDRAIL_VERSION,
    BEDROCK_INVOCATION_LOGGING,
    BEDROCK_KNOWLEDGE_BASE,
    BEDROCK_KNOWLEDGE_BASE_ASSOCIATION,
    BUDGET,
    COGNITO_USER_POOL,
    COGNITO_USER_POOL_CLIENT,
    COMPONENT_PREFIX,
    DASHBOARD,
    DYNAMODB_TABLE,
    EVENT_ARCHIVE,
    EVENT_BUS,
    EVENT_BUS_POLICY,
    EVENT_RULE,
    EVENT_TARGET,
    IAM_OIDC_PROVIDER,
    IAM_POLICY,
    IAM_POLICY_ATTACHMENT,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    KMS_ALIAS,
    KMS_KEY,
    LAMBDA_CODE_SIGNING_CONFIG,
    LAMBDA_EVENT_SOURCE_MAPPING,
    LAMBDA_FUNCTION,
    LAMBDA_FUNCTION_URL,
    LAMBDA_INVOKE_CONFIG,
    LAMBDA_PERMISSION,
    LOG_GROUP,
    LOG_RESOURCE_POLICY,
    METRIC_ALARM,
    S3_BUCKET,
    S3_BUCKET_ACL,
    S3_BUCKET_LIFECYCLE,
    S3_BUCKET_LOGGING,
    S3_BUCKET_NOTIFICATION,
    S3_BUCKET_OWNERSHIP_CONTROLS,
    S3_BUCKET_POLICY,
    S3_BUCKET_PUBLIC_ACCESS_BLOCK,
    S3_BUCKET_SSE,
    S3_BUCKET_VERSIONING,
    S3_VECTOR_BUCKET,
    S3_VECTOR_INDEX,
    SCHEDULE,
    SECRET,
    SECRET_ROTATION,
    SIGNER_SIGNING_PROFILE,
    SNS_SUBSCRIPTION,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SQS_QUEUE,
    SQS_QUEUE_POLICY,
    SQS_REDRIVE_POLICY,
    STACK,
    STATE_MACHINE,
    WAF_WEB_ACL,
    WAF_WEB_ACL_ASSOCIATION,
    WAF_WEB_ACL_LOGGING,
    XRAY_GROUP,
    XRAY_SAMPLING_RULE,
)

# Policies that judge the stack as a whole rather than particular types.
STACK_WIDE = ("resource-type-registered", "policy-stage-resolved", "policy-documents-deferred-to-up")
TAGGING_POLICY = "required-cost-tags"


@dataclass(frozen=True)
class ResourceKind:
    policies: tuple[str, ...] = ()
    reason: str = ""  # why nothing (more) applies; required when `policies` is empty
    taggable: bool = False  # the pulumi-aws type takes `tags` (so required-cost-tags applies)
    data_bearing: bool = False  # holds data worth protecting from deletion (deletion-protection applies)

    @property
    def all_policies(self) -> tuple[str, ...]:
        extra = []
        if self.taggable:
            extra.append(TAGGING_POLICY)
        if self.data_bearing:
            extra.append("deletion-protection")
        return tuple(dict.fromkeys((*self.policies, *extra)))


_DOC_RULES = ("iam-no-wildcard-actions", "iam-no-not-action-or-not-resource")
_IDENTITY_RULES = (
    *_DOC_RULES,
    "iam-no-wildcard-resources",
    "iam-wildcard-resource-justified",
    "iam-pass-role-scoped",
)
_RESOURCE_POLICY_RULES = (*_DOC_RULES, "resource-policy-no-public-access")
_ATTACHMENT_RULES = ("iam-no-privileged-managed-policies", "iam-no-aws-managed-policies")

REGISTRY: dict[str, ResourceKind] = {
    AWS_PROVIDER: ResourceKind(
        reason="configures the provider; its defaultTags are read by required-cost-tags for every resource"
    ),
    # --- keys ---------------------------------------------------------------------------------------
    KMS_KEY: ResourceKind(
        ("kms-key-rotation-enabled", "kms-key-deletion-window", "kms-key-policy-least-privilege"),
        taggable=True,
        data_bearing=True,
    ),
    KMS_ALIAS: ResourceKind(reason="a name for a key; the CMK rules follow aliases to the key they target"),
    # --- IAM ----------------------------------------------------------------------------------------
    IAM_ROLE: ResourceKind(
        (
            *_IDENTITY_RULES,
            *_ATTACHMENT_RULES,
            "iam-trust-confused-deputy",
            "bedrock-agent-role-scoped",
            "lambda-function-unique-role",
        ),
        taggable=True,
    ),
    IAM_ROLE_POLICY: ResourceKind((*_IDENTITY_RULES, "bedrock-agent-role-scoped")),
    IAM_POLICY: ResourceKind(_IDENTITY_RULES, taggable=True),
    IAM_ROLE_POLICY_ATTACHMENT: ResourceKind((*_ATTACHMENT_RULES, "bedrock-agent-role-scoped")),
    IAM_POLICY_ATTACHMENT: ResourceKind(_ATTACHMENT_RULES),
    IAM_OIDC_PROVIDER: ResourceKind(
        reason="an identity provider grants nothing by itself; the roles trusting it are policed "
        "(iam-trust-confused-deputy refuses a federated trust without conditions)",
        taggable=True,
    ),
    # --- S3 -----------------------------------------------------------------------------------------
    S3_BUCKET: ResourceKind(
        (
            "s3-bucket-cmk-encryption",
            "encryption-exceptions-reported",
            "s3-bucket-public-access-block",
            "s3-bucket-tls-only",
            "s3-bucket-ownership-enforced",
            "s3-bucket-versioning",
            "s3-bucket-access-logging",
            "s3-bucket-lifecycle",
        ),
        taggable=True,
        data_bearing=True,
    ),
    S3_BUCKET_PUBLIC_ACCESS_BLOCK: ResourceKind(("s3-bucket-public-access-block",)),
    S3_BUCKET_SSE: ResourceKind(("s3-bucket-cmk-encryption", "encryption-exceptions-reported")),
    S3_BUCKET_VERSIONING: ResourceKind(("s3-bucket-versioning",)),
    S3_BUCKET_POLICY: ResourceKind(("s3-bucket-tls-only", *_RESOURCE_POLICY_RULES)),
    S3_BUCKET_LOGGING: ResourceKind(("s3-bucket-access-logging", "s3-bucket-cmk-encryption")),
    S3_BUCKET_OWNERSHIP_CONTROLS: ResourceKind(("s3-bucket-ownership-enforced",)),
    S3_BUCKET_LIFECYCLE: ResourceKind(("s3-bucket-lifecycle",)),
    S3_BUCKET_NOTIFICATION: ResourceKind(("lambda-async-failure-destination",)),
    S3_BUCKET_ACL: ResourceKind(("s3-bucket-ownership-enforced",)),
    S3_VECTOR_BUCKET: ResourceKind(("s3-vectors-cmk-encryption",), taggable=True, data_bearing=True),
    S3_VECTOR_INDEX: ResourceKind(("s3-vectors-cmk-encryption",), taggable=True, data_bearing=True),
    # --- DynamoDB, logs -----------------------------------------------------------------------------
    DYNAMODB_TABLE: ResourceKind(
        ("dynamodb-table-cmk-encryption", "dynamodb-point-in-time-recovery", "dynamodb-capacity-scales"),
        taggable=True,
        data_bearing=True,
    ),
    LOG_GROUP: ResourceKind(
        (
            "log-group-cmk-encryption",
            "log-group-retention",
            "lambda-log-group-in-stack",
            "apigateway-stage-access-logging",
            "sfn-state-machine-logging",
            "bedrock-model-invocation-logging",
            "waf-web-acl-logging",
        ),
        taggable=True,
        data_bearing=True,
    ),
    LOG_RESOURCE_POLICY: ResourceKind(_RESOURCE_POLICY_RULES),
    # --- Lambda -------------------------------------------------------------------------------------
    LAMBDA_FUNCTION: ResourceKind(
        (
            "lambda-environment-cmk-encryption",
            "lambda-log-group-in-stack",
            "lambda-tracing-active",
            "lambda-async-failure-destination",
            "lambda-runtime-supported",
            "lambda-function-limits",
            "lambda-function-unique-role",
            "lambda-environment-no-secrets",
            "model-lifecycle-active",  # the orchestrator's fallback model (FALLBACK_MODEL_ID)
        ),
        taggable=True,
    ),
    LAMBDA_PERMISSION: ResourceKind(("lambda-permission-source-arn", "lambda-async-failure-destination")),
    LAMBDA_INVOKE_CONFIG: ResourceKind(("lambda-async-failure-destination",)),
    LAMBDA_EVENT_SOURCE_MAPPING: ResourceKind(("lambda-event-source-mapping-failures",), taggable=True),
    LAMBDA_FUNCTION_URL: ResourceKind(("lambda-function-url-auth",)),
    LAMBDA_CODE_SIGNING_CONFIG: ResourceKind(
        reason="restricts which signed packages Lambda accepts (components/security/code_signing.py: Enforce, "
        "one profile)",
        taggable=True,
    ),
    SIGNER_SIGNING_PROFILE: ResourceKind(
        reason="signs packages; holds no data and grants nothing (who may sign is the deploy role's IAM)",
        taggable=True,
    ),
    # --- messaging ----------------------------------------------------------------------------------
    SQS_QUEUE: ResourceKind(
        (
            "sqs-queue-cmk-encryption",
            "sqs-queue-dead-letter-queue",
            "messaging-tls-only",
            *_RESOURCE_POLICY_RULES,
        ),
        taggable=True,
        data_bearing=True,
    ),
    SQS_QUEUE_POLICY: ResourceKind(("messaging-tls-only", *_RESOURCE_POLICY_RULES)),
    SQS_REDRIVE_POLICY: ResourceKind(("sqs-queue-dead-letter-queue",)),
    SNS_TOPIC: ResourceKind(
        ("sns-topic-cmk-encryption", "messaging-tls-only", "cloudwatch-alarm-actions", *_RESOURCE_POLICY_RULES),
        taggable=True,
    ),
    SNS_TOPIC_POLICY: ResourceKind(("messaging-tls-only", *_RESOURCE_POLICY_RULES)),
    SNS_SUBSCRIPTION: ResourceKind(("async-delivery-dead-letter", "lambda-async-failure-destination")),
    # --- workflow -----------------------------------------------------------------------------------
    STATE_MACHINE: ResourceKind(
        ("sfn-state-machine-cmk-encryption", "sfn-state-machine-logging", "sfn-state-machine-tracing"), taggable=True
    ),
    # --- Bedrock ------------------------------------------------------------------------------------
    BEDROCK_AGENT: ResourceKind(
        (
            "bedrock-agent-cmk-encryption",
            "bedrock-agent-guardrail-attached",
            "bedrock-agent-role-scoped",
            "model-lifecycle-active",
        ),
        taggable=True,
    ),
    BEDROCK_AGENT_ALIAS: ResourceKind(("bedrock-collaborators-in-stack",), taggable=True),
    BEDROCK_ACTION_GROUP: ResourceKind(("bedrock-action-group-confirmation",)),
    BEDROCK_KNOWLEDGE_BASE_ASSOCIATION: ResourceKind(
        reason="links an agent to a knowledge base; the base's vectors, data source and role are policed there"
    ),
    BEDROCK_AGENT_COLLABORATOR: ResourceKind(("bedrock-collaborators-in-stack",)),
    BEDROCK_GUARDRAIL: ResourceKind(
        (
            "bedrock-guardrail-cmk-encryption",
            "bedrock-guardrail-prompt-attack",
            "bedrock-guardrail-content-filters",
            "bedrock-guardrail-sensitive-information",
            "bedrock-guardrail-blocked-messaging",
            "bedrock-guardrail-contextual-grounding",
            "bedrock-guardrail-language-tier",
            "bedrock-agent-guardrail-attached",
        ),
        taggable=True,
    ),
    BEDROCK_GUARDRAIL_VERSION: ResourceKind(("bedrock-agent-guardrail-attached",)),
    BEDROCK_KNOWLEDGE_BASE: ResourceKind(
        ("model-lifecycle-active",),  # its embedding model
        reason="holds no data itself: vectors live in the S3 vector index (s3-vectors-cmk-encryption), ingestion "
        "in the data source (bedrock-data-source-cmk-encryption), access in its role (IAM rules)",
        taggable=True,
    ),
    BEDROCK_DATA_SOURCE: ResourceKind(("bedrock-data-source-cmk-encryption",)),
    BEDROCK_INVOCATION_LOGGING: ResourceKind(("bedrock-model-invocation-logging", "account-singletons-owner-only")),
    # --- API Gateway --------------------------------------------------------------------------------
    API_REST_API: ResourceKind((*_RESOURCE_POLICY_RULES, "account-singletons-owner-only"), taggable=True),
    API_RESOURCE: ResourceKind(reason="a path segment; the methods on it are policed"),
    API_METHOD: ResourceKind(("apigateway-method-authorization", "apigateway-request-validation")),
    API_INTEGRATION: ResourceKind(
        reason="proxies to a Lambda of the stack, whose invoke permission (lambda-permission-source-arn) is policed"
    ),
    API_METHOD_RESPONSE: ResourceKind(reason="response shape only; no data, no access"),
    API_INTEGRATION_RESPONSE: ResourceKind(reason="response mapping only; no data, no access"),
    API_MODEL: ResourceKind(reason="a JSON schema the request validator applies (apigateway-request-validation)"),
    API_REQUEST_VALIDATOR: ResourceKind(("apigateway-request-validation",)),
    API_DEPLOYMENT: ResourceKind(reason="an immutable snapshot of the API; the stage serving it is policed"),
    API_STAGE: ResourceKind(
        (
            "apigateway-stage-access-logging",
            "apigateway-stage-tracing",
            "apigateway-execution-logging",
            "apigateway-waf-protection",
            "apigateway-cache-encrypted",
            "apigateway-throttling",
        ),
        taggable=True,
    ),
    API_METHOD_SETTINGS: ResourceKind(
        ("apigateway-execution-logging", "apigateway-throttling", "apigateway-cache-encrypted")
    ),
    API_ACCOUNT: ResourceKind(("account-singletons-owner-only",)),
    API_AUTHORIZER: ResourceKind(
        reason="the Cognito authorizer methods must use (apigateway-method-authorization checks the methods)"
    ),
    # --- identity, edge -----------------------------------------------------------------------------
    COGNITO_USER_POOL: ResourceKind(
        ("cognito-user-pool-password-policy", "cognito-user-pool-mfa"), taggable=True, data_bearing=True
    ),
    COGNITO_USER_POOL_CLIENT: ResourceKind(
        reason="an SRP-only app client without a secret; no rule of the anchor rule sets applies to clients"
    ),
    WAF_WEB_ACL: ResourceKind(
        ("waf-web-acl-managed-rules", "waf-web-acl-logging", "apigateway-waf-protection"), taggable=True
    ),
    WAF_WEB_ACL_ASSOCIATION: ResourceKind(("apigateway-waf-protection",)),
    WAF_WEB_ACL_LOGGING: ResourceKind(("waf-web-acl-logging",)),
    # --- events -------------------------------------------------------------------------------------
    EVENT_BUS: ResourceKind(("eventbridge-cmk-encryption",), taggable=True),
    EVENT_BUS_POLICY: ResourceKind(_RESOURCE_POLICY_RULES),
    EVENT_RULE: ResourceKind(
        reason="an event pattern; the targets it delivers to are policed (async-delivery-dead-letter)", taggable=True
    ),
    EVENT_TARGET: ResourceKind(("async-delivery-dead-letter", "lambda-async-failure-destination")),
    EVENT_ARCHIVE: ResourceKind(("eventbridge-cmk-encryption",)),
    SCHEDULE: ResourceKind(
        ("eventbridge-cmk-encryption", "async-delivery-dead-letter", "lambda-async-failure-destination")
    ),
    # --- observability, cost ------------------------------------------------------------------------
    METRIC_ALARM: ResourceKind(("cloudwatch-alarm-actions",), taggable=True),
    DASHBOARD: ResourceKind(reason="a view of metrics; holds no data, grants no access"),
    BUDGET: ResourceKind(
        reason="the stage's cost guard-rail itself; it notifies by e-mail and holds no data", taggable=True
    ),
    XRAY_GROUP: ResourceKind(reason="a trace filter; traces are encrypted by X-Ray", taggable=True),
    XRAY_SAMPLING_RULE: ResourceKind(reason="a sampling rate; holds no data", taggable=True),
    # --- secrets ------------------------------------------------------------------------------------
    SECRET: ResourceKind(
        ("secret-cmk-encryption", "secrets-manager-rotation", *_RESOURCE_POLICY_RULES),
        taggable=True,
        data_bearing=True,
    ),
    SECRET_ROTATION: ResourceKind(("secrets-manager-rotation",)),
}


def is_component(resource_type: str) -> bool:
    """The platform's own ComponentResources (agent-platform:<module>:<Type>): groupings, nothing to police."""
    return resource_type.startswith(COMPONENT_PREFIX)


def lookup(resource_type: str) -> ResourceKind | None:
    if is_component(resource_type) or resource_type == STACK:
        return ResourceKind(reason="a grouping of resources (component or stack); its children are policed")
    return REGISTRY.get(resource_type)


def types_for(policy_name: str) -> list[str]:
    """The registered types a policy covers (for the README)."""
    return [t for t, kind in REGISTRY.items() if policy_name in kind.all_policies]
