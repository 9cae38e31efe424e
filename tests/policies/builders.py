"""Registration sets for policy tests: a compliant mini platform, built resource by resource.

Resources are registered as the mock monitor records them in preview: inputs in camelCase, computed
values (ARNs, ids) as the unknown sentinel, and the property dependencies that prove where each
value came from. Every builder makes a compliant resource; a test changes one thing on a copy.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from engine.recorder import STACK_TYPE, Registration
from environments.models import DEFAULTS, ModelUse, invocation
from tests.policies.harness import PROJECT

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # an unknown string in preview
ACCOUNT = "123456789012"
REGION = "us-east-1"
# The light default as a us-east-1 stage calls it: through the US inference profile (environments/models.py).
LIGHT = invocation(DEFAULTS[ModelUse.LIGHT].model_id, REGION)
MODEL = LIGHT.model_id
PROFILE_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:inference-profile/{MODEL}"
GUARDRAIL_PROFILE = "us.guardrail.v1:0"


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions: list[str] | str, resources: list[str] | str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def trust(service: str, source_arn: str | None = None) -> str:
    condition: dict[str, Any] = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    if source_arn:
        condition["ArnLike"] = {"aws:SourceArn": source_arn}
    return doc(
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole", "Condition": condition}
    )


def tls_deny(action: str, resources: list[str] | str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resources,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


KEY_POLICY = doc(
    {
        "Sid": "Root",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    },
    {
        "Sid": "Logs",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:*"}},
    },
)


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data[int(part)] if isinstance(data, list) else data.setdefault(part, {})
    if isinstance(data, list):
        data[int(parts[-1])] = value
    else:
        data[parts[-1]] = value


def drop_path(data: dict[str, Any], path: str) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        del data[int(parts[-1])]
    else:
        data.pop(parts[-1], None)


class Stack:
    """Registrations of one test stack (root, explicit provider with cost tags, resources)."""

    def __init__(self, stage: str = "crawl", tier: str | None = None, name: str = "test") -> None:
        self.stage, self.tier, self.name = stage, tier or stage, name
        self.root = f"urn:pulumi:{name}::{PROJECT}::{STACK_TYPE}::{PROJECT}-{name}"
        self._registrations: dict[str, Registration] = {}
        self._add_root()
        tags = {"environment": stage, "tier": self.tier, "owner": "platform-team", "cost-center": "cc-1"}
        self.provider = self.add(
            "pulumi:providers:aws", f"{stage}-aws", {"region": REGION, "defaultTags": json.dumps({"tags": tags})}
        )

    def _add_root(self) -> None:
        self._registrations[self.root] = Registration(
            urn=self.root,
            type=STACK_TYPE,
            name=f"{PROJECT}-{self.name}",
            custom=False,
            parent="",
            provider="",
            id="",
            inputs={},
            outputs={},
            dependencies=[],
            property_dependencies={},
        )

    # --- raw registration -----------------------------------------------------------------------

    def add(
        self,
        type_: str,
        name: str,
        inputs: dict[str, Any],
        deps: dict[str, list[str]] | None = None,
        protect: bool = False,
        provider: str | None = None,
    ) -> str:
        urn = self.urn(type_, name)
        assert urn not in self._registrations, f"duplicate resource {name}"
        deps = {k: list(v) for k, v in (deps or {}).items() if v}
        is_provider = type_.startswith("pulumi:providers:")
        provider_ref = "" if is_provider else f"{provider or self.provider}::provider-id"
        self._registrations[urn] = Registration(
            urn=urn,
            type=type_,
            name=name,
            custom=True,
            parent=self.root,
            provider=provider_ref,
            id="",
            inputs=inputs,
            outputs={},
            dependencies=list(dict.fromkeys(u for us in deps.values() for u in us)),
            property_dependencies=deps,
            protect=protect,
        )
        return urn

    def urn(self, type_: str, name: str) -> str:
        return f"urn:pulumi:{self.name}::{PROJECT}::{type_}::{name}"

    def add_provider(self, name: str, tags: dict[str, str] | None) -> str:
        inputs: dict[str, Any] = {"region": REGION}
        if tags is not None:
            inputs["defaultTags"] = json.dumps({"tags": tags})
        return self.add("pulumi:providers:aws", name, inputs)

    def __getitem__(self, urn: str) -> Registration:
        return self._registrations[urn]

    def set(self, urn: str, path: str, value: Any) -> None:
        set_path(self[urn].inputs, path, value)

    def drop(self, urn: str, path: str, *, prop: str | None = None) -> None:
        """Remove an input (and, with `prop`, that top-level property's dependencies)."""
        drop_path(self[urn].inputs, path)
        if prop is not None:
            self[urn].property_dependencies.pop(prop, None)

    def remove(self, urn: str) -> None:
        del self._registrations[urn]

    def registrations(self) -> list[Registration]:
        """The set as the engine sends it: outputs of custom resources = inputs in preview."""
        result = []
        for registration in self._registrations.values():
            copied = copy.deepcopy(registration)
            if copied.custom:
                copied.outputs = copy.deepcopy(copied.inputs)
            result.append(copied)
        return result

    def __iter__(self) -> Iterator[Registration]:
        return iter(self.registrations())


DATA_BEARING_PROTECT = True  # the baseline is compliant in every tier, including run's protect


class Platform:
    """Builders for a compliant mini platform; each returns the URN of the resource tests look at."""

    def __init__(self, stack: Stack) -> None:
        self.s = stack

    # --- keys, logs -------------------------------------------------------------------------------

    def key(self, name: str, **inputs: Any) -> str:
        base = {
            "description": f"{name} key",
            "enableKeyRotation": True,
            "rotationPeriodInDays": 365.0,
            "deletionWindowInDays": 30.0,
            "keyUsage": "ENCRYPT_DECRYPT",
            "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
            "policy": KEY_POLICY,
        }
        return self.s.add("aws:kms/key:Key", name, {**base, **inputs}, protect=DATA_BEARING_PROTECT)

    def alias(self, name: str, key: str) -> str:
        return self.s.add(
            "aws:kms/alias:Alias", name, {"name": f"alias/{name}", "targetKeyId": U}, {"targetKeyId": [key]}
        )

    def log_group(self, name: str, key: str, log_name: str | None = None) -> str:
        return self.s.add(
            "aws:cloudwatch/logGroup:LogGroup",
            name,
            {
                "name": log_name or f"/ap/{name}",
                "kmsKeyId": U,
                "retentionInDays": 365.0,
                "deletionProtectionEnabled": True,
            },
            {"kmsKeyId": [key]},
            protect=DATA_BEARING_PROTECT,
        )

    # --- IAM --------------------------------------------------------------------------------------

    def role(self, name: str, service: str = "lambda.amazonaws.com", source_arn: str | None = None) -> str:
        if source_arn is None and service in (
            "bedrock.amazonaws.com",
            "states.amazonaws.com",
            "scheduler.amazonaws.com",
        ):
            source_arn = f"arn:aws:{service.split('.')[0]}:{REGION}:{ACCOUNT}:*"
        return self.s.add("aws:iam/role:Role", name, {"name": name, "assumeRolePolicy": trust(service, source_arn)})

    def role_policy(self, name: str, role: str, document: str, deps: list[str] | None = None) -> str:
        inputs = {"name": name, "role": U, "policy": document}
        return self.s.add("aws:iam/rolePolicy:RolePolicy", name, inputs, {"role": [role], "policy": deps or []})

    # --- S3 ---------------------------------------------------------------------------------------

    def bucket(self, name: str, key: str | None, log_target: str | None = None, access_logs: bool = False) -> str:
        """A bucket with all its satellites; `access_logs=True` makes it the SSE-S3 access-log target."""
        s = self.s
        bucket = s.add("aws:s3/bucket:Bucket", name, {"bucket": f"ap-{name}-{ACCOUNT}"}, protect=DATA_BEARING_PROTECT)
        link = {"bucket": [bucket]}
        s.add(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            f"{name}-pab",
            {
                "bucket": U,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            link,
        )
        s.add(
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            f"{name}-ownership",
            {"bucket": U, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
            link,
        )
        s.add(
            "aws:s3/bucketVersioning:BucketVersioning",
            f"{name}-versioning",
            {"bucket": U, "versioningConfiguration": {"status": "Enabled"}},
            link,
        )
        if access_logs:
            rule: dict[str, Any] = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
            sse_deps = link
        else:
            rule = {
                "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": U},
                "bucketKeyEnabled": True,
            }
            sse_deps = {**link, "rules": [key] if key else []}
        s.add(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            f"{name}-sse",
            {"bucket": U, "rules": [rule]},
            sse_deps,
        )
        arn = f"arn:aws:s3:::ap-{name}-{ACCOUNT}"
        s.add(
            "aws:s3/bucketPolicy:BucketPolicy",
            f"{name}-policy",
            {"bucket": U, "policy": doc(tls_deny("s3:*", [arn, f"{arn}/*"]))},
            link,
        )
        s.add(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            f"{name}-lifecycle",
            {
                "bucket": U,
                "rules": [
                    {
                        "id": "tidy",
                        "status": "Enabled",
                        "filter": {"prefix": ""},
                        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7.0},
                        "noncurrentVersionExpiration": {"noncurrentDays": 30.0},
                    }
                ],
            },
            link,
        )
        if log_target:
            s.add(
                "aws:s3/bucketLogging:BucketLogging",
                f"{name}-logging",
                {"bucket": U, "targetBucket": U, "targetPrefix": f"{name}/"},
                {**link, "targetBucket": [log_target]},
            )
        return bucket

    def vector_store(self, name: str, key: str) -> tuple[str, str]:
        encryption = [{"sseType": "aws:kms", "kmsKeyArn": U}]
        bucket = self.s.add(
            "aws:s3/vectorsVectorBucket:VectorsVectorBucket",
            name,
            {"vectorBucketName": f"ap-{name}", "encryptionConfigurations": copy.deepcopy(encryption)},
            {"encryptionConfigurations": [key]},
            protect=DATA_BEARING_PROTECT,
        )
        index = self.s.add(
            "aws:s3/vectorsIndex:VectorsIndex",
            f"{name}-index",
            {
                "vectorBucketName": f"ap-{name}",
                "indexName": f"{name}-index",
                "dataType": "float32",
                "dimension": 1024.0,
                "distanceMetric": "cosine",
                "encryptionConfigurations": copy.deepcopy(encryption),
            },
            {"encryptionConfigurations": [key], "vectorBucketName": [bucket]},
            protect=DATA_BEARING_PROTECT,
        )
        return bucket, index

    # --- data, compute ------------------------------------------------------------------------------

    def table(self, name: str, key: str) -> str:
        return self.s.add(
            "aws:dynamodb/table:Table",
            name,
            {
                "name": f"ap-{name}",
                "billingMode": "PAY_PER_REQUEST",
                "hashKey": "id",
                "attributes": [{"name": "id", "type": "S"}],
                "serverSideEncryption": {"enabled": True, "kmsKeyArn": U},
                "pointInTimeRecovery": {"enabled": True},
                "deletionProtectionEnabled": True,
            },
            {"serverSideEncryption": [key]},
            protect=DATA_BEARING_PROTECT,
        )

    def function(self, name: str, key: str, logs_key: str) -> str:
        group = self.log_group(f"{name}-logs", logs_key, f"/aws/lambda/ap-{name}")
        role = self.role(f"{name}-role")
        self.role_policy(
            f"{name}-policy",
            role,
            doc(
                allow(
                    ["dynamodb:GetItem"], f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/ap-sessions", Sid="ReadSessions"
                ),
                allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*", Sid="ActiveTracing"),
            ),
        )
        return self.s.add(
            "aws:lambda/function:Function",
            name,
            {
                "name": f"ap-{name}",
                "role": U,
                "runtime": "python3.13",
                "handler": "handler.handler",
                "memorySize": 512.0,
                "timeout": 20.0,
                "reservedConcurrentExecutions": 5.0,
                "kmsKeyArn": U,
                "environment": {"variables": {"POWERTOOLS_SERVICE_NAME": name}},
                "tracingConfig": {"mode": "Active"},
                "loggingConfig": {"logFormat": "JSON", "logGroup": f"/aws/lambda/ap-{name}"},
            },
            {"role": [role], "kmsKeyArn": [key], "loggingConfig": [group]},
        )

    def permission(self, name: str, function: str, principal: str, source: str | None) -> str:
        inputs = {
            "action": "lambda:InvokeFunction",
            "function": f"ap-{name}",
            "principal": principal,
            "sourceAccount": ACCOUNT,
        }
        deps = {"function": [function]}
        if source:
            inputs["sourceArn"] = U
            deps["sourceArn"] = [source]
        return self.s.add("aws:lambda/permission:Permission", name, inputs, deps)

    def queue_with_dlq(self, name: str, key: str) -> tuple[str, str]:
        s = self.s
        dlq = s.add(
            "aws:sqs/queue:Queue",
            f"{name}-dlq",
            {
                "name": f"ap-{name}-dlq",
                "kmsMasterKeyId": U,
                "redriveAllowPolicy": json.dumps({"redrivePermission": "allowAll"}),
            },
            {"kmsMasterKeyId": [key]},
            protect=DATA_BEARING_PROTECT,
        )
        queue = s.add(
            "aws:sqs/queue:Queue",
            name,
            {"name": f"ap-{name}", "kmsMasterKeyId": U, "redrivePolicy": U, "visibilityTimeoutSeconds": 120.0},
            {"kmsMasterKeyId": [key], "redrivePolicy": [dlq]},
            protect=DATA_BEARING_PROTECT,
        )
        for q in (dlq, queue):
            s.add(
                "aws:sqs/queuePolicy:QueuePolicy",
                f"{s[q].name}-policy",
                {
                    "queueUrl": U,
                    "policy": doc(tls_deny("sqs:*", f"arn:aws:sqs:{REGION}:{ACCOUNT}:{s[q].inputs['name']}")),
                },
                {"queueUrl": [q]},
            )
        return queue, dlq

    def topic(self, name: str, key: str) -> str:
        topic = self.s.add(
            "aws:sns/topic:Topic", name, {"name": f"ap-{name}", "kmsMasterKeyId": U}, {"kmsMasterKeyId": [key]}
        )
        self.s.add(
            "aws:sns/topicPolicy:TopicPolicy",
            f"{name}-policy",
            {"arn": U, "policy": doc(tls_deny("sns:Publish", f"arn:aws:sns:{REGION}:{ACCOUNT}:ap-{name}"))},
            {"arn": [topic]},
        )
        self.s.add(
            "aws:sns/topicSubscription:TopicSubscription",
            f"{name}-email",
            {"topic": U, "protocol": "email", "endpoint": "oncall@example.com"},
            {"topic": [topic]},
        )
        return topic

    def state_machine(self, name: str, key: str, logs_key: str) -> str:
        group = self.log_group(f"{name}-logs", logs_key)
        role = self.role(f"{name}-role", "states.amazonaws.com")
        return self.s.add(
            "aws:sfn/stateMachine:StateMachine",
            name,
            {
                "name": f"ap-{name}",
                "type": "EXPRESS",
                "definition": json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
                "roleArn": U,
                "loggingConfiguration": {"level": "ALL", "includeExecutionData": False, "logDestination": U},
                "tracingConfiguration": {"enabled": True},
                "encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": U},
            },
            {"roleArn": [role], "loggingConfiguration": [group], "encryptionConfiguration": [key]},
        )

    # --- Bedrock ------------------------------------------------------------------------------------

    def guardrail(self, name: str, key: str) -> tuple[str, str]:
        filters = [
            {"type": kind, "inputStrength": "HIGH", "outputStrength": "HIGH"}
            for kind in ("SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT")
        ]
        filters.append({"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"})
        pii = [
            {"type": t, "action": "BLOCK"}
            for t in ("AWS_ACCESS_KEY", "AWS_SECRET_KEY", "PASSWORD", "CREDIT_DEBIT_CARD_NUMBER")
        ] + [{"type": t, "action": "ANONYMIZE"} for t in ("EMAIL", "PHONE")]
        guardrail = self.s.add(
            "aws:bedrock/guardrail:Guardrail",
            name,
            {
                "name": f"ap-{name}",
                "kmsKeyArn": U,
                "blockedInputMessaging": "Sorry, I can't help with that.",
                "blockedOutputsMessaging": "Sorry, I can't answer that.",
                "contentPolicyConfig": {"filtersConfigs": filters, "tierConfigs": [{"tierName": "STANDARD"}]},
                "crossRegionConfig": {"guardrailProfileIdentifier": GUARDRAIL_PROFILE},
                "sensitiveInformationPolicyConfig": {"piiEntitiesConfigs": pii},
                "contextualGroundingPolicyConfig": {
                    "filtersConfigs": [
                        {"type": "GROUNDING", "threshold": 0.75},
                        {"type": "RELEVANCE", "threshold": 0.5},
                    ]
                },
            },
            {"kmsKeyArn": [key]},
        )
        version = self.s.add(
            "aws:bedrock/guardrailVersion:GuardrailVersion",
            f"{name}-version",
            {"guardrailArn": U, "description": "v"},
            {"guardrailArn": [guardrail]},
        )
        return guardrail, version

    def agent(self, name: str, key: str, guardrail: str, version: str) -> str:
        role = self.role(f"{name}-role", "bedrock.amazonaws.com")
        self.role_policy(
            f"{name}-policy",
            role,
            doc(
                allow(
                    ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                    PROFILE_ARN,
                    Sid="InvokeItsModelProfile",
                ),
                allow(
                    ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                    [f"arn:aws:bedrock:{r}::foundation-model/{LIGHT.model.model_id}" for r in LIGHT.destinations],
                    Sid="InvokeItsModelModels",
                    Condition={"StringEquals": {"bedrock:InferenceProfileArn": PROFILE_ARN}},
                ),
            ),
        )
        return self.s.add(
            "aws:bedrock/agentAgent:AgentAgent",
            name,
            {
                "agentName": f"ap-{name}",
                "agentResourceRoleArn": U,
                "foundationModel": MODEL,
                "customerEncryptionKeyArn": U,
                "guardrailConfigurations": [{"guardrailIdentifier": U, "guardrailVersion": U}],
                "idleSessionTtlInSeconds": 600.0,
                "instruction": "You are a helpful assistant that answers from the handbook only.",
            },
            {
                "agentResourceRoleArn": [role],
                "customerEncryptionKeyArn": [key],
                "guardrailConfigurations": [version, guardrail],
            },
        )

    def alias_of(self, name: str, agent: str) -> str:
        return self.s.add(
            "aws:bedrock/agentAgentAlias:AgentAgentAlias",
            name,
            {"agentAliasName": "live", "agentId": U},
            {"agentId": [agent]},
        )

    def action_group(self, name: str, agent: str, function: str, confirm: bool = True) -> str:
        operation: dict[str, Any] = {"description": "Create a ticket", "operationId": "create"}
        if confirm:
            operation["x-requireConfirmation"] = "ENABLED"
        schema = {
            "openapi": "3.0.3",
            "info": {"title": name, "version": "1"},
            "paths": {
                "/tickets": {
                    "post": operation,
                    "get": {"description": "List tickets", "operationId": "list"},
                }
            },
        }
        return self.s.add(
            "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup",
            name,
            {
                "actionGroupName": name,
                "agentId": U,
                "agentVersion": "DRAFT",
                "actionGroupExecutor": {"lambda": U},
                "apiSchema": {"payload": json.dumps(schema)},
            },
            {"agentId": [agent], "actionGroupExecutor": [function]},
        )

    def knowledge_base(self, name: str, agents_key: str, bucket: str, index: str) -> tuple[str, str]:
        role = self.role(f"{name}-role", "bedrock.amazonaws.com")
        kb = self.s.add(
            "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase",
            name,
            {
                "name": f"ap-{name}",
                "roleArn": U,
                "knowledgeBaseConfiguration": {"type": "VECTOR"},
                "storageConfiguration": {"type": "S3_VECTORS", "s3VectorsConfiguration": {"indexArn": U}},
            },
            {"roleArn": [role], "storageConfiguration": [index]},
        )
        source = self.s.add(
            "aws:bedrock/agentDataSource:AgentDataSource",
            f"{name}-source",
            {
                "name": f"ap-{name}-source",
                "knowledgeBaseId": U,
                "dataSourceConfiguration": {"type": "S3", "s3Configuration": {"bucketArn": U}},
                "serverSideEncryptionConfiguration": {"kmsKeyArn": U},
            },
            {
                "knowledgeBaseId": [kb],
                "dataSourceConfiguration": [bucket],
                "serverSideEncryptionConfiguration": [agents_key],
            },
        )
        return kb, source

    def invocation_logging(self, logs_key: str) -> str:
        group = self.log_group("invocation-logs", logs_key, "/aws/bedrock/model-invocations")
        role = self.role("invocation-logging-role", "bedrock.amazonaws.com")
        return self.s.add(
            "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
            "invocation-logging",
            {
                "loggingConfig": {
                    "cloudwatchConfig": {"logGroupName": "/aws/bedrock/model-invocations", "roleArn": U},
                    "textDataDeliveryEnabled": True,
                    "embeddingDataDeliveryEnabled": False,
                    "imageDataDeliveryEnabled": False,
                }
            },
            {"loggingConfig": [group, role]},
        )

    # --- API ----------------------------------------------------------------------------------------

    def api(self, name: str, logs_key: str, handler: str, owner: bool) -> dict[str, str]:
        s = self.s
        api = s.add(
            "aws:apigateway/restApi:RestApi",
            name,
            {"name": f"ap-{name}", "endpointConfiguration": {"types": "REGIONAL"}},
        )
        on_api = {"restApi": [api]}
        validator = s.add(
            "aws:apigateway/requestValidator:RequestValidator",
            f"{name}-validator",
            {"name": "all", "restApi": U, "validateRequestBody": True, "validateRequestParameters": True},
            on_api,
        )
        pool = self.user_pool(f"{name}-users")
        authorizer = s.add(
            "aws:apigateway/authorizer:Authorizer",
            f"{name}-authorizer",
            {"name": "cognito", "restApi": U, "type": "COGNITO_USER_POOLS", "providerArns": [U]},
            {**on_api, "providerArns": [pool]},
        )
        resource = s.add(
            "aws:apigateway/resource:Resource",
            f"{name}-chat",
            {"restApi": U, "parentId": U, "pathPart": "chat"},
            {**on_api, "parentId": [api]},
        )
        method = s.add(
            "aws:apigateway/method:Method",
            f"{name}-post",
            {
                "restApi": U,
                "resourceId": U,
                "httpMethod": "POST",
                "authorization": "COGNITO_USER_POOLS",
                "authorizerId": U,
                "requestValidatorId": U,
            },
            {**on_api, "resourceId": [resource], "authorizerId": [authorizer], "requestValidatorId": [validator]},
        )
        options = s.add(
            "aws:apigateway/method:Method",
            f"{name}-options",
            {"restApi": U, "resourceId": U, "httpMethod": "OPTIONS", "authorization": "NONE"},
            {**on_api, "resourceId": [resource]},
        )
        s.add(
            "aws:apigateway/integration:Integration",
            f"{name}-integration",
            {"restApi": U, "resourceId": U, "httpMethod": "POST", "type": "AWS_PROXY", "uri": U},
            {**on_api, "resourceId": [resource], "uri": [handler]},
        )
        self.permission(f"{name}-invoke", handler, "apigateway.amazonaws.com", api)
        deployment = s.add("aws:apigateway/deployment:Deployment", f"{name}-deployment", {"restApi": U}, on_api)
        access = self.log_group(f"{name}-access-logs", logs_key)
        fmt = json.dumps({"requestId": "$context.requestId", "status": "$context.status"})
        stage = s.add(
            "aws:apigateway/stage:Stage",
            f"{name}-stage",
            {
                "restApi": U,
                "deployment": U,
                "stageName": "v1",
                "xrayTracingEnabled": True,
                "cacheClusterEnabled": False,
                "accessLogSettings": {"destinationArn": U, "format": fmt},
            },
            {**on_api, "deployment": [deployment], "accessLogSettings": [access]},
        )
        settings = s.add(
            "aws:apigateway/methodSettings:MethodSettings",
            f"{name}-settings",
            {
                "restApi": U,
                "stageName": "v1",
                "methodPath": "*/*",
                "settings": {
                    "loggingLevel": "ERROR",
                    "metricsEnabled": True,
                    "dataTraceEnabled": False,
                    "cachingEnabled": False,
                    "throttlingRateLimit": 25.0,
                    "throttlingBurstLimit": 50.0,
                },
            },
            {**on_api, "stageName": [stage]},
        )
        found = {
            "api": api,
            "method": method,
            "options": options,
            "stage": stage,
            "settings": settings,
            "validator": validator,
            "pool": pool,
        }
        if owner:
            role = self.role("apigateway-cloudwatch-role", "apigateway.amazonaws.com")
            found["account"] = s.add(
                "aws:apigateway/account:Account",
                "apigateway-account",
                {"cloudwatchRoleArn": U},
                {"cloudwatchRoleArn": [role]},
            )
        return found

    def user_pool(self, name: str) -> str:
        return self.s.add(
            "aws:cognito/userPool:UserPool",
            name,
            {
                "name": f"ap-{name}",
                "mfaConfiguration": "ON",
                "softwareTokenMfaConfiguration": {"enabled": True},
                "deletionProtection": "ACTIVE",
                "passwordPolicy": {
                    "minimumLength": 14.0,
                    "requireLowercase": True,
                    "requireUppercase": True,
                    "requireNumbers": True,
                    "requireSymbols": True,
                    "temporaryPasswordValidityDays": 3.0,
                },
            },
            protect=DATA_BEARING_PROTECT,
        )

    def web_acl(self, name: str, stage: str, logs_key: str) -> str:
        def visibility(metric: str) -> dict[str, Any]:
            return {"cloudwatchMetricsEnabled": True, "sampledRequestsEnabled": True, "metricName": metric}

        rules = [
            {
                "name": group,
                "priority": float(i),
                "overrideAction": {"none": {}},
                "statement": {"managedRuleGroupStatement": {"name": group, "vendorName": "AWS"}},
                "visibilityConfig": visibility(group),
            }
            for i, group in enumerate(
                (
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesKnownBadInputsRuleSet",
                    "AWSManagedRulesAmazonIpReputationList",
                )
            )
        ]
        rules.append(
            {
                "name": "rate",
                "priority": 9.0,
                "action": {"block": {}},
                "statement": {"rateBasedStatement": {"limit": 500.0, "aggregateKeyType": "IP"}},
                "visibilityConfig": visibility("rate"),
            }
        )
        acl = self.s.add(
            "aws:wafv2/webAcl:WebAcl",
            name,
            {
                "name": f"ap-{name}",
                "scope": "REGIONAL",
                "defaultAction": {"allow": {}},
                "rules": rules,
                "visibilityConfig": visibility(name),
            },
        )
        self.s.add(
            "aws:wafv2/webAclAssociation:WebAclAssociation",
            f"{name}-association",
            {"resourceArn": U, "webAclArn": U},
            {"resourceArn": [stage], "webAclArn": [acl]},
        )
        group = self.log_group(f"{name}-logs", logs_key, f"aws-waf-logs-ap-{name}")
        self.s.add(
            "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
            f"{name}-logging",
            {"resourceArn": U, "logDestinationConfigs": [U]},
            {"resourceArn": [acl], "logDestinationConfigs": [group]},
        )
        return acl

    # --- async work -----------------------------------------------------------------------------------

    def async_worker(self, name: str, key: str, logs_key: str) -> dict[str, str]:
        """A function triggered by EventBridge and Scheduler, failing over to a queue."""
        s = self.s
        function = self.function(name, key, logs_key)
        failures, _ = self.queue_with_dlq(f"{name}-failures", key)
        s.add(
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
            f"{name}-invoke-config",
            {
                "functionName": f"ap-{name}",
                "destinationConfig": {"onFailure": {"destination": U}},
                "maximumRetryAttempts": 2.0,
            },
            {"functionName": [function], "destinationConfig": [failures]},
        )
        bus = s.add(
            "aws:cloudwatch/eventBus:EventBus",
            f"{name}-bus",
            {"name": f"ap-{name}", "kmsKeyIdentifier": U},
            {"kmsKeyIdentifier": [key]},
        )
        s.add(
            "aws:cloudwatch/eventArchive:EventArchive",
            f"{name}-archive",
            {"name": f"ap-{name}", "eventSourceArn": U, "kmsKeyIdentifier": U, "retentionDays": 30.0},
            {"eventSourceArn": [bus], "kmsKeyIdentifier": [key]},
        )
        rule = s.add(
            "aws:cloudwatch/eventRule:EventRule",
            f"{name}-rule",
            {"name": f"ap-{name}", "eventBusName": U, "eventPattern": json.dumps({"source": ["ap"]})},
            {"eventBusName": [bus]},
        )
        target = s.add(
            "aws:cloudwatch/eventTarget:EventTarget",
            f"{name}-target",
            {
                "rule": U,
                "arn": U,
                "deadLetterConfig": {"arn": U},
                "retryPolicy": {"maximumEventAgeInSeconds": 3600.0, "maximumRetryAttempts": 2.0},
            },
            {"rule": [rule], "arn": [function], "deadLetterConfig": [failures]},
        )
        self.permission(f"{name}-events", function, "events.amazonaws.com", rule)
        role = self.role(f"{name}-scheduler-role", "scheduler.amazonaws.com")
        schedule = s.add(
            "aws:scheduler/schedule:Schedule",
            f"{name}-schedule",
            {
                "name": f"ap-{name}",
                "scheduleExpression": "rate(1 day)",
                "flexibleTimeWindow": {"mode": "OFF"},
                "kmsKeyArn": U,
                "target": {"arn": U, "roleArn": U, "deadLetterConfig": {"arn": U}},
            },
            {"kmsKeyArn": [key], "target": [function, role, failures]},
        )
        return {"function": function, "failures": failures, "bus": bus, "target": target, "schedule": schedule}

    def consumer(self, name: str, queue: str, key: str, logs_key: str) -> str:
        function = self.function(name, key, logs_key)
        return self.s.add(
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            f"{name}-mapping",
            {"functionName": f"ap-{name}", "eventSourceArn": U, "functionResponseTypes": ["ReportBatchItemFailures"]},
            {"functionName": [function], "eventSourceArn": [queue]},
        )


