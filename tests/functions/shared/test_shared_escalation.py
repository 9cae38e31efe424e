"""The escalation message contract between orchestrator (producer) and escalation (consumer)."""

from __future__ import annotations

import json

from shared.escalation import EscalationReason
from shared.escalation_message import EscalationMessage

from tests.events import load_event


def test_the_documented_sqs_bodies_parse():
    for record in load_event("sqs_escalation_batch")["Records"]:
        message = EscalationMessage.model_validate_json(record["body"])
        assert message.agent == "support-assistant"


def test_round_trip_with_camel_case_keys_and_forward_compatibility():
    # GIVEN a message as the producer sends it
    message = EscalationMessage(
        correlation_id="c",
        session_id="s",
        agent="a",
        stage="walk",
        reason=EscalationReason.CIRCUIT_OPEN,
        redacted_input="[EMAIL] asked",
    )
    body = json.loads(message.to_json())
    assert {"correlationId", "sessionId", "redactedInput", "occurredAt", "schemaVersion"} <= body.keys()

    # WHEN a newer producer adds a field, THEN this consumer still reads it
    body["newField"] = 1
    assert EscalationMessage.model_validate(body) == message
