"""A deterministic fake AWS: ids, ARNs and computed outputs that providers would return.

In `preview` mode the fake cloud returns only what a provider knows before creating anything (the
inputs plus auto-names), so every computed value (ARN, id) stays unknown, as in `pulumi preview`.
In `up` mode it adds realistic, well-formed ids and ARNs in the format each AWS service uses, for
account 123456789012 and the stack's region. Everything derives from a hash of the URN: the same
program always yields the same ids.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Callable
from typing import Any

from pulumi.runtime import Mocks
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs

ACCOUNT_ID = "123456789012"
PARTITION = "aws"

Outputs = dict[str, Any]


def _digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def _alnum(seed: str, length: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    number = int(_digest(seed), 16)
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def _uuid(seed: str) -> str:
    h = _digest(seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class FakeIds:
    """Id and ARN builders for one region and account."""

    def __init__(self, region: str, account: str = ACCOUNT_ID) -> None:
        self.region = region
        self.account = account

    def arn(self, service: str, resource: str, *, regional: bool = True, with_account: bool = True) -> str:
        region = self.region if regional else ""
        account = self.account if with_account else ""
        return f"arn:{PARTITION}:{service}:{region}:{account}:{resource}"


# Physical-name property per resource type, and whether the provider auto-names it when absent.
_NAME_PROPERTIES: dict[str, str] = {
    "aws:iam/role:Role": "name",
    "aws:iam/policy:Policy": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:dynamodb/table:Table": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:lambda/function:Function": "name",
    "aws:sqs/queue:Queue": "name",
    "aws:sns/topic:Topic": "name",
    "aws:sfn/stateMachine:StateMachine": "name",
    "aws:cloudwatch/eventBus:EventBus": "name",
    "aws:cloudwatch/eventRule:EventRule": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:cognito/userPool:UserPool": "name",
    "aws:apigateway/restApi:RestApi": "name",
    "aws:kms/alias:Alias": "name",
    "aws:scheduler/schedule:Schedule": "name",
    "aws:wafv2/webAcl:WebAcl": "name",
    "aws:secretsmanager/secret:Secret": "name",
}


def physical_name(type_: str, logical: str, inputs: dict[str, Any]) -> str | None:
    """The physical name: the explicit one, or a Pulumi-style auto-name `<logical>-<7 hex>`."""
    prop = _NAME_PROPERTIES.get(type_)
    if prop is None:
        return None
    explicit = inputs.get(prop)
    if isinstance(explicit, str):
        return explicit
    suffix = _digest(f"{type_}::{logical}")[:7]
    return f"{logical}-{suffix}"


def _computed(type_: str, name: str, seed: str, inputs: dict[str, Any], ids: FakeIds) -> tuple[str, Outputs]:
    """(id, computed outputs) of a created resource, per AWS's id and ARN formats."""
    builder = _BUILDERS.get(type_)
    if builder is not None:
        return builder(name, seed, inputs, ids)
    # Any other AWS type: a well-formed ARN from the type token, e.g. aws:xray/group:Group.
    module, _, kind = type_.partition(":")[2].partition("/")
    rid = _alnum(seed, 12).lower()
    return rid, {"arn": ids.arn(module, f"{kind.split(':')[0]}/{name or rid}")}


