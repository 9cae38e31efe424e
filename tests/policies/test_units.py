"""Pure helpers of the pack: unknown-safe properties, policy documents, stage resolution."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from environments.tiers import Tier
from policies import stage
from policies._props import UNKNOWN, as_json, get, is_invalid, items, number, plain, truthy
from policies.documents import Document, denies_insecure_transport, is_wildcard_resource, parse

# --- _props -----------------------------------------------------------------------------------------


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


# --- documents ----------------------------------------------------------------------------------------


def test_parse_normalises_statements_and_principals() -> None:
    document = parse(json.dumps({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}}))
    assert isinstance(document, Document)
    statement = document.statements[0]
    assert statement.public and statement.allows
    assert statement.actions == ("s3:GetObject",)
    assert parse(UNKNOWN_STRING_VALUE) is UNKNOWN
    assert "not valid JSON" in parse("{")
    assert parse(json.dumps({"Version": "2012-10-17"})) == "has no Statement"


def test_condition_keys_are_case_insensitive() -> None:
    document = parse(
        json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"AWS:SourceAccount": "1"}},
                    }
                ]
            }
        )
    )
    assert document.statements[0].has_condition("aws:sourceaccount")


@pytest.mark.parametrize(
    ("resource", "wildcard"),
    [
        ("*", True),
        ("arn:aws:s3:::*", True),
        ("arn:aws:sqs:us-east-1:123456789012:*", True),
        ("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*", False),
        ("arn:aws:s3:::bucket/*", False),
    ],
)
def test_wildcard_resources(resource: str, wildcard: bool) -> None:
    assert is_wildcard_resource(resource) is wildcard


def test_tls_only_deny_is_recognised() -> None:
    deny = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": False}},
    }
    assert denies_insecure_transport(parse(json.dumps({"Statement": [deny]})), ("s3:GetObject",))
    assert not denies_insecure_transport(
        parse(json.dumps({"Statement": [{**deny, "Effect": "Allow"}]})), ("s3:GetObject",)
    )
    assert not denies_insecure_transport(parse(json.dumps({"Statement": [deny]})), ("sqs:SendMessage",))


# --- stage ---------------------------------------------------------------------------------------------


def test_no_environment_means_the_strictest_settings() -> None:
    resolved = stage.resolve({"aws:region": "us-east-1"})
    assert not resolved.resolved
    assert resolved.tier.tier is Tier.RUN and resolved.owns_account_singletons
    assert "strictest" in resolved.source


def test_an_environment_that_does_not_load_means_the_strictest_settings() -> None:
    resolved = stage.resolve({"agent-platform:environment": "no-such-stage"})
    assert not resolved.resolved and "does not load" in resolved.source


@pytest.mark.parametrize("name", ["crawl", "walk", "run"])
def test_the_shipped_environments_resolve_to_their_tier(name: str) -> None:
    resolved = stage.resolve({"agent-platform:environment": name})
    assert resolved.resolved and resolved.name == name and resolved.tier.tier is Tier(name)
    assert resolved.owns_account_singletons == (resolved.owner_stage == name)


def test_the_pack_reads_its_stack_config_from_pulumi_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"agent-platform:environment": "walk"}))
    monkeypatch.setenv("PULUMI_PROJECT", "agent-platform")
    stage.current.cache_clear()
    try:
        assert stage.current().name == "walk"
    finally:
        stage.current.cache_clear()


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
def test_get_never_raises(data: object, path: list[str]) -> None:
    get(plain(data), path or ["x"])
