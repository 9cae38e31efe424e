"""Every policy of the pack, in the order they are reported (one module per family)."""

from __future__ import annotations

from pulumi_policy import Policy

from policies import encryption, exposure, governance, guardrails, iam, logging, models, operations

POLICIES: list[Policy] = [
    *iam.POLICIES,
    *encryption.POLICIES,
    *guardrails.POLICIES,
    *models.POLICIES,
    *logging.POLICIES,
    *exposure.POLICIES,
    *operations.POLICIES,
    *governance.POLICIES,
]