def build_platform(stack: Stack, owner: bool) -> dict[str, str]:
    """A compliant mini platform in every tier (run's protect and deletion protection included)."""
    p = Platform(stack)
    found: dict[str, str] = {}
    found["data_key"] = data = p.key("data-key")
    found["logs_key"] = logs = p.key("logs-key")
    found["agents_key"] = agents = p.key("agents-key")
    found["data_alias"] = p.alias("data-alias", data)
    found["access_logs"] = p.bucket("access-logs", None, access_logs=True)
    found["documents"] = p.bucket("documents", data, log_target=found["access_logs"])
    found["vectors"], found["index"] = p.vector_store("vectors", data)
    found["table"] = p.table("sessions", data)
    found["handler"] = p.function("orchestrator", data, logs)
    found["tool"] = p.function("tool", data, logs)
    found["queue"], found["dlq"] = p.queue_with_dlq("work", data)
    found["topic"] = p.topic("alarms", data)
    found["machine"] = p.state_machine("workflow", data, logs)
    found["guardrail"], found["guardrail_version"] = p.guardrail("guardrail", agents)
    found["agent"] = p.agent("assistant", agents, found["guardrail"], found["guardrail_version"])
    found["agent_alias"] = p.alias_of("assistant-alias", found["agent"])
    found["collaborator_agent"] = p.agent("searcher", agents, found["guardrail"], found["guardrail_version"])
    found["collaborator_alias"] = p.alias_of("searcher-alias", found["collaborator_agent"])
    found["collaborator"] = stack.add(
        "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator",
        "searcher-collaborator",
        {
            "agentId": U,
            "collaboratorName": "searcher",
            "agentDescriptor": {"aliasArn": U},
            "collaborationInstruction": "Search the handbook.",
        },
        {"agentId": [found["agent"]], "agentDescriptor": [found["collaborator_alias"]]},
    )
    found["action_group"] = p.action_group("tickets", found["agent"], found["tool"])
    found["tool_permission"] = p.permission("tool-invoke", found["tool"], "bedrock.amazonaws.com", found["agent"])
    found["knowledge_base"], found["data_source"] = p.knowledge_base(
        "handbook", agents, found["documents"], found["index"]
    )
    api = p.api("api", logs, found["handler"], owner)
    found.update({f"api_{k}": v for k, v in api.items()})
    found["web_acl"] = p.web_acl("firewall", api["stage"], logs)
    worker = p.async_worker("sync", data, logs)
    found.update({f"sync_{k}": v for k, v in worker.items()})
    found["mapping"] = p.consumer("consumer", found["queue"], data, logs)
    found["alarm"] = stack.add(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "errors-alarm",
        {
            "name": "ap-errors",
            "comparisonOperator": "GreaterThanThreshold",
            "evaluationPeriods": 1.0,
            "threshold": 1.0,
            "metricName": "Errors",
            "namespace": "AWS/Lambda",
            "period": 300.0,
            "statistic": "Sum",
            "alarmActions": [U],
        },
        {"alarmActions": [found["topic"]]},
    )
    found["secret"] = stack.add(
        "aws:secretsmanager/secret:Secret",
        "api-secret",
        {"name": "ap-secret", "kmsKeyId": U},
        {"kmsKeyId": [data]},
        protect=True,
    )
    found["secret_rotation"] = stack.add(
        "aws:secretsmanager/secretRotation:SecretRotation",
        "api-secret-rotation",
        {"secretId": U, "rotationLambdaArn": U, "rotationRules": {"automaticallyAfterDays": 30.0}},
        {"secretId": [found["secret"]], "rotationLambdaArn": [found["tool"]]},
    )
    found["function_url"] = stack.add(
        "aws:lambda/functionUrl:FunctionUrl",
        "tool-url",
        {"functionName": U, "authorizationType": "AWS_IAM"},
        {"functionName": [found["tool"]]},
    )
    if owner:
        found["invocation_logging"] = p.invocation_logging(logs)
    return found


def api_case(name: str, change: Any) -> Any:
    """A case on a fresh API of its own (named `name`), so it can share the stack with the baseline.

    `change(stack, api)` gets the API's URNs under the baseline's keys (api_stage, api_settings, ...)
    and returns the URN to judge.
    """

    def build(stack: Stack, p: Platform, found: dict[str, str]) -> str:
        api = p.api(name, found["logs_key"], found["handler"], owner=False)
        return change(stack, {f"api_{k}": v for k, v in api.items()})

    return build
