"""Every resource type token the pack judges or registers, written once.

Rules, the registry and the document table import these names instead of typing the tokens, so a
misspelt token is an import error rather than a rule that silently never matches. The tokens are the
pulumi-aws 7.x type tokens (`@pulumi.type_token(...)` in the SDK's sources; tests/policies/core/
test_registry.py reads them back from there).
"""

from __future__ import annotations

# --- Pulumi -------------------------------------------------------------------------------------------
STACK = "pulumi:pulumi:Stack"
AWS_PROVIDER = "pulumi:providers:aws"
COMPONENT_PREFIX = "agent-platform:"  # the platform's own ComponentResources: agent-platform:<module>:<Type>

# --- KMS ----------------------------------------------------------------------------------------------
KMS_KEY = "aws:kms/key:Key"
KMS_ALIAS = "aws:kms/alias:Alias"

# --- IAM ----------------------------------------------------------------------------------------------
IAM_ROLE = "aws:iam/role:Role"
IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy"
IAM_GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
IAM_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
IAM_OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
IAM_USER_POLICY_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
IAM_GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"

# --- S3 -----------------------------------------------------------------------------------------------
S3_BUCKET = "aws:s3/bucket:Bucket"
S3_BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl"
S3_BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
S3_BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
S3_BUCKET_NOTIFICATION = "aws:s3/bucketNotification:BucketNotification"
S3_BUCKET_OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
S3_BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
S3_BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
S3_BUCKET_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
S3_VECTOR_BUCKET = "aws:s3/vectorsVectorBucket:VectorsVectorBucket"
S3_VECTOR_INDEX = "aws:s3/vectorsIndex:VectorsIndex"

# --- DynamoDB -----------------------------------------------------------------------------------------
DYNAMODB_TABLE = "aws:dynamodb/table:Table"

# --- CloudWatch: logs, alarms, dashboards, EventBridge (its Pulumi module is cloudwatch) --------------
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LOG_RESOURCE_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
EVENT_BUS = "aws:cloudwatch/eventBus:EventBus"
EVENT_BUS_POLICY = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
EVENT_ARCHIVE = "aws:cloudwatch/eventArchive:EventArchive"
SCHEDULE = "aws:scheduler/schedule:Schedule"

# --- Lambda -------------------------------------------------------------------------------------------
LAMBDA_FUNCTION = "aws:lambda/function:Function"
LAMBDA_PERMISSION = "aws:lambda/permission:Permission"
LAMBDA_INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
LAMBDA_EVENT_SOURCE_MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
LAMBDA_FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl"
LAMBDA_CODE_SIGNING_CONFIG = "aws:lambda/codeSigningConfig:CodeSigningConfig"
SIGNER_SIGNING_PROFILE = "aws:signer/signingProfile:SigningProfile"

# --- messaging, workflow ------------------------------------------------------------------------------
SQS_QUEUE = "aws:sqs/queue:Queue"
SQS_QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
SQS_REDRIVE_POLICY = "aws:sqs/redrivePolicy:RedrivePolicy"
SNS_TOPIC = "aws:sns/topic:Topic"
SNS_TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SNS_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"

# --- Bedrock ------------------------------------------------------------------------------------------
BEDROCK_AGENT = "aws:bedrock/agentAgent:AgentAgent"
BEDROCK_AGENT_ALIAS = "aws:bedrock/agentAgentAlias:AgentAgentAlias"
BEDROCK_ACTION_GROUP = "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup"
BEDROCK_AGENT_COLLABORATOR = "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator"
BEDROCK_KNOWLEDGE_BASE = "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase"
BEDROCK_KNOWLEDGE_BASE_ASSOCIATION = "aws:bedrock/agentAgentKnowledgeBaseAssociation:AgentAgentKnowledgeBaseAssociation"
BEDROCK_DATA_SOURCE = "aws:bedrock/agentDataSource:AgentDataSource"
BEDROCK_GUARDRAIL = "aws:bedrock/guardrail:Guardrail"
BEDROCK_GUARDRAIL_VERSION = "aws:bedrock/guardrailVersion:GuardrailVersion"
BEDROCK_INVOCATION_LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"

# --- API Gateway (REST) -------------------------------------------------------------------------------
API_REST_API = "aws:apigateway/restApi:RestApi"
API_REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy"
API_RESOURCE = "aws:apigateway/resource:Resource"
API_METHOD = "aws:apigateway/method:Method"
API_METHOD_RESPONSE = "aws:apigateway/methodResponse:MethodResponse"
API_INTEGRATION = "aws:apigateway/integration:Integration"
API_INTEGRATION_RESPONSE = "aws:apigateway/integrationResponse:IntegrationResponse"
API_MODEL = "aws:apigateway/model:Model"
API_REQUEST_VALIDATOR = "aws:apigateway/requestValidator:RequestValidator"
API_AUTHORIZER = "aws:apigateway/authorizer:Authorizer"
API_DEPLOYMENT = "aws:apigateway/deployment:Deployment"
API_STAGE = "aws:apigateway/stage:Stage"
API_METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
API_ACCOUNT = "aws:apigateway/account:Account"

# --- identity, edge -----------------------------------------------------------------------------------
COGNITO_USER_POOL = "aws:cognito/userPool:UserPool"
COGNITO_USER_POOL_CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
WAF_WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WAF_WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
WAF_WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"

# --- cost, tracing, secrets ---------------------------------------------------------------------------
BUDGET = "aws:budgets/budget:Budget"
XRAY_GROUP = "aws:xray/group:Group"
XRAY_SAMPLING_RULE = "aws:xray/samplingRule:SamplingRule"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy"
SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
