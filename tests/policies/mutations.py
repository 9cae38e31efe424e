"""A catalogue of single security-degrading changes to a stage's real resources.

Each mutation names the resources it can degrade in a recorded program run (`candidates`), applies
one change to one of them (`apply`), and says which resource must then carry a new mandatory
violation (`target`, "" for the stack as a whole) and which policy is expected to raise it. Edits
touch inputs and outputs alike (Analyze reads inputs, AnalyzeStack outputs) and the property
dependencies that go with a removed reference.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from engine.recorder import Registration
from environments.models import CATALOGUE as MODEL_CATALOGUE
from environments.models import Lifecycle
from environments.tiers import TierProfile
from tests.policies.builders import drop_path, set_path

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
PERMISSION = "aws:lambda/permission:Permission"
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
VECTOR_BUCKET = "aws:s3/vectorsVectorBucket:VectorsVectorBucket"
TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
AGENT = "aws:bedrock/agentAgent:AgentAgent"
GUARDRAIL = "aws:bedrock/guardrail:Guardrail"
GUARDRAIL_VERSION = "aws:bedrock/guardrailVersion:GuardrailVersion"
ACTION_GROUP = "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup"
DATA_SOURCE = "aws:bedrock/agentDataSource:AgentDataSource"
INVOCATION_LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
STAGE = "aws:apigateway/stage:Stage"
METHOD = "aws:apigateway/method:Method"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"
QUEUE = "aws:sqs/queue:Queue"
TOPIC = "aws:sns/topic:Topic"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
EVENT_BUS = "aws:cloudwatch/eventBus:EventBus"
SCHEDULE = "aws:scheduler/schedule:Schedule"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
USER_POOL = "aws:cognito/userPool:UserPool"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
PROVIDER = "pulumi:providers:aws"


class RunView:
    """A copy-on-write view of a program run's registrations with graph lookups and edit helpers.

    Registrations are shared with the run (and with the view a fork came from) until edited; `edit()`
    copies one before it changes, so forking a view per mutation costs almost nothing.
    """

    def __init__(self, registrations: list[Registration], tier: TierProfile, owns_singletons: bool) -> None:
        self.registrations = {r.urn: r for r in registrations}
        self.tier = tier
        self.owns_singletons = owns_singletons
        self._owned: set[str] = set()
        self._dependents: dict[str, set[str]] | None = None

    def fork(self) -> RunView:
        view = copy.copy(self)
        view.registrations = dict(self.registrations)
        view._owned = set()
        view._dependents = None
        return view

    def edit(self, urn: str) -> Registration:
        """The registration of `urn`, copied first if it is still shared."""
        if urn not in self._owned:
            self.registrations[urn] = copy.deepcopy(self.registrations[urn])
            self._owned.add(urn)
        self._dependents = None
        return self.registrations[urn]

    # --- lookups ----------------------------------------------------------------------------------

    def of_type(self, type_: str) -> list[str]:
        return [u for u, r in self.registrations.items() if r.type == type_]

    def props(self, urn: str) -> dict[str, Any]:
        return self.registrations[urn].inputs

    def get(self, urn: str, path: str) -> Any:
        data: Any = self.props(urn)
        for part in path.split("."):
            if isinstance(data, list) and part.isdigit() and int(part) < len(data):
                data = data[int(part)]
            elif isinstance(data, dict) and part in data:
                data = data[part]
            else:
                return None
        return data

    def deps(self, urn: str, prop: str, type_: str | None = None) -> list[str]:
        found = self.registrations[urn].property_dependencies.get(prop, [])
        return [u for u in found if u in self.registrations and (type_ is None or self.registrations[u].type == type_)]

    def dependents(self, urn: str, type_: str, prop: str | None = None) -> list[str]:
        return [
            u
            for u, r in self.registrations.items()
            if r.type == type_ and any(urn in deps for p, deps in r.property_dependencies.items() if prop in (None, p))
        ]

    def neighbours(self, urn: str) -> tuple[set[str], set[str]]:
        """(dependencies, dependents) of a resource."""
        if self._dependents is None:
            self._dependents = {}
            for other, registration in self.registrations.items():
                for dependency in registration.dependencies:
                    self._dependents.setdefault(dependency, set()).add(other)
        registration = self.registrations.get(urn)
        dependencies = set(registration.dependencies) if registration else set()
        return dependencies, self._dependents.get(urn, set())

    # --- edits (inputs and outputs alike) -----------------------------------------------------------

    def _both(self, urn: str) -> Iterator[dict[str, Any]]:
        registration = self.edit(urn)
        yield registration.inputs
        if registration.custom:
            yield registration.outputs

    def set(self, urn: str, path: str, value: Any) -> None:
        for data in self._both(urn):
            set_path(data, path, copy.deepcopy(value))

    def drop(self, urn: str, path: str, prop: str | None = None) -> None:
        for data in self._both(urn):
            with contextlib.suppress(KeyError, IndexError):
                drop_path(data, path)
        if prop is not None:
            self.undepend(urn, prop)

    def undepend(self, urn: str, prop: str, only: list[str] | None = None) -> None:
        registration = self.edit(urn)
        removed = registration.property_dependencies.get(prop, [])
        kept = [u for u in removed if only is not None and u not in only]
        if kept:
            registration.property_dependencies[prop] = kept
        else:
            registration.property_dependencies.pop(prop, None)
        still = {u for deps in registration.property_dependencies.values() for u in deps}
        registration.dependencies = [u for u in registration.dependencies if u in still or u not in removed]

    def remove(self, urn: str) -> None:
        del self.registrations[urn]
        self._dependents = None

    def add(self, like: str, type_: str, name: str, inputs: dict[str, Any], deps: dict[str, list[str]]) -> str:
        """A new custom resource registered like `like` (same parent and provider)."""
        template = self.registrations[like]
        urn = f"{template.urn.rsplit('::', 2)[0]}::{type_}::{name}"
        self._owned.add(urn)
        self._dependents = None
        self.registrations[urn] = Registration(
            urn=urn,
            type=type_,
            name=name,
            custom=True,
            parent=template.parent,
            provider=template.provider,
            id="",
            inputs=copy.deepcopy(inputs),
            outputs=copy.deepcopy(inputs),
            dependencies=sorted({u for us in deps.values() for u in us}),
            property_dependencies=deps,
        )
        return urn

    def policy_document(self, urn: str, path: str = "policy") -> dict[str, Any]:
        """The document at `path` (a fresh empty one when unknown in preview)."""
        value = self.get(urn, path)
        try:
            document = json.loads(value) if isinstance(value, str) and value != U else None
        except json.JSONDecodeError:
            document = None
        return document if isinstance(document, dict) else {"Version": "2012-10-17", "Statement": []}

    def add_statement(self, urn: str, statement: dict[str, Any], path: str = "policy") -> None:
        document = self.policy_document(urn, path)
        statements = document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
        document["Statement"] = [*statements, statement]
        self.set(urn, path, json.dumps(document))


# Models the catalogue refuses (environments/models.py): what a careless pin would bring back.
LEGACY_MODEL = next(m.model_id for m in MODEL_CATALOGUE if m.status() is Lifecycle.LEGACY)
EOL_MODEL = next(m.model_id for m in MODEL_CATALOGUE if m.status() is Lifecycle.EOL)

Candidates = Callable[[RunView], list[str]]
Apply = Callable[[RunView, str], str]  # returns the URN that must carry the violation ("" = stack)


@dataclass(frozen=True)
class Mutation:
    id: str
    description: str
    expected: str  # the policy meant to catch it
    candidates: Candidates
    apply: Apply
    exclusive: bool = False  # changes something every resource sees (provider, stack-level)


def _of(type_: str, where: Callable[[RunView, str], bool] | None = None) -> Candidates:
    return lambda v: [u for u in v.of_type(type_) if where is None or where(v, u)]


def _set(path: str, value: Any) -> Apply:
    def apply(v: RunView, urn: str) -> str:
        v.set(urn, path, value)
        return urn

    return apply


def _drop(path: str) -> Apply:
    def apply(v: RunView, urn: str) -> str:
        v.drop(urn, path, prop=path.split(".")[0])
        return urn

    return apply


def _has(path: str) -> Callable[[RunView, str], bool]:
    return lambda v, u: v.get(u, path) not in (None, "", [], {})


def _statement(statement: dict[str, Any]) -> Apply:
    def apply(v: RunView, urn: str) -> str:
        v.add_statement(urn, statement)
        return urn

    return apply


def _satellite_of(satellite_type: str, link: str = "bucket") -> Candidates:
    """Buckets (or other parents) that have a satellite resource of `satellite_type`."""
    return lambda v: [u for u in v.of_type(BUCKET) if v.dependents(u, satellite_type, link)]


def _edit_satellite(satellite_type: str, path: str, value: Any, link: str = "bucket") -> Apply:
    def apply(v: RunView, bucket: str) -> str:
        for satellite in v.dependents(bucket, satellite_type, link):
            v.set(satellite, path, value)
        return bucket

    return apply


def _remove_satellite(satellite_type: str, link: str = "bucket") -> Apply:
    def apply(v: RunView, parent: str) -> str:
        for satellite in v.dependents(parent, satellite_type, link):
            v.remove(satellite)
        return parent

    return apply


def _cmk_buckets(v: RunView) -> list[str]:
    return [
        b
        for b in v.of_type(BUCKET)
        if any(
            v.get(s, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm") == "aws:kms"
            for s in v.dependents(b, SSE, "bucket")
        )
    ]


def _logged_buckets(v: RunView) -> list[str]:
    return [b for b in v.of_type(BUCKET) if v.dependents(b, BUCKET_LOGGING, "bucket")]


def _agent_roles(v: RunView) -> list[str]:
    return [r for a in v.of_type(AGENT) for r in v.deps(a, "agentResourceRoleArn", ROLE)]


def _other_roles(v: RunView) -> list[str]:
    agents = set(_agent_roles(v))
    return [r for r in v.of_type(ROLE) if r not in agents]


def _classic_guardrail(v: RunView, urn: str) -> str:
    for policy in ("contentPolicyConfig", "topicPolicyConfig"):
        if v.get(urn, policy) is not None:
            v.set(urn, f"{policy}.tierConfigs", [{"tierName": "CLASSIC"}])
    v.drop(urn, "crossRegionConfig", prop="crossRegionConfig")  # Classic takes no guardrail profile
    return urn


def _short_window(v: RunView, urn: str) -> str:
    v.set(urn, "deletionWindowInDays", float(v.tier.kms_deletion_window_days - 1))
    return urn


def _public_key_policy(v: RunView, urn: str) -> str:
    v.add_statement(
        urn, {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
    )
    return urn


def _untrusted(v: RunView, urn: str) -> str:
    document = v.policy_document(urn, "assumeRolePolicy")
    for statement in document["Statement"]:
        statement.pop("Condition", None)
    v.set(urn, "assumeRolePolicy", json.dumps(document))
    return urn


def _service_permissions(v: RunView) -> list[str]:
    return [
        p
        for p in v.of_type(PERMISSION)
        if str(v.get(p, "principal")).endswith(".amazonaws.com") and v.get(p, "sourceArn")
    ]


def _sse_s3(v: RunView, bucket: str) -> str:
    for sse in v.dependents(bucket, SSE, "bucket"):
        v.set(sse, "rules", [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}])
        v.undepend(sse, "rules")
    return bucket


def _vectors_sse_s3(v: RunView, urn: str) -> str:
    v.set(urn, "encryptionConfigurations", [{"sseType": "AES256"}])
    v.undepend(urn, "encryptionConfigurations")
    return urn


def _tier(flag: str, candidates: Candidates) -> Candidates:
    return lambda v: candidates(v) if getattr(v.tier, flag) else []


def _guardrail_detached(v: RunView, agent: str) -> str:
    v.drop(agent, "guardrailConfigurations", prop="guardrailConfigurations")
    return agent


def _guardrail_draft(v: RunView, agent: str) -> str:
    v.set(agent, "guardrailConfigurations.0.guardrailVersion", "DRAFT")
    v.undepend(agent, "guardrailConfigurations", only=v.deps(agent, "guardrailConfigurations", GUARDRAIL_VERSION))
    return agent


def _filter(kind: str, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> Apply:
    def apply(v: RunView, guardrail: str) -> str:
        filters = copy.deepcopy(v.get(guardrail, "contentPolicyConfig.filtersConfigs") or [])
        v.set(guardrail, "contentPolicyConfig.filtersConfigs", change(filters))
        return guardrail

    return apply


def _weaken_prompt_attack(filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**f, "inputStrength": "LOW"} if f.get("type") == "PROMPT_ATTACK" else f for f in filters]


def _confirmed_groups(v: RunView) -> list[str]:
    return [g for g in v.of_type(ACTION_GROUP) if "x-requireConfirmation" in str(v.get(g, "apiSchema.payload") or "")]


def _unconfirm(v: RunView, group: str) -> str:
    schema = json.loads(v.get(group, "apiSchema.payload"))
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("x-requireConfirmation", None)
    v.set(group, "apiSchema.payload", json.dumps(schema))
    return group


def _remove_invocation_logging(v: RunView, urn: str) -> str:
    v.remove(urn)
    return ""


def _unencrypted_invocation_logs(v: RunView, urn: str) -> str:
    for group in v.deps(urn, "loggingConfig", LOG_GROUP):
        v.drop(group, "kmsKeyId", prop="kmsKeyId")
    return urn


def _stages_with_settings(v: RunView) -> list[str]:
    return [s for s in v.of_type(STAGE) if v.dependents(s, METHOD_SETTINGS, "stageName")]


def _settings(path: str, value: Any) -> Apply:
    def apply(v: RunView, stage: str) -> str:
        for settings in v.dependents(stage, METHOD_SETTINGS, "stageName"):
            if value is None:
                v.drop(settings, path)
            else:
                v.set(settings, path, value)
        return stage

    return apply


def _closed_methods(v: RunView) -> list[str]:
    return [m for m in v.of_type(METHOD) if v.get(m, "httpMethod") != "OPTIONS"]


def _queue_sqs_sse(v: RunView, queue: str) -> str:
    v.drop(queue, "kmsMasterKeyId", prop="kmsMasterKeyId")
    v.set(queue, "sqsManagedSseEnabled", True)
    return queue


def _async_functions(v: RunView) -> list[str]:
    return [f for f in v.of_type(FUNCTION) if v.dependents(f, INVOKE_CONFIG, "functionName")]


def _waf_without(group: str) -> Apply:
    def apply(v: RunView, acl: str) -> str:
        v.set(acl, "rules", [r for r in v.get(acl, "rules") or [] if group not in json.dumps(r)])
        return acl

    return apply


def _untag_provider(v: RunView, provider: str) -> str:
    tags = json.loads(v.get(provider, "defaultTags") or "{}").get("tags", {})
    tags.pop("cost-center", None)
    v.set(provider, "defaultTags", json.dumps({"tags": tags}))
    users = [u for u, r in v.registrations.items() if r.provider.startswith(provider) and r.type == TABLE]
    return users[0] if users else ""


def _unregistered(v: RunView, like: str) -> str:
    return v.add(
        like, "aws:ec2/instance:Instance", "mutation-instance", {"instanceType": "t3.micro", "ami": "ami-0"}, {}
    )


def _public_url(v: RunView, function: str) -> str:
    return v.add(
        function,
        "aws:lambda/functionUrl:FunctionUrl",
        "mutation-url",
        {"functionName": U, "authorizationType": "NONE"},
        {"functionName": [function]},
    )


def _shared_role(v: RunView, function: str) -> str:
    others = [f for f in v.of_type(FUNCTION) if f != function and v.deps(f, "role", ROLE)]
    role = v.deps(others[0], "role", ROLE)
    v.edit(function).property_dependencies["role"] = role
    return function


def _password_variable(v: RunView, function: str) -> str:
    v.set(function, "environment.variables.DB_PASSWORD", "hunter2")
    return function


def _public_bucket_policy(v: RunView, policy: str) -> str:
    v.add_statement(
        policy, {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    )
    return policy


CATALOGUE: tuple[Mutation, ...] = (
    # keys
    Mutation(
        "kms-rotation-off",
        "a KMS key stops rotating",
        "kms-key-rotation-enabled",
        _of(KEY),
        _set("enableKeyRotation", False),
    ),
    Mutation(
        "kms-window-short", "deletion window below the tier minimum", "kms-key-deletion-window", _of(KEY), _short_window
    ),
    Mutation(
        "kms-policy-public",
        "key policy lets anyone decrypt",
        "kms-key-policy-least-privilege",
        _of(KEY, _has("policy")),
        _public_key_policy,
    ),
    # IAM
    Mutation(
        "iam-action-star",
        "Action '*' added to a role policy",
        "iam-no-wildcard-actions",
        _of(ROLE_POLICY),
        _statement({"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}),
    ),
    Mutation(
        "iam-resource-star",
        "a restrictable action on Resource '*'",
        "iam-no-wildcard-resources",
        _of(ROLE_POLICY),
        _statement({"Sid": "AnyTable", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}),
    ),
    Mutation(
        "iam-not-action",
        "Allow with NotAction",
        "iam-no-not-action-or-not-resource",
        _of(ROLE_POLICY),
        _statement({"Sid": "Inverse", "Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::x"}),
    ),
    Mutation(
        "iam-pass-any-role",
        "iam:PassRole on every role",
        "iam-pass-role-scoped",
        _of(ROLE_POLICY),
        _statement(
            {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*"}
        ),
    ),
    Mutation(
        "iam-admin-attached",
        "AdministratorAccess attached to a role",
        "iam-no-privileged-managed-policies",
        _other_roles,
        _set("managedPolicyArns", ["arn:aws:iam::aws:policy/AdministratorAccess"]),
    ),
    Mutation(
        "iam-bedrock-full-access",
        "AmazonBedrockFullAccess on an agent role",
        "iam-no-privileged-managed-policies",
        _agent_roles,
        _set("managedPolicyArns", ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]),
    ),
    Mutation(
        "iam-trust-unpinned",
        "trust policy loses its confused-deputy conditions",
        "iam-trust-confused-deputy",
        _of(ROLE),
        _untrusted,
    ),
    Mutation(
        "lambda-permission-any-source",
        "a service permission without sourceArn",
        "lambda-permission-source-arn",
        _service_permissions,
        _drop("sourceArn"),
    ),
    Mutation(
        "lambda-shared-role",
        "a function takes another function's role",
        "lambda-function-unique-role",
        _of(FUNCTION),
        _shared_role,
    ),
    # S3
    Mutation(
        "s3-sse-removed",
        "a bucket loses its encryption configuration",
        "s3-bucket-cmk-encryption",
        _cmk_buckets,
        _remove_satellite(SSE),
    ),
    Mutation("s3-sse-s3", "a data bucket falls back to SSE-S3", "s3-bucket-cmk-encryption", _cmk_buckets, _sse_s3),
    Mutation(
        "s3-bucket-key-off",
        "bucket key disabled",
        "s3-bucket-cmk-encryption",
        _cmk_buckets,
        _edit_satellite(SSE, "rules.0.bucketKeyEnabled", False),
    ),
    Mutation(
        "s3-public-policies",
        "public bucket policies allowed",
        "s3-bucket-public-access-block",
        _satellite_of(PAB),
        _edit_satellite(PAB, "blockPublicPolicy", False),
    ),
    Mutation(
        "s3-tls-policy-removed",
        "TLS-only bucket policy removed",
        "s3-bucket-tls-only",
        _satellite_of(BUCKET_POLICY),
        _remove_satellite(BUCKET_POLICY),
    ),
    Mutation(
        "s3-versioning-suspended",
        "versioning suspended",
        "s3-bucket-versioning",
        _satellite_of(VERSIONING),
        _edit_satellite(VERSIONING, "versioningConfiguration.status", "Suspended"),
    ),
    Mutation(
        "s3-access-logs-removed",
        "server access logging removed",
        "s3-bucket-access-logging",
        _logged_buckets,
        _remove_satellite(BUCKET_LOGGING),
    ),
    Mutation(
        "s3-acls-enabled",
        "ACLs re-enabled (ObjectWriter)",
        "s3-bucket-ownership-enforced",
        _satellite_of(OWNERSHIP),
        _edit_satellite(OWNERSHIP, "rule.objectOwnership", "ObjectWriter"),
    ),
    Mutation(
        "s3-public-read",
        "bucket policy grants public read",
        "resource-policy-no-public-access",
        _of(BUCKET_POLICY),
        _public_bucket_policy,
    ),
    Mutation(
        "vectors-sse-s3",
        "vector bucket without the CMK",
        "s3-vectors-cmk-encryption",
        _of(VECTOR_BUCKET),
        _vectors_sse_s3,
    ),
    # DynamoDB, logs
    Mutation(
        "table-cmk-removed",
        "table key removed (AWS-owned key)",
        "dynamodb-table-cmk-encryption",
        _of(TABLE),
        _drop("serverSideEncryption.kmsKeyArn"),
    ),
    Mutation(
        "table-pitr-off",
        "point-in-time recovery off",
        "dynamodb-point-in-time-recovery",
        _tier("point_in_time_recovery", _of(TABLE)),
        _set("pointInTimeRecovery.enabled", False),
    ),
    Mutation(
        "table-deletion-protection-off",
        "table deletion protection off",
        "deletion-protection",
        _tier("deletion_protection", _of(TABLE)),
        _set("deletionProtectionEnabled", False),
    ),
    Mutation(
        "log-group-cmk-removed",
        "a log group's key removed",
        "log-group-cmk-encryption",
        _of(LOG_GROUP),
        _drop("kmsKeyId"),
    ),
    Mutation(
        "log-retention-short",
        "log retention cut to one day",
        "log-group-retention",
        _of(LOG_GROUP),
        _set("retentionInDays", 1.0),
    ),
    # Lambda
    Mutation(
        "lambda-tracing-off",
        "X-Ray tracing off",
        "lambda-tracing-active",
        _of(FUNCTION),
        _set("tracingConfig.mode", "PassThrough"),
    ),
    Mutation(
        "lambda-logging-detached",
        "function detached from its log group",
        "lambda-log-group-in-stack",
        _of(FUNCTION),
        _drop("loggingConfig"),
    ),
    Mutation(
        "lambda-env-key-removed",
        "environment variables under the AWS key",
        "lambda-environment-cmk-encryption",
        _of(FUNCTION, _has("environment.variables")),
        _drop("kmsKeyArn"),
    ),
    Mutation(
        "lambda-env-password",
        "a literal password in the environment",
        "lambda-environment-no-secrets",
        _of(FUNCTION, _has("environment.variables")),
        _password_variable,
    ),
    Mutation(
        "lambda-runtime-eol",
        "an end-of-life runtime",
        "lambda-runtime-supported",
        _of(FUNCTION),
        _set("runtime", "python3.8"),
    ),
    Mutation(
        "lambda-memory-default",
        "memory size left to the default",
        "lambda-function-limits",
        _of(FUNCTION),
        _drop("memorySize"),
    ),
    Mutation(
        "lambda-async-destination-removed",
        "async failures dropped",
        "lambda-async-failure-destination",
        _async_functions,
        _remove_satellite(INVOKE_CONFIG, "functionName"),
    ),
    Mutation(
        "lambda-url-public", "a public function URL added", "lambda-function-url-auth", _of(FUNCTION), _public_url
    ),
    Mutation(
        "mapping-batch-failures",
        "event source mapping fails whole batches",
        "lambda-event-source-mapping-failures",
        _of(MAPPING),
        _set("functionResponseTypes", []),
    ),
    # Bedrock
    Mutation(
        "agent-guardrail-detached",
        "a guardrail detached from an agent",
        "bedrock-agent-guardrail-attached",
        _of(AGENT),
        _guardrail_detached,
    ),
    Mutation(
        "agent-guardrail-draft",
        "an agent runs the DRAFT guardrail",
        "bedrock-agent-guardrail-attached",
        _of(AGENT),
        _guardrail_draft,
    ),
    Mutation(
        "agent-cmk-removed",
        "agent without its CMK",
        "bedrock-agent-cmk-encryption",
        _of(AGENT),
        _drop("customerEncryptionKeyArn"),
    ),
    Mutation(
        "guardrail-prompt-attack-low",
        "prompt-attack filter lowered to LOW",
        "bedrock-guardrail-prompt-attack",
        _of(GUARDRAIL),
        _filter("PROMPT_ATTACK", _weaken_prompt_attack),
    ),
    Mutation(
        "guardrail-violence-removed",
        "violence filter removed",
        "bedrock-guardrail-content-filters",
        _of(GUARDRAIL),
        _filter("VIOLENCE", lambda fs: [f for f in fs if f.get("type") != "VIOLENCE"]),
    ),
    Mutation(
        "guardrail-pii-removed",
        "PII policy removed",
        "bedrock-guardrail-sensitive-information",
        _of(GUARDRAIL),
        _drop("sensitiveInformationPolicyConfig"),
    ),
    Mutation(
        "guardrail-message-empty",
        "blocked-output message emptied",
        "bedrock-guardrail-blocked-messaging",
        _of(GUARDRAIL),
        _set("blockedOutputsMessaging", ""),
    ),
    Mutation(
        "guardrail-grounding-removed",
        "contextual grounding removed",
        "bedrock-guardrail-contextual-grounding",
        _tier("contextual_grounding", _of(GUARDRAIL)),
        _drop("contextualGroundingPolicyConfig"),
    ),
    Mutation(
        "guardrail-tier-classic",
        "a Korean stage's guardrail set to the Classic tier (English, French, Spanish only)",
        "bedrock-guardrail-language-tier",
        _of(GUARDRAIL, _has("crossRegionConfig")),
        _classic_guardrail,
    ),
    Mutation(
        "agent-model-legacy",
        "an agent pinned to a Legacy model",
        "model-lifecycle-active",
        _of(AGENT),
        _set("foundationModel", LEGACY_MODEL),
    ),
    Mutation(
        "fallback-model-eol",
        "the orchestrator's fallback on an End-of-Life model",
        "model-lifecycle-active",
        _of(FUNCTION, _has("environment.variables.FALLBACK_MODEL_ID")),
        _set("environment.variables.FALLBACK_MODEL_ID", EOL_MODEL),
    ),
    Mutation(
        "guardrail-cmk-removed",
        "guardrail without its CMK",
        "bedrock-guardrail-cmk-encryption",
        _of(GUARDRAIL),
        _drop("kmsKeyArn"),
    ),
    Mutation(
        "data-source-cmk-removed",
        "knowledge-base ingestion without the CMK",
        "bedrock-data-source-cmk-encryption",
        _of(DATA_SOURCE),
        _drop("serverSideEncryptionConfiguration"),
    ),
    Mutation(
        "tool-confirmation-removed",
        "a mutating tool no longer asks for confirmation",
        "bedrock-action-group-confirmation",
        _confirmed_groups,
        _unconfirm,
    ),
    Mutation(
        "invocation-logging-removed",
        "model-invocation logging removed",
        "bedrock-model-invocation-logging",
        _of(INVOCATION_LOGGING),
        _remove_invocation_logging,
        exclusive=True,
    ),
    Mutation(
        "invocation-logs-unencrypted",
        "invocation log group without the CMK",
        "bedrock-model-invocation-logging",
        _of(INVOCATION_LOGGING),
        _unencrypted_invocation_logs,
    ),
    # API Gateway, WAF, Cognito
    Mutation(
        "api-tracing-off",
        "API stage tracing off",
        "apigateway-stage-tracing",
        _of(STAGE),
        _set("xrayTracingEnabled", False),
    ),
    Mutation(
        "api-access-logs-removed",
        "API access logs removed",
        "apigateway-stage-access-logging",
        _of(STAGE),
        _drop("accessLogSettings"),
    ),
    Mutation(
        "api-method-open",
        "an API method without authorization",
        "apigateway-method-authorization",
        _closed_methods,
        _set("authorization", "NONE"),
    ),
    Mutation(
        "api-validator-removed",
        "request validation removed",
        "apigateway-request-validation",
        _closed_methods,
        _drop("requestValidatorId"),
    ),
    Mutation(
        "api-execution-logging-off",
        "execution logging OFF",
        "apigateway-execution-logging",
        _stages_with_settings,
        _settings("settings.loggingLevel", "OFF"),
    ),
    Mutation(
        "api-throttling-removed",
        "stage throttling removed",
        "apigateway-throttling",
        _stages_with_settings,
        _settings("settings.throttlingRateLimit", None),
    ),
    Mutation(
        "waf-disassociated",
        "the API loses its web ACL",
        "apigateway-waf-protection",
        _tier("waf", lambda v: [s for s in v.of_type(STAGE) if v.dependents(s, WEB_ACL_ASSOCIATION, "resourceArn")]),
        _remove_satellite(WEB_ACL_ASSOCIATION, "resourceArn"),
    ),
    Mutation(
        "waf-log4j-removed",
        "KnownBadInputs rule group removed",
        "waf-web-acl-managed-rules",
        _of(WEB_ACL),
        _waf_without("AWSManagedRulesKnownBadInputsRuleSet"),
    ),
    Mutation(
        "waf-logging-removed",
        "web ACL logging removed",
        "waf-web-acl-logging",
        lambda v: [a for a in v.of_type(WEB_ACL) if v.dependents(a, WEB_ACL_LOGGING, "resourceArn")],
        _remove_satellite(WEB_ACL_LOGGING, "resourceArn"),
    ),
    Mutation(
        "cognito-mfa-off", "MFA switched off", "cognito-user-pool-mfa", _of(USER_POOL), _set("mfaConfiguration", "OFF")
    ),
    Mutation(
        "cognito-password-short",
        "6-character passwords",
        "cognito-user-pool-password-policy",
        _of(USER_POOL),
        _set("passwordPolicy.minimumLength", 6.0),
    ),
    # workflow, messaging, events
    Mutation(
        "sfn-logging-off",
        "state machine logging OFF",
        "sfn-state-machine-logging",
        _of(STATE_MACHINE),
        _set("loggingConfiguration.level", "OFF"),
    ),
    Mutation(
        "sfn-tracing-off",
        "state machine tracing off",
        "sfn-state-machine-tracing",
        _of(STATE_MACHINE),
        _set("tracingConfiguration.enabled", False),
    ),
    Mutation(
        "sfn-cmk-removed",
        "state machine on the AWS-owned key",
        "sfn-state-machine-cmk-encryption",
        _of(STATE_MACHINE),
        lambda v, u: (
            _drop("encryptionConfiguration")(v, u),
            _set("encryptionConfiguration", {"type": "AWS_OWNED_KEY"})(v, u),
        )[1],
    ),
    Mutation(
        "sqs-cmk-removed", "queue falls back to SQS-managed SSE", "sqs-queue-cmk-encryption", _of(QUEUE), _queue_sqs_sse
    ),
    Mutation(
        "sqs-dlq-removed",
        "a work queue loses its DLQ",
        "sqs-queue-dead-letter-queue",
        _of(QUEUE, _has("redrivePolicy")),
        _drop("redrivePolicy"),
    ),
    Mutation(
        "sns-cmk-removed", "topic without its CMK", "sns-topic-cmk-encryption", _of(TOPIC), _drop("kmsMasterKeyId")
    ),
    Mutation(
        "event-target-dlq-removed",
        "EventBridge target without DLQ",
        "async-delivery-dead-letter",
        _of(EVENT_TARGET, _has("deadLetterConfig")),
        _drop("deadLetterConfig"),
    ),
    Mutation(
        "event-bus-cmk-removed",
        "event bus without its CMK",
        "eventbridge-cmk-encryption",
        _of(EVENT_BUS, _has("kmsKeyIdentifier")),
        _drop("kmsKeyIdentifier"),
    ),
    Mutation(
        "schedule-cmk-removed",
        "schedule without its CMK",
        "eventbridge-cmk-encryption",
        _of(SCHEDULE, _has("kmsKeyArn")),
        _drop("kmsKeyArn"),
    ),
    Mutation(
        "alarm-actions-removed",
        "an alarm notifies nobody",
        "cloudwatch-alarm-actions",
        _of(ALARM),
        _set("alarmActions", []),
    ),
    # governance, tags
    Mutation(
        "cost-tag-removed",
        "cost-center dropped from the provider's default tags",
        "required-cost-tags",
        _of(PROVIDER, _has("defaultTags")),
        _untag_provider,
        exclusive=True,
    ),
    Mutation(
        "unregistered-type", "an EC2 instance nobody registered", "resource-type-registered", _of(KEY), _unregistered
    ),
)
