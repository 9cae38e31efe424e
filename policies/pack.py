"""Every policy of the pack, in the order they are reported."""

from __future__ import annotations

from pulumi_policy import Policy

from policies.encryption import kms_key_rotation_enabled

POLICIES: list[Policy] = [kms_key_rotation_enabled]
