"""The agent's guardrail around the harness: bedrock-runtime ApplyGuardrail, INPUT before, OUTPUT after.

A managed harness has no guardrail setting; AWS's migration guidance for Bedrock Agents says a guardrail
is enforced by "applying ApplyGuardrail outside the harness" (aws/agent-toolkit-for-aws, migrate Bedrock
Agents to AgentCore harness, mapping.md "Guardrail"); the API: "ApplyGuardrail" in the Bedrock API
reference (source INPUT | OUTPUT, content blocks with qualifiers).

GUARDRAIL_INTERVENED means one of two things: a policy BLOCKED the text (the response's `outputs` then
hold the guardrail's configured blocked message), or it only masked sensitive information (ANONYMIZED:
`outputs` hold the masked text, which is used from then on). The assessments tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from orchestrator.agent import mapped_call

MAX_GUARDED_CHARS = 25_000  # the orchestrator's longest text (MAX_INPUT_CHARS limit); answers are shorter


class Source(StrEnum):
    INPUT = "INPUT"
    OUTPUT = "OUTPUT"


@dataclass(frozen=True)
class GuardrailVerdict:
    blocked: bool
    text: str  # the text to go on with: unchanged, masked, or (blocked) the guardrail's own message
    intervened: bool


class GuardrailChecker:
    def __init__(self, client: Callable[[], Any], guardrail_id: str, guardrail_version: str) -> None:
        # A provider: the bedrock-runtime client is built on the first check.
        self._client = client
        self.guardrail_id = guardrail_id
        self.guardrail_version = guardrail_version

    def check(
        self, text: str, source: Source, *, query: str | None = None, grounding: str | None = None
    ) -> GuardrailVerdict:
        """Raises AgentError when the guardrail cannot be applied: an unchecked text never passes."""
        content = [{"text": {"text": text[:MAX_GUARDED_CHARS]}}]
        if source is Source.OUTPUT and (query or grounding):
            # Contextual grounding compares the answer with its sources and the question (as the workflow's
            # ValidateOutput state does); only the guard_content block is judged and returned.
            content = [{"text": {"text": text[:MAX_GUARDED_CHARS], "qualifiers": ["guard_content"]}}]
            if query:
                content.insert(0, {"text": {"text": query[:MAX_GUARDED_CHARS], "qualifiers": ["query"]}})
            if grounding:
                content.insert(0, {"text": {"text": grounding, "qualifiers": ["grounding_source"]}})
        response = mapped_call(
            lambda: self._client().apply_guardrail(
                guardrailIdentifier=self.guardrail_id,
                guardrailVersion=self.guardrail_version,
                source=source.value,
                content=content,
            )
        )
        if response.get("action") != "GUARDRAIL_INTERVENED":
            return GuardrailVerdict(False, text, False)
        guarded = "".join(str(o.get("text", "")) for o in response.get("outputs", ())).strip()
        blocked = _any_blocked(response.get("assessments", [])) or not guarded
        return GuardrailVerdict(blocked, guarded, True)


def _any_blocked(value: Any) -> bool:
    """Whether any policy in the assessments acted with BLOCKED (topic, content, word, sensitive
    information, contextual grounding, ...), wherever the model nests it."""
    if isinstance(value, dict):
        return value.get("action") == "BLOCKED" or any(_any_blocked(v) for v in value.values())
    if isinstance(value, list):
        return any(_any_blocked(v) for v in value)
    return False
