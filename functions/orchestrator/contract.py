"""The orchestrator's external contracts, as data.

- CHAT_REQUEST_SCHEMA: JSON Schema (draft-04, no $ref) of `POST /agents/{agent}/chat`. The Gateway
  component installs the same dict as the API Gateway request model, and `parse_chat_request` accepts
  exactly what it accepts (tests/functions/orchestrator prove it), so a request the gateway lets through
  is never refused by the Lambda for a different reason.
- Step Functions payloads of each step (see README.md for the full contract).
(The texts users read when the orchestrator speaks for itself are in `orchestrator.messages`.)
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import InvalidInputError

from orchestrator.config import DEFAULT_MAX_INPUT_CHARS

# Bedrock's sessionId rule (2..100 of [0-9a-zA-Z._:-]).
SESSION_ID_PATTERN = r"^[A-Za-z0-9._:-]{2,100}$"
INVOCATION_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,100}$"
_SESSION_ID = re.compile(SESSION_ID_PATTERN.rstrip("$") + r"\Z")
_INVOCATION_ID = re.compile(INVOCATION_ID_PATTERN.rstrip("$") + r"\Z")


class Decision(StrEnum):
    CONFIRM = "CONFIRM"
    DENY = "DENY"


def chat_request_schema(max_input_chars: int = DEFAULT_MAX_INPUT_CHARS) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "ChatRequest",
        "type": "object",
        "additionalProperties": False,  # enableTrace and friends are not the caller's to set
        "required": ["message"],
        # Answering a confirmation needs the session that asked for it.
        "dependencies": {"confirmation": ["sessionId"]},
        "properties": {
            "message": {"type": "string", "minLength": 1, "maxLength": max_input_chars},
            "sessionId": {"type": "string", "pattern": SESSION_ID_PATTERN},
            "confirmation": {
                "type": "object",
                "additionalProperties": False,
                "required": ["invocationId", "decision"],
                "properties": {
                    "invocationId": {"type": "string", "pattern": INVOCATION_ID_PATTERN},
                    "decision": {"type": "string", "enum": [d.value for d in Decision]},
                },
            },
        },
    }


CHAT_REQUEST_SCHEMA: dict[str, Any] = chat_request_schema()


@dataclass(frozen=True)
class ConfirmationDecision:
    invocation_id: str
    decision: Decision


@dataclass(frozen=True)
class ChatRequest:
    message: str
    session_id: str | None
    confirmation: ConfirmationDecision | None


class InvalidRequestError(InvalidInputError):
    """The request body breaks the contract; `problems` says what to fix, field by field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def decode_body(body: str | None, is_base64: bool) -> Any:
    """The JSON document of the body. Its size is not limited here: the limit is the message's length,
    counted on the decoded text as the schema counts it (an emoji sent JSON-escaped is 12 bytes and
    one character). What can arrive is already bounded by Lambda's 6 MB invocation payload."""
    if body is None or body == "":
        raise InvalidRequestError(["body: required; send a JSON object with a `message`"])
    try:
        raw = base64.b64decode(body, validate=True) if is_base64 else body.encode("utf-8", "surrogatepass")
    except (binascii.Error, ValueError):
        raise InvalidRequestError(["body: not valid base64"]) from None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidRequestError(["body: not valid JSON"]) from None


def parse_chat_request(document: Any, max_input_chars: int) -> ChatRequest:
    """Validate a decoded body against CHAT_REQUEST_SCHEMA's rules; report every problem at once."""
    if not isinstance(document, dict):
        raise InvalidRequestError(["body: must be a JSON object"])
    problems = [f"{key}: unknown field" for key in document if key not in ("message", "sessionId", "confirmation")]
    message = document.get("message")
    if "message" not in document:
        problems.append("message: required")
    elif not isinstance(message, str):
        problems.append("message: must be a string")
    elif not 1 <= len(message) <= max_input_chars:
        problems.append(f"message: must be 1 to {max_input_chars} characters")
    elif _has_lone_surrogate(message):
        # JSON allows "\ud800"; no downstream service (Bedrock, DynamoDB, logs) can encode it.
        problems.append("message: must be valid Unicode text")
    session_id = document.get("sessionId")
    if "sessionId" in document and not (isinstance(session_id, str) and _SESSION_ID.match(session_id)):
        problems.append("sessionId: must be 2 to 100 characters of A-Z a-z 0-9 . _ : -")
    confirmation = _parse_confirmation(document, problems)
    if "confirmation" in document and "sessionId" not in document:
        problems.append("sessionId: required when confirmation is sent")
    if problems:
        raise InvalidRequestError(problems)
    assert isinstance(message, str)
    return ChatRequest(message=message, session_id=session_id, confirmation=confirmation)


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _parse_confirmation(document: dict[str, Any], problems: list[str]) -> ConfirmationDecision | None:
    if "confirmation" not in document:
        return None
    value = document["confirmation"]
    if not isinstance(value, dict):
        problems.append("confirmation: must be an object with invocationId and decision")
        return None
    found = len(problems)
    problems.extend(f"confirmation.{key}: unknown field" for key in value if key not in ("invocationId", "decision"))
    invocation_id, decision = value.get("invocationId"), value.get("decision")
    if not (isinstance(invocation_id, str) and _INVOCATION_ID.match(invocation_id)):
        problems.append("confirmation.invocationId: required, 1 to 100 characters of A-Z a-z 0-9 . _ : -")
    if decision not in tuple(Decision):
        problems.append("confirmation.decision: required, CONFIRM or DENY")
    if len(problems) > found:
        return None
    return ConfirmationDecision(invocation_id=str(invocation_id), decision=Decision(decision))
