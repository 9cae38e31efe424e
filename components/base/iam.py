"""The one builder of IAM documents: statement by statement, explicit actions, explicit resources.

It refuses what the policy pack would refuse, at construction time: wildcard actions, `NotAction`,
and a wildcard resource for any action outside `iam_allowlist.WILDCARD_RESOURCE_ACTIONS`. Resource
ARNs may be Pulumi outputs; the document is then an `Output[str]` whose property dependencies point
at the resources it names, which is how the policies prove scoping in preview.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from environments.iam_allowlist import WILDCARD_RESOURCE_ACTIONS

_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")
WILDCARD = "*"


class PolicyBuildError(ValueError):
    """A statement the platform must never grant."""


@dataclass(frozen=True)
class Statement:
    """One Allow statement on identities (roles): actions on resources, optionally conditioned."""

    sid: str
    actions: Sequence[str]
    resources: Sequence[pulumi.Input[str]]
    conditions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9]+", self.sid):
            raise PolicyBuildError(f"statement id {self.sid!r} must be alphanumeric")
        if not self.actions:
            raise PolicyBuildError(f"{self.sid}: a statement needs at least one action")
        for action in self.actions:
            if not _ACTION.fullmatch(action):
                raise PolicyBuildError(
                    f"{self.sid}: {action!r} is not an explicit action (service:Action, no wildcards)"
                )
        if not self.resources:
            raise PolicyBuildError(f"{self.sid}: a statement needs at least one resource")
        if any(r == WILDCARD for r in self.resources):
            if len(self.resources) != 1:
                raise PolicyBuildError(f"{self.sid}: '*' cannot be mixed with named resources")
            not_allowed = sorted(a for a in self.actions if a not in WILDCARD_RESOURCE_ACTIONS)
            if not_allowed:
                raise PolicyBuildError(
                    f"{self.sid}: {', '.join(not_allowed)} support resource-level permissions; name the resources"
                )

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "Sid": self.sid,
            "Effect": "Allow",
            "Action": sorted(set(self.actions)),
            "Resource": list(self.resources) if len(self.resources) > 1 else self.resources[0],
        }
        if self.conditions:
            body["Condition"] = {op: dict(values) for op, values in self.conditions.items()}
        return body


@dataclass(frozen=True)
class ServiceTrust:
    """A trust policy for a service principal, pinned to our account (and source ARN) against confused deputies."""

    service: str
    account_id: str
    source_arn: pulumi.Input[str] | None = None
    source_arn_like: bool = False

    def to_json(self) -> dict[str, Any]:
        condition: dict[str, dict[str, Any]] = {"StringEquals": {"aws:SourceAccount": self.account_id}}
        if self.source_arn is not None:
            operator = "ArnLike" if self.source_arn_like else "ArnEquals"
            condition[operator] = {"aws:SourceArn": self.source_arn}
        return {
            "Effect": "Allow",
            "Principal": {"Service": self.service},
            "Action": "sts:AssumeRole",
            "Condition": condition,
        }


def deny_insecure_transport(action: str, resource: str | list[str]) -> dict[str, Any]:
    """The resource-policy statement that refuses `action` on `resource` to every request made without TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _document(statements: list[dict[str, Any]]) -> pulumi.Output[str]:
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


def policy_document(*statements: Statement) -> pulumi.Output[str]:
    """An identity policy; statement ids must be unique."""
    sids = [s.sid for s in statements]
    if len(set(sids)) != len(sids):
        raise PolicyBuildError(f"duplicate statement ids: {sorted({s for s in sids if sids.count(s) > 1})}")
    return _document([s.to_json() for s in statements])


def trust_policy(*trusts: ServiceTrust) -> pulumi.Output[str]:
    return _document([t.to_json() for t in trusts])


@dataclass(frozen=True)
class KeyGrant:
    """A key-policy statement for a service principal, scoped by conditions (never unconditioned)."""

    sid: str
    service: str
    actions: Sequence[str]
    conditions: Mapping[str, Mapping[str, Any]]

    def __post_init__(self) -> None:
        if not self.conditions:
            raise PolicyBuildError(f"{self.sid}: a service principal in a key policy must be scoped by a condition")
        for action in self.actions:
            if not action.startswith("kms:") or action == "kms:*" or not _ACTION.fullmatch(action):
                raise PolicyBuildError(f"{self.sid}: {action!r} is not an explicit kms action")


KEY_SERVICE_ACTIONS = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)


def key_policy(account_id: str, partition: str, grants: Sequence[KeyGrant]) -> pulumi.Output[str]:
    """A KMS key policy: `kms:*` for the account root only (which delegates to IAM), plus scoped service grants.

    In a key policy, `Resource: "*"` means "this key".
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AccountRootAdministersKeyThroughIam",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    for grant in grants:
        statements.append(
            {
                "Sid": grant.sid,
                "Effect": "Allow",
                "Principal": {"Service": grant.service},
                "Action": sorted(set(grant.actions)),
                "Resource": "*",
                "Condition": {op: dict(values) for op, values in grant.conditions.items()},
            }
        )
    return _document(statements)
