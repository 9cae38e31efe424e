"""Resource options of data-bearing resources: what a `pulumi destroy` or a replacement may not delete."""

from __future__ import annotations

import pulumi


def data_options(parent: pulumi.Resource, retain_on_delete: bool) -> pulumi.ResourceOptions:
    """`protect`ed and retained on delete when the tier says so (TierProfile.retain_on_delete)."""
    return pulumi.ResourceOptions(parent=parent, protect=retain_on_delete, retain_on_delete=retain_on_delete)
