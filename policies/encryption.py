"""Encryption: customer-managed KMS keys of this stack, rotated, with a safe deletion window."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity

KMS_KEY = "aws:kms/key:Key"


def validate_kms_key_rotation(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    if args.props.get("enableKeyRotation") is not True:
        report_violation("enableKeyRotation is not true: the key material is never rotated.")


kms_key_rotation_enabled = ResourceValidationPolicy(
    name="kms-key-rotation-enabled",
    description="KMS customer-managed keys rotate their key material every year.",
    validate=validate_kms_key_rotation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set enable_key_rotation=True on aws.kms.Key (the Encryption component always does).",
)
