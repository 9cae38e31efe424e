"""Cost allocation: every taggable resource carries the platform's cost tags, directly or via provider default tags."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from policies import registry, stage
from policies._meta import tags
from policies._props import UNKNOWN, as_json, get, plain

REQUIRED_TAGS = ("environment", "tier", "owner", "cost-center")

TAGS_SCHEMA = PolicyConfigSchema(
    properties={
        "requiredTags": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(REQUIRED_TAGS),
            "description": "Tag keys every taggable resource must carry (resource tags or provider defaultTags).",
        }
    }
)


def provider_default_tags(args: ResourceValidationArgs) -> dict[str, Any] | Any:
    """The provider's defaultTags.tags (provider inputs arrive JSON-encoded), UNKNOWN, or {}."""
    if args.provider is None:
        return {}
    default_tags = as_json(get(plain(args.provider.props), "defaultTags"))
    if default_tags is UNKNOWN:
        return UNKNOWN
    found = get(default_tags, "tags") if isinstance(default_tags, dict) else None
    return found if isinstance(found, dict) or found is UNKNOWN else {}


def effective_tags(args: ResourceValidationArgs) -> dict[str, Any] | Any:
    defaults = provider_default_tags(args)
    own = get(plain(args.props), "tags")
    if defaults is UNKNOWN or own is UNKNOWN:
        return UNKNOWN
    return {**defaults, **(own if isinstance(own, dict) else {})}


def validate_cost_tags(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    kind = registry.REGISTRY.get(args.resource_type)
    if kind is None or not kind.taggable:
        return
    found = effective_tags(args)
    if found is UNKNOWN:
        args.not_applicable("tags are computed; checked at `pulumi up`")
    required = args.get_config().get("requiredTags") or list(REQUIRED_TAGS)
    missing = [key for key in required if not (isinstance(found.get(key), str) and found[key].strip())]
    if missing:
        report_violation(
            f"lacks the cost tags {', '.join(missing)} (neither on the resource nor in the provider's defaultTags).",
            None,
        )
    current = stage.current()
    expected = {"environment": current.name, "tier": current.tier.tier.value} if current.resolved else {}
    for key, value in expected.items():
        if key in found and isinstance(found[key], str) and found[key] != value:
            report_violation(
                f"tag {key}={found[key]!r} does not match {current.label}: costs land on the wrong stage.", None
            )


required_cost_tags = ResourceValidationPolicy(
    name="required-cost-tags",
    description="Every taggable resource carries the cost tags environment, tier, owner and cost-center (resource "
    "tags or provider defaultTags), matching the stage.",
    validate=validate_cost_tags,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    config_schema=TAGS_SCHEMA,
    remediation_steps="Create resources with the stage's explicit provider (components/context.py deploy_context), "
    "whose default_tags are the cost tags.",
    tags=tags("operations"),
)

POLICIES = [required_cost_tags]
