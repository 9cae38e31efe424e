"""CHAT_REQUEST_SCHEMA (what API Gateway validates) and the Lambda's own validation agree."""

from __future__ import annotations

import base64
import json
import re

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orchestrator.contract import (
    CHAT_REQUEST_SCHEMA,
    InvalidRequestError,
    chat_request_schema,
    decode_body,
    parse_chat_request,
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)
session_ids = st.from_regex(r"[A-Za-z0-9._:-]{2,100}", fullmatch=True) | st.text(max_size=110)
confirmations = (
    st.fixed_dictionaries(
        {},
        optional={
            "invocationId": st.from_regex(r"[A-Za-z0-9._:-]{1,100}", fullmatch=True) | json_scalars,
            "decision": st.sampled_from(["CONFIRM", "DENY", "confirm", ""]) | json_scalars,
            "extra": json_scalars,
        },
    )
    | json_values
)
documents = (
    st.fixed_dictionaries(
        {},
        optional={
            "message": st.text(min_size=0, max_size=60) | json_values,
            "sessionId": session_ids | json_values,
            "confirmation": confirmations,
            "enableTrace": st.booleans(),
        },
    )
    | json_values
)


def lambda_accepts(document: object, max_chars: int) -> bool:
    try:
        parse_chat_request(document, max_chars)
    except InvalidRequestError:
        return False
    return True


def regex_dialect_difference(document: object) -> bool:
    """JSON Schema's `$` (Python re and API Gateway's Java regex alike) also matches before a final
    newline; Bedrock does not accept that newline, so the Lambda refuses it: stricter on purpose."""
    return "\n" in json.dumps(document) and bool(
        re.search(r'"(sessionId|invocationId)": "[^"]*\\n"', json.dumps(document))
    )


def test_the_schema_is_draft_04_without_refs():
    # GIVEN the exported schema
    # WHEN it is checked against the draft-04 meta-schema
    jsonschema.Draft4Validator.check_schema(CHAT_REQUEST_SCHEMA)

    # THEN it is valid and self-contained, as API Gateway models require
    assert "$ref" not in json.dumps(CHAT_REQUEST_SCHEMA)
    assert CHAT_REQUEST_SCHEMA["additionalProperties"] is False


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents, max_chars=st.sampled_from([5, 40, 4000]))
def test_the_lambda_accepts_exactly_what_the_schema_accepts(document, max_chars):
    # GIVEN any JSON document and the schema for this MAX_INPUT_CHARS
    validator = jsonschema.Draft4Validator(chat_request_schema(max_chars))

    # WHEN both judge it
    schema_ok = validator.is_valid(document)
    lambda_ok = lambda_accepts(document, max_chars)

    # THEN they agree (the Lambda is only ever stricter, in the documented regex case)
    if schema_ok and not lambda_ok:
        assert regex_dialect_difference(document), document
    else:
        assert schema_ok == lambda_ok, document


@pytest.mark.parametrize(
    "document",
    [
        {"message": "hi", "sessionId": "ab\n"},
        {"message": "hi", "sessionId": "ab", "confirmation": {"invocationId": "x\n", "decision": "DENY"}},
    ],
)
def test_trailing_newlines_in_ids_are_refused_by_the_lambda(document):
    # GIVEN ids that end in a newline (accepted by JSON Schema's `$`)
    # WHEN the Lambda validates them, THEN it refuses, as Bedrock would
    assert jsonschema.Draft4Validator(CHAT_REQUEST_SCHEMA).is_valid(document)
    assert not lambda_accepts(document, 4000)


def test_lone_surrogates_are_refused():
    # GIVEN JSON text with an escaped lone surrogate, which no downstream service can encode
    document = json.loads('{"message": "\\ud800"}')

    # WHEN validated, THEN the Lambda refuses it with a clear message
    with pytest.raises(InvalidRequestError, match="valid Unicode"):
        parse_chat_request(document, 4000)


@settings(max_examples=100, deadline=None)
@given(
    message=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from('😀🙏👍한\u0000"\\'),
        min_size=1,
        max_size=400,
    ),
    ensure_ascii=st.booleans(),
    indent=st.sampled_from([None, 0, 4]),
    base64_encoded=st.booleans(),
)
def test_the_limit_is_the_decoded_messages_length_however_it_is_encoded(message, ensure_ascii, indent, base64_encoded):
    # GIVEN a message within the limit, sent JSON-escaped (an emoji is 12 bytes of \\uXXXX) or raw,
    # pretty-printed or not, base64-encoded or not
    body = json.dumps({"message": message, "sessionId": "s" * 100}, ensure_ascii=ensure_ascii, indent=indent)
    if base64_encoded:
        body = base64.b64encode(body.encode()).decode()

    # WHEN decoded and validated against a limit of exactly its length, THEN it is accepted
    request = parse_chat_request(decode_body(body, base64_encoded), max_input_chars=len(message))
    assert request.message == message

    # AND one character less is refused, by the message's length, never by the body's size
    with pytest.raises(InvalidRequestError, match="message: must be 1 to"):
        parse_chat_request(decode_body(body, base64_encoded), max_input_chars=len(message) - 1 or 0)
