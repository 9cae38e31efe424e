"""The guardrail's regex entities stay in step with the recogniser and within Bedrock's limits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared.guardrail_regexes import (
    GUARDRAIL_REGEXES,
    MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS,
    MAX_PATTERN_CHARS,
    MAX_REGEXES,
)

from tests.functions.shared.pii_corpus import CANONICAL, Sample


def test_the_list_fits_bedrocks_limits():
    assert len(GUARDRAIL_REGEXES) <= MAX_REGEXES
    assert len({entry.name for entry in GUARDRAIL_REGEXES}) == len(GUARDRAIL_REGEXES)
    for entry in GUARDRAIL_REGEXES:
        assert 1 <= len(entry.name) <= MAX_NAME_CHARS and re.fullmatch(r"[a-z0-9-]+", entry.name)
        assert 1 <= len(entry.description) <= MAX_DESCRIPTION_CHARS
        assert 1 <= len(entry.pattern) <= MAX_PATTERN_CHARS
        assert entry.action in ("BLOCK", "ANONYMIZE")
        assert "(?" not in entry.pattern, "no lookaround or inline flags: not every regex dialect has them"


@pytest.mark.parametrize("entry", GUARDRAIL_REGEXES, ids=lambda entry: entry.name)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_each_pattern_matches_the_recognisers_canonical_spellings(entry, data):
    # GIVEN a value the pre-guard's conformance corpus generates for this kind, in running text
    sample: Sample = data.draw(CANONICAL[entry.kind])
    # WHEN the guardrail's pattern runs over the text, THEN it covers the whole value
    assert any(sample.value in match.group() for match in re.finditer(entry.pattern, sample.text)), (
        entry.pattern,
        sample.text,
    )


def test_every_kind_the_guardrail_lacks_a_managed_type_for_has_a_pattern():
    from shared.pii import PiiKind

    # US_SSN is a managed Bedrock type (US_SOCIAL_SECURITY_NUMBER); everything else needs a pattern.
    assert {entry.kind for entry in GUARDRAIL_REGEXES} == set(PiiKind) - {PiiKind.US_SSN}
