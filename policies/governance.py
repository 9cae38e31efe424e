"""Governance of the pack itself: no unpoliced resource type, a known stage, and reported deferrals.

Nothing passes silently: a type the registry does not know is refused, judging without a resolved
stage is reported, and every policy document that preview cannot see is listed with the rules that
will check it at `pulumi up`.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.core import registry, stage
from policies.core.documents import DOCUMENT_PROPERTIES, documents_of
from policies.core.graph import StackGraph
from policies.core.tags import tags


def validate_registered(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    for resource in args.resources:
        if registry.lookup(resource.resource_type) is None:
            report_violation(
                f"{resource.resource_type} is not in policies/core/registry.py: no policy is known to cover it. "
                "Register it with the policies that apply (or the reason none does) before deploying it.",
                resource.urn,
            )


resource_type_registered = StackValidationPolicy(
    name="resource-type-registered",
    description="Every resource type in the stack is registered in policies/core/registry.py with the policies that "
    "cover it (or why none applies): nothing new slips in unpoliced.",
    validate=validate_registered,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Add the type to REGISTRY in policies/core/registry.py (and a policy if the type holds data, "
    "grants access or is reachable from outside).",
    tags=tags("governance"),
)


def validate_stage_resolved(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    current = stage.current()
    if not current.resolved:
        report_violation(current.source, None)


policy_stage_resolved = StackValidationPolicy(
    name="policy-stage-resolved",
    description="Reports when the pack cannot resolve the stack's environment and judges by the strictest settings.",
    validate=validate_stage_resolved,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    remediation_steps="Set agent-platform:environment in Pulumi.<stack>.yaml to an environment file that loads.",
    tags=tags("governance"),
)

_DOCUMENT_RULES = {
    "identity": "iam-no-wildcard-actions, iam-no-wildcard-resources, iam-pass-role-scoped, "
    "iam-no-not-action-or-not-resource",
    "trust": "iam-trust-confused-deputy, iam-no-wildcard-actions, iam-no-not-action-or-not-resource",
    "resource": "resource-policy-no-public-access, iam-no-wildcard-actions, iam-no-not-action-or-not-resource "
    "(s3-bucket-tls-only / messaging-tls-only for their content)",
    "key": "kms-key-policy-least-privilege, iam-no-not-action-or-not-resource",
}


def validate_deferred_documents(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(r for r in args.resources if r.resource_type in DOCUMENT_PROPERTIES)
    for resource in graph.resources:
        for found in documents_of(resource.resource_type, graph.props(resource)):
            if found.unknown:
                report_violation(
                    f"{found.label} is unknown until `pulumi up` (it embeds ARNs of resources this stack creates); "
                    f"{_DOCUMENT_RULES[found.kind]} check it when the resource is created.",
                    resource.urn,
                )


policy_documents_deferred_to_up = StackValidationPolicy(
    name="policy-documents-deferred-to-up",
    description="Lists every IAM, trust and resource policy document that preview cannot read (it embeds ARNs of "
    "this stack) and the rules that will check it at `pulumi up`.",
    validate=validate_deferred_documents,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    remediation_steps="Nothing to fix. To check a document in preview already, build its ARNs from the resources' "
    "known physical names (Location.arn, components/base/location.py) instead of their `arn` outputs.",
    tags=tags("governance"),
)

POLICIES = [resource_type_registered, policy_stage_resolved, policy_documents_deferred_to_up]
