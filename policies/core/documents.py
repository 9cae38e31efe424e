"""IAM policy documents (identity, trust and resource policies) as the rules read them.

Documents arrive as JSON strings. In preview a document that embeds the ARN of a resource created
in the same stack is unknown as a whole; `documents_of` says so explicitly (`Found.document is
UNKNOWN`) so each rule can defer it to `pulumi up` and the deferral can be reported.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs

from policies.core.props import UNKNOWN, as_json, get, is_invalid, items, plain
from policies.core.resource_types import (
    API_REST_API,
    API_REST_API_POLICY,
    EVENT_BUS_POLICY,
    IAM_GROUP_POLICY,
    IAM_POLICY,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_USER_POLICY,
    KMS_KEY,
    LOG_RESOURCE_POLICY,
    S3_BUCKET_POLICY,
    SECRET,
    SECRET_POLICY,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SQS_QUEUE,
    SQS_QUEUE_POLICY,
)

IDENTITY = "identity"
TRUST = "trust"
RESOURCE = "resource"
KEY = "key"  # KMS key policies: judged by kms-key-policy-least-privilege

# Where each resource type keeps its policy documents: (kind, property path, label).
DOCUMENT_PROPERTIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    IAM_ROLE: ((TRUST, "assumeRolePolicy", "assumeRolePolicy"),),
    IAM_ROLE_POLICY: ((IDENTITY, "policy", "policy"),),
    IAM_POLICY: ((IDENTITY, "policy", "policy"),),
    IAM_USER_POLICY: ((IDENTITY, "policy", "policy"),),
    IAM_GROUP_POLICY: ((IDENTITY, "policy", "policy"),),
    S3_BUCKET_POLICY: ((RESOURCE, "policy", "policy"),),
    SQS_QUEUE_POLICY: ((RESOURCE, "policy", "policy"),),
    SQS_QUEUE: ((RESOURCE, "policy", "policy"),),
    SNS_TOPIC_POLICY: ((RESOURCE, "policy", "policy"),),
    SNS_TOPIC: ((RESOURCE, "policy", "policy"),),
    SECRET: ((RESOURCE, "policy", "policy"),),
    SECRET_POLICY: ((RESOURCE, "policy", "policy"),),
    API_REST_API: ((RESOURCE, "policy", "policy"),),
    API_REST_API_POLICY: ((RESOURCE, "policy", "policy"),),
    EVENT_BUS_POLICY: ((RESOURCE, "policy", "policy"),),
    LOG_RESOURCE_POLICY: ((RESOURCE, "policyDocument", "policyDocument"),),
    KMS_KEY: ((KEY, "policy", "policy"),),
}

# Condition keys that tie a public principal ("*") to this account, organisation or network.
SCOPING_CONDITION_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:principalaccount",
        "aws:principalorgid",
        "aws:principalarn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:resourceaccount",
        "kms:calleraccount",
    }
)


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    principals: Mapping[str, tuple[str, ...]]  # "AWS"/"Service"/"Federated"/"CanonicalUser" -> values
    not_principal: bool
    conditions: Mapping[str, Mapping[str, tuple[Any, ...]]] = field(default_factory=dict)

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def label(self) -> str:
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index}"

    @property
    def public(self) -> bool:
        """The principal is everyone: "*" or {"AWS": "*"}."""
        return "*" in self.principals.get("AWS", ())

    def condition(self, key: str) -> list[tuple[str, tuple[Any, ...]]]:
        """(operator, values) pairs that test `key` (condition keys are case-insensitive)."""
        wanted = key.lower()
        return [
            (operator, values)
            for operator, tests in self.conditions.items()
            for name, values in tests.items()
            if name.lower() == wanted
        ]

    def has_condition(self, key: str) -> bool:
        return bool(self.condition(key))

    def condition_keys(self) -> set[str]:
        return {name.lower() for tests in self.conditions.values() for name in tests}

    def matches_action(self, action: str) -> bool:
        """Whether this statement's Action patterns grant `action` (IAM wildcards, case-insensitive)."""
        return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in self.actions)


