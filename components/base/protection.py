"""Resource options of data-bearing resources: what a `pulumi destroy` or a replacement may not delete."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi


def data_options(
    parent: pulumi.Resource, retain_on_delete: bool, aliases: Sequence[pulumi.Alias] = ()
) -> pulumi.ResourceOptions:
    """`protect`ed and retained on delete when the tier says so (TierProfile.retain_on_delete).

    `aliases`: the URNs a resource that moved under `parent` had before, so a `pulumi up` keeps it.
    """
    return pulumi.ResourceOptions(
        parent=parent,
        protect=retain_on_delete,
        retain_on_delete=retain_on_delete,
        aliases=list(aliases) or None,
    )
