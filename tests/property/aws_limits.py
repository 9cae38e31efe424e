"""What AWS accepts for the names and texts the platform sends it, per resource type and input.

Constraints are those of the services' API references (CreateRole, CreateFunction, CreateAgent, ...),
written down independently of `components.base.naming`, whose output they judge. `scope` says where a name
must be unique: None = per type in the account and region (IAM and S3 names: account-wide or global,
a stricter reading that holds too); otherwise the input naming the parent (an agent's action groups
are unique per agent).
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

BEDROCK_NAME = r"([0-9a-zA-Z][_-]?){1,100}"
IAM_NAME = r"[\w+=,.@-]+"
IAM_TEXT = r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*"  # IAM role descriptions: Latin-1 only


@dataclass(frozen=True)
class Rule:
    prop: str
    max_length: int
    pattern: str | None = None
    min_length: int = 1
    unique: bool = True  # a name (unique in its scope) or a text (description)
    scope: str | None = None
    case_insensitive: bool = False


NAMES: dict[str, tuple[Rule, ...]] = {
    "aws:iam/role:Role": (Rule("name", 64, IAM_NAME, case_insensitive=True),),
    "aws:iam/rolePolicy:RolePolicy": (Rule("name", 128, IAM_NAME, scope="role"),),
    "aws:iam/policy:Policy": (Rule("name", 128, IAM_NAME, case_insensitive=True),),
    "aws:s3/bucket:Bucket": (Rule("bucket", 63, r"[a-z0-9][a-z0-9.-]*[a-z0-9]", min_length=3),),
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": (
        Rule("vectorBucketName", 63, r"[a-z0-9][a-z0-9-]*[a-z0-9]", min_length=3),
    ),
    "aws:s3/vectorsIndex:VectorsIndex": (
        Rule("indexName", 63, r"[a-z0-9][a-z0-9.-]*[a-z0-9]", min_length=3, scope="vectorBucketName"),
    ),
    "aws:lambda/function:Function": (Rule("name", 64, r"[a-zA-Z0-9_-]+"),),
    "aws:cloudwatch/logGroup:LogGroup": (Rule("name", 512, r"[\.\-_/#A-Za-z0-9]+"),),
    "aws:dynamodb/table:Table": (Rule("name", 255, r"[a-zA-Z0-9_.-]+", min_length=3),),
    "aws:sqs/queue:Queue": (Rule("name", 80, r"[A-Za-z0-9_-]+(\.fifo)?"),),
    "aws:sns/topic:Topic": (Rule("name", 256, r"[A-Za-z0-9_-]+(\.fifo)?"),),
    "aws:sfn/stateMachine:StateMachine": (Rule("name", 80, r"[A-Za-z0-9_-]+"),),
    "aws:bedrock/agentAgent:AgentAgent": (Rule("agentName", 100, BEDROCK_NAME),),
    "aws:bedrock/agentAgentAlias:AgentAgentAlias": (Rule("agentAliasName", 100, BEDROCK_NAME, scope="agentId"),),
    "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup": (
        Rule("actionGroupName", 100, BEDROCK_NAME, scope="agentId"),
    ),
    "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator": (
        Rule("collaboratorName", 100, BEDROCK_NAME, scope="agentId"),
    ),
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": (Rule("name", 100, BEDROCK_NAME),),
    "aws:bedrock/agentDataSource:AgentDataSource": (Rule("name", 100, BEDROCK_NAME, scope="knowledgeBaseId"),),
    "aws:bedrock/guardrail:Guardrail": (Rule("name", 50, r"[0-9a-zA-Z_-]+"),),
    "aws:kms/alias:Alias": (Rule("name", 256, r"alias/(?!aws/)[a-zA-Z0-9/_-]+"),),
    "aws:cloudwatch/eventBus:EventBus": (Rule("name", 256, r"[/\.\-_A-Za-z0-9]+"),),
    "aws:cloudwatch/eventRule:EventRule": (Rule("name", 64, r"[\.\-_A-Za-z0-9]+", scope="eventBusName"),),
    "aws:cloudwatch/eventArchive:EventArchive": (Rule("name", 48, r"[\.\-_A-Za-z0-9]+"),),
    "aws:scheduler/schedule:Schedule": (Rule("name", 64, r"[0-9a-zA-Z_.-]+", scope="groupName"),),
    "aws:cognito/userPool:UserPool": (Rule("name", 128, r"[\w\s+=,.@-]+"),),
    "aws:cognito/userPoolClient:UserPoolClient": (Rule("name", 128, r"[\w\s+=,.@-]+", scope="userPoolId"),),
    "aws:apigateway/restApi:RestApi": (Rule("name", 1024),),
    "aws:apigateway/stage:Stage": (Rule("stageName", 128, r"[A-Za-z0-9_-]+", scope="restApi"),),
    "aws:apigateway/model:Model": (Rule("name", 255, r"[A-Za-z0-9]+", scope="restApi"),),
    "aws:apigateway/authorizer:Authorizer": (Rule("name", 1024, scope="restApi"),),
    "aws:apigateway/requestValidator:RequestValidator": (Rule("name", 1024, scope="restApi"),),
    "aws:wafv2/webAcl:WebAcl": (Rule("name", 128, r"[\w-]+", scope="scope"),),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (Rule("name", 255, r"[\x20-\x7E]+"),),
    "aws:cloudwatch/dashboard:Dashboard": (Rule("dashboardName", 255, r"[A-Za-z0-9_-]+"),),
    "aws:budgets/budget:Budget": (Rule("name", 100, r"[^:\\]+"),),
    "aws:xray/group:Group": (Rule("groupName", 32),),
}

_BEDROCK_TEXT = 200
TEXTS: dict[str, tuple[Rule, ...]] = {
    "aws:iam/role:Role": (Rule("description", 1000, IAM_TEXT, min_length=0, unique=False),),
    "aws:lambda/function:Function": (Rule("description", 256, min_length=0, unique=False),),
    "aws:bedrock/agentAgent:AgentAgent": (
        Rule("description", _BEDROCK_TEXT, unique=False),
        Rule("instruction", 20_000, min_length=40, unique=False),
    ),
    "aws:bedrock/agentAgentAlias:AgentAgentAlias": (Rule("description", _BEDROCK_TEXT, unique=False),),
    "aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup": (Rule("description", _BEDROCK_TEXT, unique=False),),
    "aws:bedrock/agentAgentKnowledgeBaseAssociation:AgentAgentKnowledgeBaseAssociation": (
        Rule("description", _BEDROCK_TEXT, unique=False),
    ),
    "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator": (
        Rule("collaborationInstruction", 4000, unique=False),
    ),
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": (Rule("description", _BEDROCK_TEXT, unique=False),),
    "aws:bedrock/agentDataSource:AgentDataSource": (Rule("description", _BEDROCK_TEXT, unique=False),),
    "aws:bedrock/guardrail:Guardrail": (Rule("description", _BEDROCK_TEXT, unique=False),),
    "aws:bedrock/guardrailVersion:GuardrailVersion": (Rule("description", _BEDROCK_TEXT, unique=False),),
    "aws:kms/key:Key": (Rule("description", 8192, min_length=0, unique=False),),
    "aws:cloudwatch/eventRule:EventRule": (Rule("description", 512, min_length=0, unique=False),),
    "aws:scheduler/schedule:Schedule": (Rule("description", 512, min_length=0, unique=False),),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (Rule("alarmDescription", 1024, min_length=0, unique=False),),
}


def fits(rule: Rule, value: str) -> str | None:
    """Why AWS would refuse `value` for `rule`, or None."""
    if not rule.min_length <= len(value) <= rule.max_length:
        return f"{rule.prop} {value!r} has {len(value)} characters; AWS allows {rule.min_length}-{rule.max_length}"
    if rule.pattern is not None and not re.fullmatch(rule.pattern, value, re.DOTALL):
        return f"{rule.prop} {value!r} does not match AWS's pattern {rule.pattern}"
    return None


def _bucket_problems(name: str) -> list[str]:
    """S3 general-purpose bucket naming rules beyond the character set."""
    problems = []
    if ".." in name:
        problems.append(f"bucket {name!r} has two adjacent periods")
    if name.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or name.endswith(
        ("-s3alias", "--ol-s3", ".mrap", "--x-s3")
    ):
        problems.append(f"bucket {name!r} uses a prefix or suffix S3 reserves")
    try:
        ipaddress.IPv4Address(name)
        problems.append(f"bucket {name!r} is formatted as an IP address")
    except ValueError:
        pass
    return problems


def problems(registrations: list[Any]) -> list[str]:
    """Every name or text outside AWS's limits, and every name used twice in its scope."""
    found: list[str] = []
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for registration in registrations:
        for rule in NAMES.get(registration.type, ()) + TEXTS.get(registration.type, ()):
            value = registration.inputs.get(rule.prop)
            if not isinstance(value, str):
                if rule.unique and rule.min_length > 0 and value is None:
                    found.append(f"{registration.name}: {rule.prop} is not set, so AWS (or Pulumi) picks a random name")
                continue
            problem = fits(rule, value)
            if problem:
                found.append(f"{registration.name}: {problem}")
            if registration.type == "aws:s3/bucket:Bucket":
                found += [f"{registration.name}: {p}" for p in _bucket_problems(value)]
            if rule.unique:
                scope = str(registration.inputs.get(rule.scope, "")) if rule.scope else ""
                name = value.lower() if rule.case_insensitive else value
                seen[(registration.type, scope, name)].append(registration.name)
    for (type_, _, name), owners in sorted(seen.items()):
        if len(owners) > 1:
            found.append(f"{type_} name {name!r} is used by {len(owners)} resources: {', '.join(sorted(owners))}")
    return found