@dataclass(frozen=True)
class Document:
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Found:
    """One document of a resource: its kind, label and parsed content (UNKNOWN, or an error string)."""

    kind: str
    label: str
    document: Document | Any  # Document, UNKNOWN, or str (why it does not parse)

    @property
    def unknown(self) -> bool:
        return self.document is UNKNOWN

    @property
    def error(self) -> str | None:
        return self.document if isinstance(self.document, str) else None


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _principals(value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if value == "*":
        return {"AWS": ("*",)}
    if isinstance(value, Mapping):
        return {str(k): _strings(v) for k, v in value.items()}
    return {"AWS": _strings(value)}


def _conditions(value: Any) -> dict[str, dict[str, tuple[Any, ...]]]:
    if not isinstance(value, Mapping):
        return {}
    result: dict[str, dict[str, tuple[Any, ...]]] = {}
    for operator, tests in value.items():
        if isinstance(tests, Mapping):
            result[str(operator)] = {str(k): tuple(v) if isinstance(v, list) else (v,) for k, v in tests.items()}
    return result


def parse(value: Any) -> Document | Any:
    """A JSON document (string or already-parsed) -> Document; UNKNOWN, None or an error string."""
    data = as_json(value)
    if data is None or data is UNKNOWN:
        return data
    if is_invalid(data):
        return f"is not valid JSON ({data.error})"
    if not isinstance(data, Mapping):
        return "is not a JSON object"
    raw = data.get("Statement")
    if raw is None:
        return "has no Statement"
    statements = raw if isinstance(raw, list) else [raw]
    parsed = []
    for index, item in enumerate(statements):
        if not isinstance(item, Mapping):
            return f"statement #{index} is not an object"
        parsed.append(
            Statement(
                index=index,
                sid=str(item.get("Sid") or ""),
                effect=str(item.get("Effect") or ""),
                actions=_strings(item.get("Action")),
                not_actions=_strings(item.get("NotAction")),
                resources=_strings(item.get("Resource")),
                not_resources=_strings(item.get("NotResource")),
                principals=_principals(item.get("Principal") or item.get("NotPrincipal")),
                not_principal="NotPrincipal" in item,
                conditions=_conditions(item.get("Condition")),
            )
        )
    return Document(tuple(parsed))


def documents_of(resource_type: str, props: Mapping[str, Any], kinds: tuple[str, ...] | None = None) -> list[Found]:
    """Every policy document a resource carries (Role inline policies included), parsed."""
    found: list[Found] = []
    for kind, path, label in DOCUMENT_PROPERTIES.get(resource_type, ()):
        if kinds is not None and kind not in kinds:
            continue
        value = get(props, path)
        if value is None:
            continue
        found.append(Found(kind, label, parse(value)))
    if resource_type == IAM_ROLE and (kinds is None or IDENTITY in kinds):
        inline = items(props, "inlinePolicies")
        if inline is UNKNOWN:
            found.append(Found(IDENTITY, "inlinePolicies", UNKNOWN))
        else:
            for index, policy in enumerate(inline):
                name = get(policy, "name") or f"#{index}"
                value = get(policy, "policy")
                if value is not None:
                    found.append(Found(IDENTITY, f"inlinePolicies[{name}]", parse(value)))
    return found


def known_documents(found: list[Found]) -> Iterator[tuple[Found, Document]]:
    for item in found:
        if isinstance(item.document, Document):
            yield item, item.document


def is_wildcard_action(action: str) -> bool:
    return "*" in action or "?" in action


_SERVICE_WIDE_ARN = re.compile(r"^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$")


def is_wildcard_resource(resource: str) -> bool:
    """ "*", or every resource of a service in an account ("arn:aws:s3:::*", "arn:aws:sqs:us-east-1:123:*")."""
    return resource == "*" or bool(_SERVICE_WIDE_ARN.match(resource))


def denies_insecure_transport(document: Document, actions: tuple[str, ...]) -> bool:
    """A Deny for everyone on (one of) `actions` when aws:SecureTransport is false (a TLS-only policy)."""
    for statement in document.statements:
        if statement.effect != "Deny" or not statement.public or statement.not_principal:
            continue
        if not any(statement.matches_action(action) for action in actions):
            continue
        for operator, values in statement.condition("aws:SecureTransport"):
            if operator.startswith("Bool") and any(str(v).lower() == "false" for v in values):
                return True
    return False


class Reporter:
    """Wraps report_violation to remember whether anything was reported."""

    def __init__(self, report: ReportViolation) -> None:
        self._report = report
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        self._report(message, None)


def inspect_documents(
    args: ResourceValidationArgs,
    report_violation: ReportViolation,
    kinds: tuple[str, ...],
    check: Callable[[Found, Document, Reporter], None],
) -> None:
    """Run `check` on every known document of the given kinds; defer unknown ones to `pulumi up`."""
    if args.resource_type not in DOCUMENT_PROPERTIES:
        return
    found = documents_of(args.resource_type, plain(args.props), kinds)
    if not found:
        return
    report = Reporter(report_violation)
    for item in found:
        if item.error:
            report(f"{item.label} {item.error}: fix the document so it can be checked.")
    for item, document in known_documents(found):
        check(item, document, report)
    unknown = [item.label for item in found if item.unknown]
    if unknown and not report.count:
        args.not_applicable(
            f"{', '.join(unknown)} unknown until `pulumi up` (it embeds ARNs of resources this stack creates); "
            "checked when the resource is created"
        )
