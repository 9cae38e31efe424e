"""Every policy of the pack, in the order they are reported (one module per family)."""

from __future__ import annotations

from pulumi_policy import Policy

from policies import encryption, exposure, governance, guardrails, iam, observability, operations, tagging

POLICIES: list[Policy] = [
    *iam.POLICIES,
    *encryption.POLICIES,
    *guardrails.POLICIES,
    *observability.POLICIES,
    *exposure.POLICIES,
    *operations.POLICIES,
    *tagging.POLICIES,
    *governance.POLICIES,
]