def _kms_key(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    key_id = _uuid(seed)
    return key_id, {"arn": ids.arn("kms", f"key/{key_id}"), "keyId": key_id}


def _kms_alias(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    target = inputs.get("targetKeyId", "")
    return name, {"arn": ids.arn("kms", name), "targetKeyArn": target}


def _iam_role(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    path = inputs.get("path") or "/"
    arn = ids.arn("iam", f"role{path}{name}", regional=False)
    return name, {"arn": arn, "uniqueId": "AROA" + _alnum(seed, 17)}


def _iam_policy(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    path = inputs.get("path") or "/"
    arn = ids.arn("iam", f"policy{path}{name}", regional=False)
    return arn, {"arn": arn, "policyId": "ANPA" + _alnum(seed, 17)}


def _bucket(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    return name, {
        "arn": f"arn:{PARTITION}:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{ids.region}.amazonaws.com",
        "region": ids.region,
    }


def _table(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    arn = ids.arn("dynamodb", f"table/{name}")
    out: Outputs = {"arn": arn}
    if inputs.get("streamEnabled"):
        out["streamArn"] = f"{arn}/stream/2026-01-01T00:00:00.000"
    return name, out


def _log_group(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    return name, {"arn": ids.arn("logs", f"log-group:{name}")}


def _function(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    arn = ids.arn("lambda", f"function:{name}")
    invoke = f"arn:{PARTITION}:apigateway:{ids.region}:lambda:path/2015-03-31/functions/{arn}/invocations"
    return name, {"arn": arn, "invokeArn": invoke, "qualifiedArn": f"{arn}:$LATEST", "version": "$LATEST"}


def _queue(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    url = f"https://sqs.{ids.region}.amazonaws.com/{ids.account}/{name}"
    return url, {"arn": ids.arn("sqs", name), "url": url}


def _topic(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    arn = ids.arn("sns", name)
    return arn, {"arn": arn}


def _state_machine(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    arn = ids.arn("states", f"stateMachine:{name}")
    return arn, {"arn": arn, "stateMachineVersionArn": ""}


def _agent(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    agent_id = _alnum(seed, 10)
    return agent_id, {"agentId": agent_id, "agentArn": ids.arn("bedrock", f"agent/{agent_id}"), "agentVersion": "DRAFT"}


def _agent_alias(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    alias_id = _alnum(seed, 10)
    agent_id = inputs.get("agentId", "AGENT")
    arn = ids.arn("bedrock", f"agent-alias/{agent_id}/{alias_id}")
    return f"{alias_id},{agent_id}", {"agentAliasId": alias_id, "agentAliasArn": arn}


def _action_group(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    group_id = _alnum(seed, 10)
    return f"{group_id},{inputs.get('agentId', '')},DRAFT", {"actionGroupId": group_id}


def _collaborator(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    collaborator_id = _alnum(seed, 10)
    return f"{inputs.get('agentId', '')},DRAFT,{collaborator_id}", {"collaboratorId": collaborator_id}


def _guardrail(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    guardrail_id = _alnum(seed, 12).lower()
    arn = ids.arn("bedrock", f"guardrail/{guardrail_id}")
    return f"{guardrail_id},DRAFT", {"guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT"}


def _guardrail_version(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    return f"{inputs.get('guardrailArn', '')},1", {"version": "1"}


def _knowledge_base(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    kb_id = _alnum(seed, 10)
    return kb_id, {"arn": ids.arn("bedrock", f"knowledge-base/{kb_id}")}


def _data_source(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    ds_id = _alnum(seed, 10)
    return f"{ds_id},{inputs.get('knowledgeBaseId', '')}", {"dataSourceId": ds_id}


def _vector_bucket(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    bucket = inputs.get("vectorBucketName", name)
    arn = ids.arn("s3vectors", f"bucket/{bucket}")
    return arn, {"vectorBucketArn": arn}


def _vector_index(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    arn = ids.arn("s3vectors", f"bucket/{inputs.get('vectorBucketName', '')}/index/{inputs.get('indexName', name)}")
    return arn, {"indexArn": arn}


def _rest_api(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    api_id = _alnum(seed, 10, string.ascii_lowercase + string.digits)
    return api_id, {
        "arn": f"arn:{PARTITION}:apigateway:{ids.region}::/restapis/{api_id}",
        "executionArn": ids.arn("execute-api", api_id),
        "rootResourceId": _alnum(seed + "root", 10, string.ascii_lowercase + string.digits),
    }


def _api_stage(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    api_id, stage = inputs.get("restApi", ""), inputs.get("stageName", name)
    return f"ags-{api_id}-{stage}", {
        "arn": f"arn:{PARTITION}:apigateway:{ids.region}::/restapis/{api_id}/stages/{stage}",
        "executionArn": ids.arn("execute-api", f"{api_id}/{stage}"),
        "invokeUrl": f"https://{api_id}.execute-api.{ids.region}.amazonaws.com/{stage}",
    }


def _user_pool(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    pool_id = f"{ids.region}_{_alnum(seed, 9, string.ascii_letters + string.digits)}"
    return pool_id, {
        "arn": ids.arn("cognito-idp", f"userpool/{pool_id}"),
        "endpoint": f"cognito-idp.{ids.region}.amazonaws.com/{pool_id}",
    }


def _web_acl(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    acl_id = _uuid(seed)
    return acl_id, {"arn": ids.arn("wafv2", f"regional/webacl/{name}/{acl_id}")}


def _event_bus(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    return name, {"arn": ids.arn("events", f"event-bus/{name}")}


def _event_rule(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    bus = inputs.get("eventBusName")
    path = f"rule/{bus}/{name}" if bus and bus != "default" else f"rule/{name}"
    return f"{bus}/{name}" if bus else name, {"arn": ids.arn("events", path)}


def _alarm(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    return name, {"arn": ids.arn("cloudwatch", f"alarm:{name}")}


def _dashboard(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    dash = inputs.get("dashboardName", name)
    return dash, {"dashboardArn": ids.arn("cloudwatch", f"dashboard/{dash}", regional=False)}


def _budget(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    budget = inputs.get("name", name)
    return f"{ids.account}:{budget}", {"arn": f"arn:{PARTITION}:budgets::{ids.account}:budget/{budget}"}


def _schedule(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    group = inputs.get("groupName", "default")
    return f"{group}/{name}", {"arn": ids.arn("scheduler", f"schedule/{group}/{name}")}


def _secret(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    arn = ids.arn("secretsmanager", f"secret:{name}-{_alnum(seed, 6, string.ascii_letters)}")
    return arn, {"arn": arn}


def _provider(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
    return _uuid(seed), {}


def _plain_id(length: int = 10) -> Callable[[str, str, Outputs, FakeIds], tuple[str, Outputs]]:
    def build(name: str, seed: str, inputs: Outputs, ids: FakeIds) -> tuple[str, Outputs]:
        return _alnum(seed, length, string.ascii_lowercase + string.digits), {}

    return build


_BUILDERS: dict[str, Callable[[str, str, Outputs, FakeIds], tuple[str, Outputs]]] = {
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:iam/role:Role": _iam_role,
    "aws:iam/policy:Policy": _iam_policy,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:dynamodb/table:Table": _table,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:lambda/function:Function": _function,
    "aws:sqs/queue:Queue": _queue,
    "aws:sns/topic:Topic": _topic,
    "aws:sfn/stateMachine:StateMachine": _state_machine,
    "aws:bedrock/agentAgent:AgentAgent": _agent,
    "aws:bedrock/agentAgentAlias:AgentAgentAlias": _agent_alias,
    "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup": _action_group,
    "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator": _collaborator,
    "aws:bedrock/guardrail:Guardrail": _guardrail,
    "aws:bedrock/guardrailVersion:GuardrailVersion": _guardrail_version,
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": _knowledge_base,
    "aws:bedrock/agentDataSource:AgentDataSource": _data_source,
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": _vector_bucket,
    "aws:s3/vectorsIndex:VectorsIndex": _vector_index,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/stage:Stage": _api_stage,
    "aws:apigateway/resource:Resource": _plain_id(6),
    "aws:apigateway/deployment:Deployment": _plain_id(6),
    "aws:apigateway/authorizer:Authorizer": _plain_id(6),
    "aws:apigateway/requestValidator:RequestValidator": _plain_id(6),
    "aws:apigateway/model:Model": _plain_id(6),
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:cognito/userPoolClient:UserPoolClient": _plain_id(26),
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:cloudwatch/eventBus:EventBus": _event_bus,
    "aws:cloudwatch/eventRule:EventRule": _event_rule,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:budgets/budget:Budget": _budget,
    "aws:scheduler/schedule:Schedule": _schedule,
    "aws:secretsmanager/secret:Secret": _secret,
}


class FakeCloud(Mocks):
    """Pulumi `Mocks` whose resources and invokes behave like AWS for one account and region."""

    def __init__(self, region: str, preview: bool, account: str = ACCOUNT_ID) -> None:
        self.ids = FakeIds(region, account)
        self.preview = preview

    def provision(self, type_: str, name: str, urn: str, inputs: Outputs) -> tuple[str, Outputs]:
        """(id, outputs) for a registration; inputs are the engine's camelCase wire form."""
        outputs = dict(inputs)
        physical = physical_name(type_, name, inputs)
        if physical is not None:
            outputs[_NAME_PROPERTIES[type_]] = physical
        if type_.startswith("pulumi:providers:"):
            # Providers are configured, not created: their id is known even in preview.
            return _provider(name, urn, inputs, self.ids)[0], outputs
        if self.preview:
            return "", outputs
        resource_id, computed = _computed(type_, physical or name, urn, inputs, self.ids)
        outputs.update(computed)
        outputs.setdefault("id", resource_id)
        if "tags" in inputs and isinstance(inputs["tags"], dict):
            outputs.setdefault("tagsAll", dict(inputs["tags"]))
        return resource_id, outputs

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, Outputs]:
        return self.provision(args.typ, args.name, f"{args.typ}::{args.name}", dict(args.inputs))

    def call(self, args: MockCallArgs) -> tuple[Outputs, list[tuple[str, str]] | None]:
        """An invoke's result and its check failures (none: the invokes faked here take no arguments)."""
        handler = _INVOKES.get(args.token)
        return (handler(self.ids, args.args) if handler is not None else {}), []


def _caller_identity(ids: FakeIds, args: Outputs) -> Outputs:
    return {
        "accountId": ids.account,
        "arn": f"arn:{PARTITION}:iam::{ids.account}:user/platform-deployer",
        "userId": "AIDA" + _alnum("deployer", 17),
        "id": ids.account,
    }


def _region(ids: FakeIds, args: Outputs) -> Outputs:
    return {"name": ids.region, "region": ids.region, "id": ids.region, "endpoint": f"ec2.{ids.region}.amazonaws.com"}


def _partition(ids: FakeIds, args: Outputs) -> Outputs:
    return {"partition": PARTITION, "dnsSuffix": "amazonaws.com", "id": PARTITION, "reverseDnsPrefix": "com.amazonaws"}


_INVOKES: dict[str, Callable[[FakeIds, Outputs], Outputs]] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
}
