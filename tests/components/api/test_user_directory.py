from __future__ import annotations

from tests.components.harness import Built


def test_the_run_user_pool_requires_mfa_and_is_protected(run: Built, walk: Built) -> None:
    pool = run.one("aws:cognito/userPool:UserPool")
    assert pool.inputs["mfaConfiguration"] == "ON" and pool.inputs["deletionProtection"] == "ACTIVE"
    assert pool.inputs["adminCreateUserConfig"]["allowAdminCreateUserOnly"] is True
    assert walk.one("aws:cognito/userPool:UserPool").inputs["mfaConfiguration"] == "OPTIONAL"
