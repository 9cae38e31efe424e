from __future__ import annotations

import json

import pytest

from components.base.iam import (
    KEY_SERVICE_ACTIONS,
    KeyGrant,
    PolicyBuildError,
    ServiceTrust,
    Statement,
    key_policy,
    policy_document,
    trust_policy,
)
from tests.components.harness import build


def _resolved(output) -> dict:
    """Resolve an Output document inside a mock program run."""
    captured: dict = {}

    def factory(location) -> None:
        output.apply(lambda text: captured.setdefault("doc", json.loads(text)))

    build(factory)
    return captured["doc"]


@pytest.mark.parametrize("action", ["*", "s3:*", "s3:Get*", "s3", "iam:Pass Role"])
def test_wildcard_or_malformed_actions_are_refused(action: str) -> None:
    with pytest.raises(PolicyBuildError, match="not an explicit action"):
        Statement(sid="Bad", actions=(action,), resources=("arn:aws:s3:::bucket",))


def test_a_wildcard_resource_is_refused_for_actions_with_resource_level_permissions() -> None:
    with pytest.raises(PolicyBuildError, match="s3:GetObject support resource-level permissions"):
        Statement(sid="Bad", actions=("s3:GetObject",), resources=("*",))


def test_a_wildcard_resource_is_accepted_for_allow_listed_actions_only() -> None:
    statement = Statement(sid="Tracing", actions=("xray:PutTraceSegments",), resources=("*",))
    assert statement.to_json()["Resource"] == "*"
    with pytest.raises(PolicyBuildError, match="cannot be mixed"):
        Statement(sid="Mixed", actions=("xray:PutTraceSegments",), resources=("*", "arn:aws:s3:::b"))


def test_statement_ids_must_be_unique() -> None:
    statement = Statement(sid="Same", actions=("s3:GetObject",), resources=("arn:aws:s3:::b/*",))
    with pytest.raises(PolicyBuildError, match="duplicate statement ids"):
        policy_document(statement, statement)


def test_documents_are_allow_only_with_sorted_actions() -> None:
    document = _resolved(
        policy_document(
            Statement(
                sid="Read",
                actions=("s3:GetObject", "s3:GetObject", "kms:Decrypt"),
                resources=("arn:aws:s3:::b/*",),
                conditions={"StringEquals": {"aws:ResourceAccount": "123456789012"}},
            )
        )
    )
    [statement] = document["Statement"]
    assert statement == {
        "Sid": "Read",
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "s3:GetObject"],
        "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}},
    }


def test_trust_policies_pin_the_account_and_source() -> None:
    document = _resolved(
        trust_policy(
            ServiceTrust(
                "bedrock.amazonaws.com", "123456789012", "arn:aws:bedrock:us-east-1:123456789012:agent/*", True
            )
        )
    )
    [statement] = document["Statement"]
    assert statement["Principal"] == {"Service": "bedrock.amazonaws.com"}
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:123456789012:agent/*"},
    }


def test_key_policies_give_kms_star_to_the_root_only() -> None:
    grant = KeyGrant(
        "Logs",
        "logs.us-east-1.amazonaws.com",
        KEY_SERVICE_ACTIONS,
        {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "x"}},
    )
    document = _resolved(key_policy("123456789012", "aws", [grant]))
    star = [s for s in document["Statement"] if s["Action"] == "kms:*"]
    assert [s["Principal"] for s in star] == [{"AWS": "arn:aws:iam::123456789012:root"}]
    assert all(
        "Condition" in s for s in document["Statement"] if s["Principal"] != {"AWS": "arn:aws:iam::123456789012:root"}
    )


def test_key_grants_need_a_condition_and_explicit_kms_actions() -> None:
    with pytest.raises(PolicyBuildError, match="scoped by a condition"):
        KeyGrant("Open", "events.amazonaws.com", ("kms:Decrypt",), {})
    with pytest.raises(PolicyBuildError, match="not an explicit kms action"):
        KeyGrant("Star", "events.amazonaws.com", ("kms:*",), {"StringEquals": {"aws:SourceAccount": "1"}})
