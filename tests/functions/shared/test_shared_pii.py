"""The personal-data recogniser: generated values in generated spellings and running text (see
pii_corpus), check digits against python-stdnum, and the properties redaction must keep."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared.pii import (
    PiiKind,
    brn_valid,
    find_pii,
    luhn_valid,
    normalize,
    redact,
    rrn_check_digit_valid,
    scrub,
)
from stdnum import luhn as stdnum_luhn
from stdnum.kr import brn as stdnum_brn
from stdnum.kr import rrn as stdnum_rrn

from tests.functions.shared.pii_corpus import BENIGN, CANONICAL, SPELLINGS, Sample, redacted, untouched

KINDS = sorted(PiiKind)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_canonical_value_in_running_text_is_redacted(kind, data):
    # GIVEN a valid value of the kind, written as documented, inside a Korean/English sentence
    sample: Sample = data.draw(CANONICAL[kind])
    # WHEN redacted, THEN the value is gone and counted as its kind
    assert redacted(sample), (sample.text, redact(normalize(sample.text)))


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_spelling_people_use_is_redacted(kind, data):
    # GIVEN the value with no separator, a space, hyphen, en dash or dot, full-width digits, Hangul
    sample: Sample = data.draw(SPELLINGS[kind])
    # WHEN redacted, THEN the value is gone
    assert redacted(sample), (sample.text, redact(normalize(sample.text)))


@pytest.mark.parametrize("category", sorted(BENIGN))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_benign_korean_look_alikes_are_left_alone(category, data):
    # GIVEN a date, price, order number or similar that only looks like personal data
    text = data.draw(BENIGN[category])
    # WHEN redacted, THEN nothing changes
    assert untouched(text), (text, redact(normalize(text)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_the_resident_number_check_digit_is_python_stdnums(first12):
    check = stdnum_rrn.calc_check_digit(first12)
    assert rrn_check_digit_valid(first12 + check)
    assert not rrn_check_digit_valid(first12 + str((int(check) + 1) % 10))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_a_valid_business_number_has_stdnums_format(number):
    # stdnum checks the layout rules (office >= 101, type and serial not zero); the check digit is ours
    if brn_valid(number):
        assert stdnum_brn.is_valid(number)


@pytest.mark.parametrize("number", ["1168200276", "1348672683"])
def test_stdnums_documented_business_numbers_pass_the_check_digit(number):
    assert brn_valid(number)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_luhn_agrees_with_python_stdnum(number):
    assert luhn_valid(number) == stdnum_luhn.is_valid(number)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주민번호 9001011234568", "주민번호 [KR_RRN]"),  # bare, labelled (post-2020 numbers have no check digit)
        ("010-1234-5678-9999", "010-1234-5678-9999"),  # part of something longer
        ("ORD-900101-1234567", "ORD-900101-1234567"),  # glued to an identifier
        ("주문번호 240315-1234567", "주문번호 240315-1234567"),  # an order number shaped like a resident number
        ("+82 (0)10-1234-5678", "[PHONE]"),
        ("kim@example.com으로", "[EMAIL]으로"),
        ("01012345678@example.com", "[EMAIL]"),  # one finding, the e-mail address
        ("@minji 안녕", "@minji 안녕"),  # a mention, not an address
    ],
)
def test_boundaries(text, expected):
    assert redact(normalize(text)).text == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_redaction_never_raises_and_is_idempotent(text):
    once = redact(normalize(text)).text
    assert redact(once).text == once


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_findings_never_overlap(data):
    sample = data.draw(st.sampled_from(KINDS).flatmap(lambda kind: SPELLINGS[kind]))
    text = normalize(" / ".join((sample.text, sample.text)))
    findings = find_pii(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))


@settings(max_examples=50, deadline=None)
@given(data=st.data(), padding=st.integers(0, 3_000))
def test_scrub_is_bounded_and_keeps_no_value_it_shows(data, padding):
    # GIVEN a log value with personal data after arbitrary padding
    sample: Sample = data.draw(st.sampled_from(KINDS).flatmap(lambda kind: SPELLINGS[kind]))
    value = "x" * padding + " " + sample.text

    # WHEN scrubbed for a log line
    line = scrub(value, limit=200)

    # THEN it is at most the limit, and the value is not in it, whole or cut at the limit
    assert len(line) <= 200
    assert normalize(sample.value) not in line
