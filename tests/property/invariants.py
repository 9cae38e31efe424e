"""Invariants of a recorded program run, each a function returning the problems it finds ([] = holds).

They read what the engine recorded (types, inputs, parents, dependencies, property dependencies) and
nothing of the components' internals, so they judge the platform as the Pulumi engine and AWS see it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from engine.program import ProgramRun
from engine.recorder import STACK_TYPE, Registration
from environments import Environment
from environments.iam_allowlist import WILDCARD_RESOURCE_ACTIONS
from tests.property import aws_limits

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
AGENT = "aws:bedrock/agentAgent:AgentAgent"
GUARDRAIL = "aws:bedrock/guardrail:Guardrail"
GUARDRAIL_VERSION = "aws:bedrock/guardrailVersion:GuardrailVersion"
SCHEDULE = "aws:scheduler/schedule:Schedule"
EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"

# Data-bearing resource types and the top-level input through which their customer-managed key flows.
# (S3 buckets are encrypted by a separate BucketServerSideEncryptionConfiguration: see `unencrypted`.)
ENCRYPTED_BY: dict[str, str] = {
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": "encryptionConfigurations",
    "aws:s3/vectorsIndex:VectorsIndex": "encryptionConfigurations",
    "aws:dynamodb/table:Table": "serverSideEncryption",
    LOG_GROUP: "kmsKeyId",
    "aws:sqs/queue:Queue": "kmsMasterKeyId",
    "aws:sns/topic:Topic": "kmsMasterKeyId",
    "aws:sfn/stateMachine:StateMachine": "encryptionConfiguration",
    FUNCTION: "kmsKeyArn",  # environment variables
    AGENT: "customerEncryptionKeyArn",
    GUARDRAIL: "kmsKeyArn",
    "aws:bedrock/agentDataSource:AgentDataSource": "serverSideEncryptionConfiguration",
    "aws:cloudwatch/eventBus:EventBus": "kmsKeyIdentifier",
    "aws:cloudwatch/eventArchive:EventArchive": "kmsKeyIdentifier",
    SCHEDULE: "kmsKeyArn",  # the target's input payload
    "aws:secretsmanager/secret:Secret": "kmsKeyId",
}


def custom(registrations: Iterable[Registration]) -> list[Registration]:
    return [r for r in registrations if r.custom and r.type != STACK_TYPE]


def of_type(registrations: Iterable[Registration], type_: str) -> list[Registration]:
    return [r for r in registrations if r.type == type_]


# --- the resource graph --------------------------------------------------------------------------------


def graph_problems(registrations: list[Registration], calls: list[str]) -> list[str]:
    """Parents, dependencies and providers exist; each URN registered once; no cycle through any edge."""
    by_urn = {r.urn: r for r in registrations}
    problems = [f"{urn} registered {calls.count(urn)} times" for urn in sorted(set(calls)) if calls.count(urn) > 1]
    edges: dict[str, set[str]] = {}
    for r in registrations:
        targets = {r.parent} if r.parent else set()
        targets |= set(r.dependencies) | {u for deps in r.property_dependencies.values() for u in deps}
        if r.provider_urn:
            targets.add(r.provider_urn)
        missing = sorted(t for t in targets if t not in by_urn)
        problems += [f"{r.name} refers to {t}, which was never registered" for t in missing]
        if r.type != STACK_TYPE and not r.parent:
            problems.append(f"{r.name} has no parent")
        edges[r.urn] = targets & set(by_urn)
    return problems + [f"cycle: {' -> '.join(c)}" for c in _cycles(edges)]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(edges, white)
    found: list[list[str]] = []
    for start in edges:
        if colour[start] != white:
            continue
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(edges[start])))]
        path = [start]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = black
                stack.pop()
                path.pop()
            elif colour[child] == grey:
                found.append([*path[path.index(child) :], child])
            elif colour[child] == white:
                colour[child] = grey
                path.append(child)
                stack.append((child, iter(sorted(edges[child]))))
    return found


# --- encryption -----------------------------------------------------------------------------------------


def stack_keys_behind(by_urn: dict[str, Registration], registration: Registration, prop: str) -> list[Registration]:
    """KMS keys of the stack whose outputs flow into `prop`: directly, or through an alias of the stack."""
    keys = []
    for urn in registration.property_dependencies.get(prop, []):
        dependency = by_urn.get(urn)
        if dependency is None:
            continue
        if dependency.type == KEY:
            keys.append(dependency)
        elif dependency.type == ALIAS:
            keys += [by_urn[k] for k in dependency.property_dependencies.get("targetKeyId", []) if k in by_urn]
    return keys


def _names_key(value: Any, key: Registration, registrations: list[Registration]) -> bool:
    """In `up`, the value really is that key (ARN, id, or an alias of it), not a literal beside a dependency."""
    text = json.dumps(value)
    references = [key.outputs.get("arn"), key.outputs.get("keyId"), key.id]
    for alias in of_type(registrations, ALIAS):
        if key.urn in alias.property_dependencies.get("targetKeyId", []):
            references += [alias.inputs.get("name"), alias.outputs.get("arn")]
    return any(isinstance(r, str) and r and r in text for r in references)


def encryption_problems(registrations: list[Registration], mode: str) -> list[str]:
    """Every data-bearing resource depends on a KMS key of this stack (the S3 access-log bucket excepted)."""
    by_urn = {r.urn: r for r in registrations}
    problems = []
    for r in registrations:
        prop = ENCRYPTED_BY.get(r.type)
        if prop is None or (r.type == FUNCTION and not (r.inputs.get("environment") or {}).get("variables")):
            continue
        keys = stack_keys_behind(by_urn, r, prop)
        if not keys:
            problems.append(f"{r.type.split(':')[1]} {r.name}: {prop} does not depend on a KMS key of this stack")
        elif mode == "up" and not any(_names_key(r.inputs.get(prop), k, registrations) for k in keys):
            problems.append(f"{r.name}: {prop} = {r.inputs.get(prop)!r} is not the ARN or id of the key it depends on")
    log_targets = {
        u for lg in of_type(registrations, BUCKET_LOGGING) for u in lg.property_dependencies.get("targetBucket", [])
    }
    for bucket in of_type(registrations, BUCKET):
        configurations = [
            c for c in of_type(registrations, BUCKET_SSE) if bucket.urn in c.property_dependencies.get("bucket", [])
        ]
        if bucket.urn in log_targets:
            # S3 server access logs cannot be delivered to an SSE-KMS bucket: SSE-S3 is the one documented exception.
            algorithms = {json.dumps(c.inputs.get("rules")) for c in configurations}
            if not configurations or not all("AES256" in a or "aws:kms" in a for a in algorithms):
                problems.append(f"access-log bucket {bucket.name} has no default encryption")
            continue
        if not any(stack_keys_behind(by_urn, c, "rules") for c in configurations):
            problems.append(f"bucket {bucket.name}: no encryption configuration depends on a KMS key of this stack")
    return problems


# --- logging and guardrails -------------------------------------------------------------------------------


def lambda_log_problems(registrations: list[Registration]) -> list[str]:
    """Every Lambda function writes to a log group of this stack that it depends on."""
    groups = {r.urn: r for r in of_type(registrations, LOG_GROUP)}
    problems = []
    for function in of_type(registrations, FUNCTION):
        name = function.inputs.get("name")
        configured = (function.inputs.get("loggingConfig") or {}).get("logGroup")
        linked = [groups[u] for u in function.property_dependencies.get("loggingConfig", []) if u in groups]
        by_name = [g for g in groups.values() if g.inputs.get("name") in (configured, f"/aws/lambda/{name}")]
        if not by_name:
            problems.append(
                f"function {name}: no log group of this stack is named {configured or f'/aws/lambda/{name}'}"
            )
        elif configured and not any(g in linked for g in by_name):
            problems.append(f"function {name}: loggingConfig names {configured} but does not depend on that log group")
    return problems


def guardrail_problems(registrations: list[Registration], agents: dict[str, str], stage: str, mode: str) -> list[str]:
    """Each declared agent is one Bedrock agent pinned to a published version of its profile's guardrail.

    `agents` maps each declared agent to its guardrail profile; components are named `<stage>-<name>-agent`
    and `<stage>-<profile>-guardrail` (the `f"{name}-{role}"` convention).
    """
    by_urn = {r.urn: r for r in registrations}
    problems = []
    bedrock_agents = of_type(registrations, AGENT)
    if len(bedrock_agents) != len(agents):
        problems.append(f"{len(agents)} agents declared, {len(bedrock_agents)} Bedrock agents registered")
    for declared, profile in agents.items():
        component = f"{stage}-{declared}-agent"
        found = [a for a in bedrock_agents if by_urn.get(a.parent) and by_urn[a.parent].name == component]
        if len(found) != 1:
            problems.append(f"agent {declared}: {len(found)} Bedrock agents under component {component}")
            continue
        agent = found[0]
        deps = [by_urn[u] for u in agent.property_dependencies.get("guardrailConfigurations", []) if u in by_urn]
        guardrails = [d for d in deps if d.type == GUARDRAIL]
        versions = [d for d in deps if d.type == GUARDRAIL_VERSION]
        if len(guardrails) != 1 or len(versions) != 1:
            problems.append(f"agent {declared}: guardrailConfigurations depends on {[d.name for d in deps]}")
            continue
        guardrail, version = guardrails[0], versions[0]
        owner = by_urn.get(guardrail.parent)
        if owner is None or owner.name != f"{stage}-{profile}-guardrail":
            problems.append(f"agent {declared}: guardrail {guardrail.name} is not the {profile} profile's")
        if guardrail.urn not in version.property_dependencies.get("guardrailArn", []):
            problems.append(f"agent {declared}: version {version.name} is not a version of {guardrail.name}")
        configuration = (agent.inputs.get("guardrailConfigurations") or [{}])[0]
        if mode == "up":
            if configuration.get("guardrailIdentifier") not in (
                guardrail.outputs.get("guardrailId"),
                guardrail.outputs.get("guardrailArn"),
            ):
                problems.append(f"agent {declared}: guardrailIdentifier {configuration.get('guardrailIdentifier')!r}")
            if configuration.get("guardrailVersion") in (None, "", "DRAFT") or configuration.get(
                "guardrailVersion"
            ) != version.outputs.get("version"):
                problems.append(
                    f"agent {declared}: guardrailVersion {configuration.get('guardrailVersion')!r} is not published"
                )
    return problems


# --- IAM ----------------------------------------------------------------------------------------------------

IDENTITY = (("aws:iam/rolePolicy:RolePolicy", "policy"), ("aws:iam/policy:Policy", "policy"))
TRUST = (("aws:iam/role:Role", "assumeRolePolicy"),)
EXPLICIT_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")
SERVICE_WIDE = re.compile(r"^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$")


@lru_cache(maxsize=4096)
def action_exists(action: str) -> bool:
    service, _, name = action.partition(":")
    return bool(get_action_data(service, name))


@lru_cache(maxsize=512)
def service_exists(service: str) -> bool:
    return bool(get_actions_for_service(service))


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def documents(registrations: list[Registration], places: tuple[tuple[str, str], ...]) -> list[tuple[str, Any]]:
    """(resource name, parsed document) for each document at `places`; a document that is not JSON stays a str."""
    found: list[tuple[str, Any]] = []
    for type_, prop in places:
        for r in of_type(registrations, type_):
            value = r.inputs.get(prop)
            if isinstance(value, str):
                try:
                    found.append((r.name, json.loads(value)))
                except json.JSONDecodeError:
                    found.append((r.name, value))
    for r in of_type(registrations, "aws:iam/role:Role") if places == IDENTITY else ():
        for inline in r.inputs.get("inlinePolicies") or []:
            found.append((f"{r.name} inline policy {inline.get('name')}", json.loads(inline.get("policy") or "{}")))
    return found


def _statements(name: str, document: Any) -> tuple[list[dict[str, Any]], list[str]]:
    if not isinstance(document, dict):
        return [], [f"{name}: the document is not known JSON ({str(document)[:60]!r}); run in up mode"]
    return [s for s in _listed(document.get("Statement", [])) if isinstance(s, dict)], []


def iam_problems(registrations: list[Registration]) -> list[str]:
    """Identity policies: explicit, existing actions; no NotAction/NotResource; '*' only for allow-listed actions.

    Trust policies: explicit actions that exist. Documents must be known (judge an `up` run).
    """
    problems = [
        f"role {r.name} has managed policies {r.inputs['managedPolicyArns']}"
        for r in of_type(registrations, "aws:iam/role:Role")
        if r.inputs.get("managedPolicyArns")
    ]
    for name, document in documents(registrations, IDENTITY):
        statements, unknown = _statements(name, document)
        problems += unknown
        for statement in statements:
            problems += [f"{name}: {p}" for p in _identity_statement_problems(statement)]
    for name, document in documents(registrations, TRUST):
        statements, unknown = _statements(name, document)
        problems += unknown
        for statement in statements:
            for action in _listed(statement.get("Action", [])):
                if not (isinstance(action, str) and EXPLICIT_ACTION.match(action) and action_exists(action)):
                    problems.append(f"{name} trust policy: {action!r} is not an explicit, existing action")
    return problems


def _identity_statement_problems(statement: dict[str, Any]) -> list[str]:
    label = statement.get("Sid", "<no Sid>")
    problems = [f"{label} uses {k}" for k in ("NotAction", "NotResource", "NotPrincipal") if k in statement]
    if statement.get("Effect") != "Allow":
        problems.append(f"{label}: Effect {statement.get('Effect')!r} in an identity policy")
    actions = _listed(statement.get("Action", []))
    if not actions:
        problems.append(f"{label}: no action")
    for action in actions:
        if not isinstance(action, str) or not EXPLICIT_ACTION.match(action):
            problems.append(f"{label}: {action!r} is not an explicit action (wildcard or malformed)")
        elif not action_exists(action):
            problems.append(f"{label}: {action} does not exist in the IAM action database (policy_sentry)")
    resources = _listed(statement.get("Resource", []))
    if not resources:
        problems.append(f"{label}: no resource")
    wild = [res for res in resources if res == "*" or (isinstance(res, str) and SERVICE_WIDE.match(res))]
    if wild:
        not_listed = sorted(a for a in actions if a not in WILDCARD_RESOURCE_ACTIONS)
        if not_listed:
            problems.append(
                f"{label}: {wild} for {not_listed}, which are not in iam_allowlist.WILDCARD_RESOURCE_ACTIONS"
            )
    return problems


RESOURCE_POLICIES = (
    ("aws:s3/bucketPolicy:BucketPolicy", "policy"),
    ("aws:sns/topicPolicy:TopicPolicy", "policy"),
    ("aws:sqs/queuePolicy:QueuePolicy", "policy"),
    ("aws:kms/key:Key", "policy"),
    ("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "policyDocument"),
    ("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "policy"),
)


def resource_policy_action_problems(registrations: list[Registration]) -> list[str]:
    """Resource policies and Lambda permissions name only existing actions (a wildcard must name a service)."""
    problems = []
    for name, document in documents(registrations, RESOURCE_POLICIES):
        statements, unknown = _statements(name, document)
        problems += unknown
        for statement in statements:
            for action in _listed(statement.get("Action", [])):
                service, _, operation = action.partition(":")
                if "*" in operation or "?" in operation:
                    ok = service_exists(service)
                else:
                    ok = bool(EXPLICIT_ACTION.match(action)) and action_exists(action)
                if not ok:
                    problems.append(f"{name}: {action!r} names no existing action")
    for permission in of_type(registrations, "aws:lambda/permission:Permission"):
        action = permission.inputs.get("action")
        if not (isinstance(action, str) and action_exists(action)):
            problems.append(f"{permission.name}: {action!r} is not an existing action")
    return problems


# --- schedules ----------------------------------------------------------------------------------------------

RATE = re.compile(r"^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$")
CRON = re.compile(r"^cron\(([^()]+)\)$")


def schedule_problems(registrations: list[Registration]) -> list[str]:
    """Schedule expressions are in the form AWS documents: rate(<positive integer> <unit>) or a six-field cron()."""
    problems = []
    for r in of_type(registrations, SCHEDULE) + of_type(registrations, EVENT_RULE):
        expression = r.inputs.get("scheduleExpression")
        if expression is None:
            continue
        cron = CRON.match(expression)
        if not (RATE.match(expression) or (cron and len(cron[1].split()) == 6)):
            problems.append(
                f"{r.name}: schedule expression {expression!r} is neither rate(value unit) nor a six-field cron()"
            )
    return problems


# --- the checks every generated stage gets, evaluated once per spec ------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What the checks judge: the `up` run of a spec, every RegisterResource call, and the parsed spec."""

    run: ProgramRun
    calls: list[str]
    environment: Environment


def names(subject: Subject) -> list[str]:
    return aws_limits.problems(subject.run.resources)


def iam(subject: Subject) -> list[str]:
    return iam_problems(subject.run.resources) + resource_policy_action_problems(subject.run.resources)


def encryption(subject: Subject) -> list[str]:
    return encryption_problems(subject.run.resources, "up")


def lambda_logs(subject: Subject) -> list[str]:
    return lambda_log_problems(subject.run.resources)


def guardrails(subject: Subject) -> list[str]:
    environment = subject.environment
    profiles = {a.name: a.guardrail_profile.value for a in environment.agents}
    return guardrail_problems(subject.run.resources, profiles, environment.stage, "up")


def graph(subject: Subject) -> list[str]:
    return graph_problems(subject.run.registrations, subject.calls)


def schedules(subject: Subject) -> list[str]:
    return schedule_problems(subject.run.resources)


Check = Callable[[Subject], list[str]]
STAGE_CHECKS: tuple[Check, ...] = (names, iam, encryption, lambda_logs, guardrails, graph, schedules)
