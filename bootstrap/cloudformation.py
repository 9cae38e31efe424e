"""Which IAM actions it takes to manage a Pulumi resource type, as AWS documents them.

AWS publishes, for every CloudFormation resource type, the IAM actions its create, read, update and
delete handlers call (`handlers.<operation>.permissions` in the resource provider schema; see "Resource
type schema" in the CloudFormation CLI user guide). The pinned `cfn-lint` package ships those schemas,
so a deploy role's permissions come from AWS's own list instead of a table written here.

pulumi-aws types are not CloudFormation types, so `CLOUDFORMATION_TYPE` maps one to the other. Where
pulumi-aws splits a CloudFormation resource into parts (an S3 bucket's versioning, an API method's
integration, an agent's action groups) the part maps to the resource that owns it: its update handler
is the one that changes that part. A type AWS has no CloudFormation resource for lists its actions in
`EXPLICIT_ACTIONS`, each with the AWS page that documents them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cfnlint
from cfnlint.schema.manager import ProviderSchemaManager

# The handlers a deployment uses: `pulumi up` creates, updates and deletes, `pulumi refresh` and
# `pulumi import` read. ("list" serves CloudFormation's resource discovery, which Pulumi does not use.)
DEPLOY_OPERATIONS = ("create", "read", "update", "delete")
READ_OPERATIONS = ("read",)  # drift detection (`pulumi refresh --preview-only`) only reads

CLOUDFORMATION_TYPE: dict[str, str] = {
    # keys, IAM
    "aws:kms/key:Key": "AWS::KMS::Key",
    "aws:kms/alias:Alias": "AWS::KMS::Alias",
    "aws:iam/role:Role": "AWS::IAM::Role",
    "aws:iam/rolePolicy:RolePolicy": "AWS::IAM::RolePolicy",
    "aws:iam/policy:Policy": "AWS::IAM::ManagedPolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "AWS::IAM::Role",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "AWS::IAM::OIDCProvider",
    # S3: pulumi-aws 7 splits a bucket's configuration into resources; AWS::S3::Bucket's handlers manage them
    "aws:s3/bucket:Bucket": "AWS::S3::Bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "AWS::S3::Bucket",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "AWS::S3::Bucket",
    "aws:s3/bucketVersioning:BucketVersioning": "AWS::S3::Bucket",
    "aws:s3/bucketLogging:BucketLogging": "AWS::S3::Bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "AWS::S3::Bucket",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "AWS::S3::Bucket",
    "aws:s3/bucketNotification:BucketNotification": "AWS::S3::Bucket",
    "aws:s3/bucketAcl:BucketAcl": "AWS::S3::Bucket",
    "aws:s3/bucketPolicy:BucketPolicy": "AWS::S3::BucketPolicy",
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": "AWS::S3Vectors::VectorBucket",
    "aws:s3/vectorsIndex:VectorsIndex": "AWS::S3Vectors::Index",
    # data, logs
    "aws:dynamodb/table:Table": "AWS::DynamoDB::Table",
    "aws:cloudwatch/logGroup:LogGroup": "AWS::Logs::LogGroup",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "AWS::Logs::ResourcePolicy",
    # Lambda, code signing
    "aws:lambda/function:Function": "AWS::Lambda::Function",
    "aws:lambda/permission:Permission": "AWS::Lambda::Permission",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "AWS::Lambda::EventInvokeConfig",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "AWS::Lambda::EventSourceMapping",
    "aws:lambda/functionUrl:FunctionUrl": "AWS::Lambda::Url",
    "aws:lambda/codeSigningConfig:CodeSigningConfig": "AWS::Lambda::CodeSigningConfig",
    "aws:signer/signingProfile:SigningProfile": "AWS::Signer::SigningProfile",
    # messaging
    "aws:sqs/queue:Queue": "AWS::SQS::Queue",
    "aws:sqs/queuePolicy:QueuePolicy": "AWS::SQS::QueuePolicy",
    "aws:sqs/redrivePolicy:RedrivePolicy": "AWS::SQS::Queue",
    "aws:sns/topic:Topic": "AWS::SNS::Topic",
    "aws:sns/topicPolicy:TopicPolicy": "AWS::SNS::TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription": "AWS::SNS::Subscription",
    # workflow, events
    "aws:sfn/stateMachine:StateMachine": "AWS::StepFunctions::StateMachine",
    "aws:cloudwatch/eventBus:EventBus": "AWS::Events::EventBus",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "AWS::Events::EventBusPolicy",
    "aws:cloudwatch/eventRule:EventRule": "AWS::Events::Rule",
    "aws:cloudwatch/eventTarget:EventTarget": "AWS::Events::Rule",  # targets are a property of the rule
    "aws:cloudwatch/eventArchive:EventArchive": "AWS::Events::Archive",
    "aws:scheduler/schedule:Schedule": "AWS::Scheduler::Schedule",
    # Bedrock: action groups, knowledge-base associations and collaborators are properties of AWS::Bedrock::Agent
    "aws:bedrock/agentAgent:AgentAgent": "AWS::Bedrock::Agent",
    "aws:bedrock/agentAgentAlias:AgentAgentAlias": "AWS::Bedrock::AgentAlias",
    "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup": "AWS::Bedrock::Agent",
    "aws:bedrock/agentAgentKnowledgeBaseAssociation:AgentAgentKnowledgeBaseAssociation": "AWS::Bedrock::Agent",
    "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator": "AWS::Bedrock::Agent",
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": "AWS::Bedrock::KnowledgeBase",
    "aws:bedrock/agentDataSource:AgentDataSource": "AWS::Bedrock::DataSource",
    "aws:bedrock/guardrail:Guardrail": "AWS::Bedrock::Guardrail",
    "aws:bedrock/guardrailVersion:GuardrailVersion": "AWS::Bedrock::GuardrailVersion",
    # API Gateway: integrations and responses are properties of AWS::ApiGateway::Method, settings of the stage
    "aws:apigateway/restApi:RestApi": "AWS::ApiGateway::RestApi",
    "aws:apigateway/resource:Resource": "AWS::ApiGateway::Resource",
    "aws:apigateway/method:Method": "AWS::ApiGateway::Method",
    "aws:apigateway/integration:Integration": "AWS::ApiGateway::Method",
    "aws:apigateway/methodResponse:MethodResponse": "AWS::ApiGateway::Method",
    "aws:apigateway/integrationResponse:IntegrationResponse": "AWS::ApiGateway::Method",
    "aws:apigateway/model:Model": "AWS::ApiGateway::Model",
    "aws:apigateway/requestValidator:RequestValidator": "AWS::ApiGateway::RequestValidator",
    "aws:apigateway/deployment:Deployment": "AWS::ApiGateway::Deployment",
    "aws:apigateway/stage:Stage": "AWS::ApiGateway::Stage",
    "aws:apigateway/methodSettings:MethodSettings": "AWS::ApiGateway::Stage",
    "aws:apigateway/account:Account": "AWS::ApiGateway::Account",
    "aws:apigateway/authorizer:Authorizer": "AWS::ApiGateway::Authorizer",
    # identity, edge
    "aws:cognito/userPool:UserPool": "AWS::Cognito::UserPool",
    "aws:cognito/userPoolClient:UserPoolClient": "AWS::Cognito::UserPoolClient",
    "aws:wafv2/webAcl:WebAcl": "AWS::WAFv2::WebACL",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "AWS::WAFv2::WebACLAssociation",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "AWS::WAFv2::LoggingConfiguration",
    # observability, cost, secrets
    "aws:cloudwatch/metricAlarm:MetricAlarm": "AWS::CloudWatch::Alarm",
    "aws:cloudwatch/dashboard:Dashboard": "AWS::CloudWatch::Dashboard",
    "aws:budgets/budget:Budget": "AWS::Budgets::Budget",
    "aws:xray/group:Group": "AWS::XRay::Group",
    "aws:xray/samplingRule:SamplingRule": "AWS::XRay::SamplingRule",
    "aws:secretsmanager/secret:Secret": "AWS::SecretsManager::Secret",
    "aws:secretsmanager/secretRotation:SecretRotation": "AWS::SecretsManager::RotationSchedule",
}

# Types without a CloudFormation resource: the actions of the API that manages them, from AWS's page.
EXPLICIT_ACTIONS: dict[str, tuple[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {  # page, (writes, reads)
    # "Monitor model invocation using CloudWatch Logs and Amazon S3" (Amazon Bedrock user guide): the account's
    # logging configuration is set, read and removed with these three operations; the role it names is passed.
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": (
        "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
        (
            (
                "bedrock:PutModelInvocationLoggingConfiguration",
                "bedrock:DeleteModelInvocationLoggingConfiguration",
                "iam:PassRole",
            ),
            ("bedrock:GetModelInvocationLoggingConfiguration",),
        ),
    ),
}

# Types that are not AWS resources at all.
NOT_AWS_RESOURCES = ("pulumi:providers:aws", "pulumi:pulumi:Stack")


class UnmappedTypeError(LookupError):
    """A registered type the deploy-role derivation cannot price in IAM actions."""


@dataclass(frozen=True)
class TypeActions:
    pulumi_type: str
    source: str  # the CloudFormation type, or the AWS page the actions come from
    actions: frozenset[str]


@cache
def _schemas() -> ProviderSchemaManager:
    # The schemas bundled with the pinned package, never a cache that `cfn-lint --update-specs` refreshed:
    # the derived permissions must be the same on every machine.
    bundled = Path(cfnlint.__file__).parent / "data" / "schemas"
    return ProviderSchemaManager(providers_dir=bundled / "providers", resources_dir=bundled / "resources")


def handler_actions(
    cloudformation_type: str, operations: tuple[str, ...] = DEPLOY_OPERATIONS, region: str = "us-east-1"
) -> frozenset[str]:
    """The IAM actions of the type's handlers for `operations`."""
    schema = _schemas().get_resource_schema(region, cloudformation_type).schema
    handlers = schema.get("handlers") or {}
    return frozenset(
        action for operation in operations for action in (handlers.get(operation) or {}).get("permissions", ())
    )


def actions_for(
    pulumi_type: str, operations: tuple[str, ...] = DEPLOY_OPERATIONS, region: str = "us-east-1"
) -> TypeActions:
    if pulumi_type in EXPLICIT_ACTIONS:
        page, (writes, reads) = EXPLICIT_ACTIONS[pulumi_type]
        chosen = reads if operations == READ_OPERATIONS else writes + reads
        return TypeActions(pulumi_type, page, frozenset(chosen))
    cloudformation_type = CLOUDFORMATION_TYPE.get(pulumi_type)
    if cloudformation_type is None:
        raise UnmappedTypeError(
            f"{pulumi_type}: no CloudFormation type is mapped to it; add it to CLOUDFORMATION_TYPE in "
            "bootstrap/cloudformation.py (or EXPLICIT_ACTIONS, naming the AWS page, when CloudFormation has none)"
        )
    return TypeActions(pulumi_type, cloudformation_type, handler_actions(cloudformation_type, operations, region))
