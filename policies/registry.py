"""Every resource type the platform can create, mapped to the policies that cover it (or why none applies).

One registry, three uses: the README's "resources" column is derived from it, `required-cost-tags`
and `deletion-protection` read `taggable` / `data_bearing` from it, and `resource-type-registered`
(plus tests/policies/test_registry.py) refuses a type that is not here - so a new resource cannot
slip into a stage unpoliced.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPONENT_PREFIX = "agent-platform:"
STACK_TYPE = "pulumi:pulumi:Stack"

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
    "pulumi:providers:aws": ResourceKind(
        reason="configures the provider; its defaultTags are read by required-cost-tags for every resource"
    ),
    # --- keys ---------------------------------------------------------------------------------------
    "aws:kms/key:Key": ResourceKind(
        ("kms-key-rotation-enabled", "kms-key-deletion-window", "kms-key-policy-least-privilege"),
        taggable=True,
        data_bearing=True,
    ),
    "aws:kms/alias:Alias": ResourceKind(reason="a name for a key; the CMK rules follow aliases to the key they target"),
    # --- IAM ----------------------------------------------------------------------------------------
    "aws:iam/role:Role": ResourceKind(
        (
            *_IDENTITY_RULES,
            *_ATTACHMENT_RULES,
            "iam-trust-confused-deputy",
            "bedrock-agent-role-scoped",
            "lambda-function-unique-role",
        ),
        taggable=True,
    ),
    "aws:iam/rolePolicy:RolePolicy": ResourceKind((*_IDENTITY_RULES, "bedrock-agent-role-scoped")),
    "aws:iam/policy:Policy": ResourceKind(_IDENTITY_RULES, taggable=True),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ResourceKind(
        (*_ATTACHMENT_RULES, "bedrock-agent-role-scoped")
    ),
    "aws:iam/policyAttachment:PolicyAttachment": ResourceKind(_ATTACHMENT_RULES),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ResourceKind(
        reason="an identity provider grants nothing by itself; the roles trusting it are policed "
        "(iam-trust-confused-deputy refuses a federated trust without conditions)",
        taggable=True,
    ),
    # --- S3 -----------------------------------------------------------------------------------------
    "aws:s3/bucket:Bucket": ResourceKind(
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
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ResourceKind(("s3-bucket-public-access-block",)),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ResourceKind(
        ("s3-bucket-cmk-encryption", "encryption-exceptions-reported")
    ),
    "aws:s3/bucketVersioning:BucketVersioning": ResourceKind(("s3-bucket-versioning",)),
    "aws:s3/bucketPolicy:BucketPolicy": ResourceKind(("s3-bucket-tls-only", *_RESOURCE_POLICY_RULES)),
    "aws:s3/bucketLogging:BucketLogging": ResourceKind(("s3-bucket-access-logging", "s3-bucket-cmk-encryption")),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ResourceKind(("s3-bucket-ownership-enforced",)),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ResourceKind(("s3-bucket-lifecycle",)),
    "aws:s3/bucketNotification:BucketNotification": ResourceKind(("lambda-async-failure-destination",)),
    "aws:s3/bucketAcl:BucketAcl": ResourceKind(("s3-bucket-ownership-enforced",)),
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": ResourceKind(
        ("s3-vectors-cmk-encryption",), taggable=True, data_bearing=True
    ),
    "aws:s3/vectorsIndex:VectorsIndex": ResourceKind(("s3-vectors-cmk-encryption",), taggable=True, data_bearing=True),
    # --- DynamoDB, logs -----------------------------------------------------------------------------
    "aws:dynamodb/table:Table": ResourceKind(
        ("dynamodb-table-cmk-encryption", "dynamodb-point-in-time-recovery", "dynamodb-capacity-scales"),
        taggable=True,
        data_bearing=True,
    ),
    "aws:cloudwatch/logGroup:LogGroup": ResourceKind(
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
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": ResourceKind(_RESOURCE_POLICY_RULES),
    # --- Lambda -------------------------------------------------------------------------------------
    "aws:lambda/function:Function": ResourceKind(
        (
            "lambda-environment-cmk-encryption",
            "lambda-log-group-in-stack",
            "lambda-tracing-active",
            "lambda-async-failure-destination",
            "lambda-runtime-supported",
            "lambda-function-limits",
            "lambda-function-unique-role",
            "lambda-environment-no-secrets",
        ),
        taggable=True,
    ),
    "aws:lambda/permission:Permission": ResourceKind(
        ("lambda-permission-source-arn", "lambda-async-failure-destination")
    ),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": ResourceKind(
        ("lambda-async-failure-destination",)
    ),
    "aws:lambda/eventSourceMapping:EventSourceMapping": ResourceKind(
        ("lambda-event-source-mapping-failures",), taggable=True
    ),
    "aws:lambda/functionUrl:FunctionUrl": ResourceKind(("lambda-function-url-auth",)),
    "aws:lambda/codeSigningConfig:CodeSigningConfig": ResourceKind(
        reason="restricts which signed packages Lambda accepts (components/code_signing.py: Enforce, one profile)",
        taggable=True,
    ),
    "aws:signer/signingProfile:SigningProfile": ResourceKind(
        reason="signs packages; holds no data and grants nothing (who may sign is the deploy role's IAM)",
        taggable=True,
    ),
    # --- messaging ----------------------------------------------------------------------------------
    "aws:sqs/queue:Queue": ResourceKind(
        (
            "sqs-queue-cmk-encryption",
            "sqs-queue-dead-letter-queue",
            "messaging-tls-only",
            *_RESOURCE_POLICY_RULES,
        ),
        taggable=True,
        data_bearing=True,
    ),
    "aws:sqs/queuePolicy:QueuePolicy": ResourceKind(("messaging-tls-only", *_RESOURCE_POLICY_RULES)),
    "aws:sqs/redrivePolicy:RedrivePolicy": ResourceKind(("sqs-queue-dead-letter-queue",)),
    "aws:sns/topic:Topic": ResourceKind(
        ("sns-topic-cmk-encryption", "messaging-tls-only", "cloudwatch-alarm-actions", *_RESOURCE_POLICY_RULES),
        taggable=True,
    ),
    "aws:sns/topicPolicy:TopicPolicy": ResourceKind(("messaging-tls-only", *_RESOURCE_POLICY_RULES)),
    "aws:sns/topicSubscription:TopicSubscription": ResourceKind(
        ("async-delivery-dead-letter", "lambda-async-failure-destination")
    ),
    # --- workflow -----------------------------------------------------------------------------------
    "aws:sfn/stateMachine:StateMachine": ResourceKind(
        ("sfn-state-machine-cmk-encryption", "sfn-state-machine-logging", "sfn-state-machine-tracing"), taggable=True
    ),
    # --- Bedrock ------------------------------------------------------------------------------------
    "aws:bedrock/agentAgent:AgentAgent": ResourceKind(
        ("bedrock-agent-cmk-encryption", "bedrock-agent-guardrail-attached", "bedrock-agent-role-scoped"),
        taggable=True,
    ),
    "aws:bedrock/agentAgentAlias:AgentAgentAlias": ResourceKind(("bedrock-collaborators-in-stack",), taggable=True),
    "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup": ResourceKind(("bedrock-action-group-confirmation",)),
    "aws:bedrock/agentAgentKnowledgeBaseAssociation:AgentAgentKnowledgeBaseAssociation": ResourceKind(
        reason="links an agent to a knowledge base; the base's vectors, data source and role are policed there"
    ),
    "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator": ResourceKind(("bedrock-collaborators-in-stack",)),
    "aws:bedrock/guardrail:Guardrail": ResourceKind(
        (
            "bedrock-guardrail-cmk-encryption",
            "bedrock-guardrail-prompt-attack",
            "bedrock-guardrail-content-filters",
            "bedrock-guardrail-sensitive-information",
            "bedrock-guardrail-blocked-messaging",
            "bedrock-guardrail-contextual-grounding",
            "bedrock-agent-guardrail-attached",
        ),
        taggable=True,
    ),
    "aws:bedrock/guardrailVersion:GuardrailVersion": ResourceKind(("bedrock-agent-guardrail-attached",)),
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": ResourceKind(
        reason="holds no data itself: vectors live in the S3 vector index (s3-vectors-cmk-encryption), ingestion "
        "in the data source (bedrock-data-source-cmk-encryption), access in its role (IAM rules)",
        taggable=True,
    ),
    "aws:bedrock/agentDataSource:AgentDataSource": ResourceKind(("bedrock-data-source-cmk-encryption",)),
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": ResourceKind(
        ("bedrock-model-invocation-logging", "account-singletons-owner-only")
    ),
    # --- API Gateway --------------------------------------------------------------------------------
    "aws:apigateway/restApi:RestApi": ResourceKind(
        (*_RESOURCE_POLICY_RULES, "account-singletons-owner-only"), taggable=True
    ),
    "aws:apigateway/resource:Resource": ResourceKind(reason="a path segment; the methods on it are policed"),
    "aws:apigateway/method:Method": ResourceKind(("apigateway-method-authorization", "apigateway-request-validation")),
    "aws:apigateway/integration:Integration": ResourceKind(
        reason="proxies to a Lambda of the stack, whose invoke permission (lambda-permission-source-arn) is policed"
    ),
    "aws:apigateway/methodResponse:MethodResponse": ResourceKind(reason="response shape only; no data, no access"),
    "aws:apigateway/integrationResponse:IntegrationResponse": ResourceKind(
        reason="response mapping only; no data, no access"
    ),
    "aws:apigateway/model:Model": ResourceKind(
        reason="a JSON schema the request validator applies (apigateway-request-validation)"
    ),
    "aws:apigateway/requestValidator:RequestValidator": ResourceKind(("apigateway-request-validation",)),
    "aws:apigateway/deployment:Deployment": ResourceKind(
        reason="an immutable snapshot of the API; the stage serving it is policed"
    ),
    "aws:apigateway/stage:Stage": ResourceKind(
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
    "aws:apigateway/methodSettings:MethodSettings": ResourceKind(
        ("apigateway-execution-logging", "apigateway-throttling", "apigateway-cache-encrypted")
    ),
    "aws:apigateway/account:Account": ResourceKind(("account-singletons-owner-only",)),
    "aws:apigateway/authorizer:Authorizer": ResourceKind(
        reason="the Cognito authorizer methods must use (apigateway-method-authorization checks the methods)"
    ),
    # --- identity, edge -----------------------------------------------------------------------------
    "aws:cognito/userPool:UserPool": ResourceKind(
        ("cognito-user-pool-password-policy", "cognito-user-pool-mfa"), taggable=True, data_bearing=True
    ),
    "aws:cognito/userPoolClient:UserPoolClient": ResourceKind(
        reason="an SRP-only app client without a secret; no rule of the anchor rule sets applies to clients"
    ),
    "aws:wafv2/webAcl:WebAcl": ResourceKind(
        ("waf-web-acl-managed-rules", "waf-web-acl-logging", "apigateway-waf-protection"), taggable=True
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": ResourceKind(("apigateway-waf-protection",)),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": ResourceKind(("waf-web-acl-logging",)),
    # --- events -------------------------------------------------------------------------------------
    "aws:cloudwatch/eventBus:EventBus": ResourceKind(("eventbridge-cmk-encryption",), taggable=True),
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": ResourceKind(_RESOURCE_POLICY_RULES),
    "aws:cloudwatch/eventRule:EventRule": ResourceKind(
        reason="an event pattern; the targets it delivers to are policed (async-delivery-dead-letter)", taggable=True
    ),
    "aws:cloudwatch/eventTarget:EventTarget": ResourceKind(
        ("async-delivery-dead-letter", "lambda-async-failure-destination")
    ),
    "aws:cloudwatch/eventArchive:EventArchive": ResourceKind(("eventbridge-cmk-encryption",)),
    "aws:scheduler/schedule:Schedule": ResourceKind(
        ("eventbridge-cmk-encryption", "async-delivery-dead-letter", "lambda-async-failure-destination")
    ),
    # --- observability, cost ------------------------------------------------------------------------
    "aws:cloudwatch/metricAlarm:MetricAlarm": ResourceKind(("cloudwatch-alarm-actions",), taggable=True),
    "aws:cloudwatch/dashboard:Dashboard": ResourceKind(reason="a view of metrics; holds no data, grants no access"),
    "aws:budgets/budget:Budget": ResourceKind(
        reason="the stage's cost guard-rail itself; it notifies by e-mail and holds no data", taggable=True
    ),
    "aws:xray/group:Group": ResourceKind(reason="a trace filter; traces are encrypted by X-Ray", taggable=True),
    "aws:xray/samplingRule:SamplingRule": ResourceKind(reason="a sampling rate; holds no data", taggable=True),
    # --- secrets ------------------------------------------------------------------------------------
    "aws:secretsmanager/secret:Secret": ResourceKind(
        ("secret-cmk-encryption", "secrets-manager-rotation", *_RESOURCE_POLICY_RULES),
        taggable=True,
        data_bearing=True,
    ),
    "aws:secretsmanager/secretRotation:SecretRotation": ResourceKind(("secrets-manager-rotation",)),
}


def is_component(resource_type: str) -> bool:
    """The platform's own ComponentResources (agent-platform:<module>:<Type>): groupings, nothing to police."""
    return resource_type.startswith(COMPONENT_PREFIX)


def lookup(resource_type: str) -> ResourceKind | None:
    if is_component(resource_type) or resource_type == STACK_TYPE:
        return ResourceKind(reason="a grouping of resources (component or stack); its children are policed")
    return REGISTRY.get(resource_type)


def types_for(policy_name: str) -> list[str]:
    """The registered types a policy covers (for the README)."""
    return [t for t, kind in REGISTRY.items() if policy_name in kind.all_policies]
