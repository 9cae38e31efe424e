"""Publishes one human-readable SNS notification per escalation message."""

from __future__ import annotations

from typing import Any

from shared.escalation import EscalationReason
from shared.escalation_message import EscalationMessage

REASON_LABELS: dict[EscalationReason, str] = {
    EscalationReason.GUARD_BLOCKED: "input blocked by the guard",
    EscalationReason.OUTPUT_BLOCKED: "answer blocked by the output check",
    EscalationReason.AGENT_FAILED: "agent failed; a limited fallback answer was given",
    EscalationReason.CIRCUIT_OPEN: "agent circuit open; a limited fallback answer was given",
    EscalationReason.FALLBACK_FAILED: "agent and fallback both failed; the user has no answer",
}
_SUBJECT_LIMIT = 99  # SNS: under 100 ASCII characters, no line breaks


def subject(message: EscalationMessage) -> str:
    text = f"[{message.stage}] {message.agent}: {REASON_LABELS[message.reason]}"
    ascii_only = text.encode("ascii", "ignore").decode().replace("\n", " ").strip()
    return ascii_only[:_SUBJECT_LIMIT]


def body(message: EscalationMessage) -> str:
    quoted = "\n".join(f"> {line}" for line in (message.redacted_input or "(empty)").splitlines()) or "> (empty)"
    return "\n".join(
        (
            "An AI agent conversation needs a human.",
            "",
            f"Agent:          {message.agent} (stage {message.stage})",
            f"Reason:         {REASON_LABELS[message.reason]} ({message.reason.value})",
            f"Details:        {message.detail or '-'}",
            f"Session:        {message.session_id}",
            f"Correlation id: {message.correlation_id}",
            f"When:           {message.occurred_at.strftime('%Y-%m-%d %H:%M:%S %Z').strip()}",
            "",
            "What the user wrote (PII redacted):",
            quoted,
            "",
            "Find the request in CloudWatch Logs Insights (orchestrator log group):",
            f'  fields @timestamp, @message | filter correlation_id = "{message.correlation_id}"',
        )
    )


class Notifier:
    def __init__(self, sns: Any, topic_arn: str) -> None:
        self._sns = sns
        self._topic_arn = topic_arn

    def notify(self, message: EscalationMessage) -> str:
        response = self._sns.publish(
            TopicArn=self._topic_arn,
            Subject=subject(message),
            Message=body(message),
            MessageAttributes={
                "reason": {"DataType": "String", "StringValue": message.reason.value},
                "agent": {"DataType": "String", "StringValue": message.agent},
                "stage": {"DataType": "String", "StringValue": message.stage},
            },
        )
        return str(response["MessageId"])
