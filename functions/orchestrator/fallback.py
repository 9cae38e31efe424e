"""The degraded path: a light model through bedrock-runtime Converse, behind the same guardrail.

Used when the agent fails or its circuit is open. It has no tools and no knowledge base, so the
system prompt forbids inventing specifics, and the code (not the model) prepends the notice that
this is a limited answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from shared.aws import describe_error

from orchestrator.errors import FallbackError
from orchestrator.messages import Messages

_SYSTEM_PROMPT = (
    "You stand in for the {agent} assistant while it is unavailable. You have no tools, no account data "
    "and no company documents. Answer briefly from general knowledge only; never invent order numbers, "
    "ticket ids, prices, policies or account details. If the question needs them, say that the full "
    "assistant or a support person will follow up, and suggest what the user can do meanwhile. {answer_in}"
)


@dataclass(frozen=True)
class FallbackReply:
    answer: str
    input_tokens: int
    output_tokens: int
    guardrail_intervened: bool


class FallbackResponder:
    def __init__(
        self,
        client: Callable[[], Any],
        model_id: str,
        guardrail_id: str,
        guardrail_version: str,
        agent_name: str,
        messages: Messages,
    ) -> None:
        # A provider, not a client: the happy path never builds the bedrock-runtime client.
        self._client = client
        self._model_id = model_id
        self._guardrail = {"guardrailIdentifier": guardrail_id, "guardrailVersion": guardrail_version}
        self._system = _SYSTEM_PROMPT.format(agent=agent_name, answer_in=messages.answer_in)
        self._notice = messages.limited_answer_notice

    def answer(self, text: str) -> FallbackReply:
        try:
            response = self._client().converse(
                modelId=self._model_id,
                system=[{"text": self._system}],
                messages=[{"role": "user", "content": [{"text": text}]}],
                # No sampling parameters: the Claude 5.5 models refuse a non-default `temperature` (400, "deprecated
                # for this model"); the system prompt, not sampling, keeps the answer conservative.
                inferenceConfig={"maxTokens": 512},
                guardrailConfig=self._guardrail,
            )
        except (ClientError, BotoCoreError) as error:
            raise FallbackError(f"fallback model failed: {describe_error(error)}") from error
        content = response.get("output", {}).get("message", {}).get("content", [])
        text_out = "".join(block.get("text", "") for block in content).strip()
        if not text_out:
            raise FallbackError(f"fallback model returned no text (stopReason={response.get('stopReason')})")
        usage = response.get("usage", {})
        return FallbackReply(
            answer=f"{self._notice}\n\n{text_out}",
            input_tokens=int(usage.get("inputTokens", 0)),
            output_tokens=int(usage.get("outputTokens", 0)),
            guardrail_intervened=response.get("stopReason") == "guardrail_intervened",
        )
