"""policies/README.md lists exactly the pack's policies, and its coverage section matches policies/coverage.py."""

from __future__ import annotations

import pytest

from policies import docs
from policies._meta import anchors_of, family_of
from policies.coverage import ANCHORS
from policies.pack import POLICIES

README = docs.README.read_text()
NAMES = {p.name for p in POLICIES}


def _table_rows() -> list[list[str]]:
    lines = docs.generated(README, docs.TABLE_MARKERS).splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert tuple(header) == docs.COLUMNS
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[2:]]


def test_the_table_lists_exactly_the_pack_with_family_and_level() -> None:
    # GIVEN the policy table of the README, parsed
    rows = {row[0].strip("`"): row for row in _table_rows()}
    # THEN it names every policy of the pack once, with its family and enforcement level
    assert set(rows) == NAMES
    for policy in POLICIES:
        assert rows[policy.name][1] == family_of(policy), policy.name
        assert rows[policy.name][2] == docs.level_of(policy), policy.name


def test_the_generated_sections_are_up_to_date() -> None:
    # `python -m policies.docs` regenerates them
    assert docs.generated(README, docs.TABLE_MARKERS) == docs.render_policy_table()
    assert docs.generated(README, docs.COVERAGE_MARKERS) == docs.render_coverage()


def test_coverage_names_only_policies_of_the_pack_and_explains_the_rest() -> None:
    for anchor in ANCHORS:
        assert set(anchor.covered_by) <= NAMES, anchor.id
        assert anchor.covered_by or anchor.reason, f"{anchor.id}: name the covering policy or say why none applies"


def test_anchor_ids_are_unique() -> None:
    ids = [a.id for a in ANCHORS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_anchor_a_policy_claims_is_in_the_coverage_table(policy: object) -> None:
    covered = {a.id for a in ANCHORS if policy.name in a.covered_by}  # type: ignore[attr-defined]
    missing = set(anchors_of(policy)) - covered  # type: ignore[arg-type]
    assert not missing, f"{policy.name} claims {sorted(missing)}; add them to policies/coverage.py"  # type: ignore[attr-defined]
