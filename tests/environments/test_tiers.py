"""What the tier matrix answers beyond its table: the strictest profile and the API authorizations per auth mode."""

from __future__ import annotations

from itertools import pairwise

from environments.tiers import TIERS, ApiAuth, Tier, strictest


def test_the_strictest_profile_is_the_highest_tier() -> None:
    # the matrix only grows stricter (tests/property/test_pure_helpers.py::test_tiers_are_monotone)
    assert strictest() is TIERS[max(Tier, key=lambda tier: tier.rank)]


def test_a_stronger_api_auth_accepts_no_weaker_authorization() -> None:
    # GIVEN the auth modes from weakest to strongest
    # THEN each accepts its own kind of authorizer, and a stronger one never accepts more than a weaker one
    assert "AWS_IAM" in ApiAuth.IAM.method_authorizations
    assert ApiAuth.COGNITO.method_authorizations == ("COGNITO_USER_POOLS",)
    for weaker, stronger in pairwise(ApiAuth):
        assert set(stronger.method_authorizations) <= set(weaker.method_authorizations)
