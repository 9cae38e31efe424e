"""Unknown-safe access to resource properties: proxies unwrapped, sentinels turned into UNKNOWN."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policies.core.props import UNKNOWN, as_json, get, is_invalid, items, number, plain, truthy


def test_plain_unwraps_proxies_and_turns_sentinels_into_unknown() -> None:
    # GIVEN properties as pulumi_policy hands them to a policy (reading an unknown raises there)
    props = unknown_checking_proxy({"a": {"b": UNKNOWN_STRING_VALUE, "c": [1.0, {"d": UNKNOWN_BOOLEAN_VALUE}]}})
    # WHEN unwrapped
    data = plain(props)
    # THEN they are plain values with UNKNOWN markers, readable without exceptions
    assert data == {"a": {"b": UNKNOWN, "c": [1.0, {"d": UNKNOWN}]}}
    assert get(data, "a.b") is UNKNOWN
    assert get(data, "a.c.1.d") is UNKNOWN
    assert get(data, "a.b.deeper") is UNKNOWN
    assert get(data, "a.missing", "default") == "default"


def test_unknown_is_never_truthy() -> None:
    assert not UNKNOWN
    assert not truthy(UNKNOWN)
    assert truthy("true") and truthy(True) and not truthy("false")


def test_items_number_and_json() -> None:
    assert items({"x": {"k": 1}}, "x") == [{"k": 1}]
    assert items({}, "x") == []
    assert items({"x": UNKNOWN}, "x") is UNKNOWN
    assert number(3.0) == 3.0 and number("7") == 7.0 and number(UNKNOWN) is None and number(True) is None
    assert as_json('{"a": 1}') == {"a": 1}
    assert as_json(UNKNOWN) is UNKNOWN
    assert is_invalid(as_json("{nope"))


# --- properties of the unknown-safe accessors ----------------------------------------------------------

SENTINEL = st.sampled_from([UNKNOWN_STRING_VALUE, UNKNOWN_BOOLEAN_VALUE])
JSONISH = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=8) | SENTINEL,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


def _without_sentinels(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_sentinels(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_sentinels(v) for v in value]
    return UNKNOWN if value in (UNKNOWN_STRING_VALUE, UNKNOWN_BOOLEAN_VALUE) else value


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=5), JSONISH, max_size=5))
def test_plain_never_raises_and_keeps_every_known_value(props: dict) -> None:
    # GIVEN any property bag with unknowns anywhere, wrapped as pulumi_policy wraps it
    proxied = unknown_checking_proxy(props)
    # THEN unwrapping never raises and replaces exactly the sentinels with UNKNOWN
    assert plain(proxied) == _without_sentinels(props)


@settings(max_examples=60, deadline=None)
@given(JSONISH, st.lists(st.text(max_size=3) | st.integers(0, 3).map(str), max_size=4))
@example([], ["¹"])  # a digit to str.isdigit() that int() refuses: not a list index
def test_get_never_raises(data: object, path: list[str]) -> None:
    get(plain(data), path or ["x"])
