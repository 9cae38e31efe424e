"""Policy metadata the README table is generated from: the family and the anchor rule ids.

Both travel in the policy's `tags` (shown by the Pulumi CLI and Pulumi Cloud): `family:<name>` and
one tag per equivalent rule of another rule set, e.g. `CKV_AWS_7`, `AwsSolutions-KMS5`,
`Serverless-LambdaTracing`, `[KMS.4]` (AWS Security Hub control), `awsguard:<name>` (Pulumi AWSGuard)
and `aws-kms-key-enable-key-rotation` (Pulumi compliance-policies).
"""

from __future__ import annotations

from pulumi_policy import Policy

FAMILIES = ("iam", "encryption", "guardrails", "models", "logging", "exposure", "operations", "governance")


def tags(family: str, *anchors: str) -> list[str]:
    if family not in FAMILIES:
        raise ValueError(f"unknown policy family {family!r}; one of {', '.join(FAMILIES)}")
    return [f"family:{family}", *anchors]


def family_of(policy: Policy) -> str:
    return next(t.split(":", 1)[1] for t in policy.tags or [] if t.startswith("family:"))


def anchors_of(policy: Policy) -> list[str]:
    return [t for t in policy.tags or [] if not t.startswith("family:")]
