"""The coverage table names only policies of the pack, explains every rule it does not cover, and lists every
anchor rule a policy claims."""

from __future__ import annotations

import pytest
from pulumi_policy import Policy

from policies.core.tags import anchors_of
from policies.docs.coverage import ANCHORS
from policies.pack import POLICIES

NAMES = {p.name for p in POLICIES}


def test_coverage_names_only_policies_of_the_pack_and_explains_the_rest() -> None:
    for anchor in ANCHORS:
        assert set(anchor.covered_by) <= NAMES, anchor.id
        assert anchor.covered_by or anchor.reason, f"{anchor.id}: name the covering policy or say why none applies"


def test_anchor_ids_are_unique() -> None:
    ids = [a.id for a in ANCHORS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_anchor_a_policy_claims_is_in_the_coverage_table(policy: Policy) -> None:
    covered = {a.id for a in ANCHORS if policy.name in a.covered_by}
    missing = set(anchors_of(policy)) - covered
    assert not missing, f"{policy.name} claims {sorted(missing)}; add them to policies/docs/coverage.py"
