"""IAM policy documents as the rules read them: parsing, conditions, wildcards, TLS-only denies."""

from __future__ import annotations

import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.core.documents import Document, denies_insecure_transport, is_wildcard_resource, parse
from policies.core.props import UNKNOWN


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
