"""policies/README.md lists exactly the pack's policies, and its generated sections are up to date."""

from __future__ import annotations

from policies.core.tags import family_of
from policies.docs import generator
from policies.pack import POLICIES

README = generator.README.read_text()
NAMES = {p.name for p in POLICIES}


def _table_rows() -> list[list[str]]:
    lines = generator.generated(README, generator.TABLE_MARKERS).splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert tuple(header) == generator.COLUMNS
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[2:]]


def test_the_table_lists_exactly_the_pack_with_family_and_level() -> None:
    # GIVEN the policy table of the README, parsed
    rows = {row[0].strip("`"): row for row in _table_rows()}
    # THEN it names every policy of the pack once, with its family and enforcement level
    assert set(rows) == NAMES
    for policy in POLICIES:
        assert rows[policy.name][1] == family_of(policy), policy.name
        assert rows[policy.name][2] == generator.level_of(policy), policy.name


def test_the_generated_sections_are_up_to_date() -> None:
    # `python -m policies.docs` regenerates them
    assert generator.generated(README, generator.TABLE_MARKERS) == generator.render_policy_table()
    assert generator.generated(README, generator.COVERAGE_MARKERS) == generator.render_coverage()
