"""Step Functions tasks (walk and run tiers): `{"step": "<name>", ...}` payloads, one method each.

The contract (inputs, outputs, error names) is documented in README.md; the state machine is written
against it. Payload keys are camelCase; extra keys are ignored so the state machine may pass its
whole state. A payload that breaks the contract raises InvalidStepInputError (don't retry it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel
from shared.pii import scrub
from shared.resilience import NO_RETRY
from shared.session_store import PendingConfirmation, Turn, TurnOutcome

from orchestrator.agent import citations_from_context
from orchestrator.contract import INVOCATION_ID_PATTERN, SESSION_ID_PATTERN, ConfirmationDecision, Decision
from orchestrator.errors import InvalidStepInputError, UnknownStepError, escalation_reason_for
from orchestrator.service import Answer, ChatService, Screening, confirmation_body
from orchestrator.stream import ConfirmationRequest

# The state machine owns retries in this mode (Retry on AgentThrottledError): one attempt per task,
# and a second kept back so the task returns its named error before the Lambda timeout.
STEP_DEADLINE_MARGIN_SECONDS = 1.0

SessionId = Annotated[str, Field(pattern=SESSION_ID_PATTERN)]


class _StepInput(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True)

    correlation_id: Annotated[str, Field(min_length=1, max_length=256)]


class GuardInput(_StepInput):
    message: Annotated[str, Field(min_length=1)]
    session_id: SessionId | None = None


class ConfirmationInput(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True)

    invocation_id: Annotated[str, Field(pattern=INVOCATION_ID_PATTERN)]
    decision: Decision


class PassageContent(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    text: str


class RetrievedPassage(BaseModel):
    """One `retrievalResults` entry of a bedrock-agent-runtime Retrieve call (the fields used here)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    content: PassageContent
    location: dict[str, Any] = {}
    score: float | None = None


class InvokeAgentInput(_StepInput):
    redacted_message: Annotated[str, Field(min_length=1)]
    session_id: SessionId
    # Checked here, before the agent is called: a malformed context is the caller's error, not the agent's.
    retrieved_context: Annotated[list[RetrievedPassage], Field(max_length=100)] | None = None
    confirmation: ConfirmationInput | None = None
    # Keep it below the task's TimeoutSeconds, so the state machine gets AgentTimeoutError, not States.Timeout.
    deadline_seconds: Annotated[float, Field(gt=0, le=900)] | None = None


class FallbackInput(_StepInput):
    redacted_message: Annotated[str, Field(min_length=1)]
    session_id: SessionId
    error: dict[str, Any] | None = None  # the Catch's ResultPath: {"Error": ..., "Cause": ...}


class Usage(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True)

    input_tokens: Annotated[int, Field(ge=0)] = 0
    output_tokens: Annotated[int, Field(ge=0)] = 0


class PendingInput(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True)

    invocation_id: str
    action_group: str
    api_path: str
    http_method: str
    resume: str = ""  # AgentCore engine: invoke_agent's resume state, stored with the pending confirmation


class RecordInput(_StepInput):
    session_id: SessionId
    redacted_message: str
    answer: str
    outcome: TurnOutcome
    citations: list[dict[str, str]] = []
    usage: Usage = Usage()
    fallback: bool = False
    escalated: bool = False
    confirmation: PendingInput | None = None


class StepRunner:
    def __init__(self, service: ChatService) -> None:
        self._service = service
        self._steps: dict[str, Callable[[dict[str, Any], float], dict[str, Any]]] = {
            "guard": self.guard,
            "invoke_agent": self.invoke_agent,
            "fallback": self.fallback,
            "record": self.record,
        }

    def run(self, event: dict[str, Any], time_left: float) -> dict[str, Any]:
        step = event.get("step")
        handler = self._steps.get(step) if isinstance(step, str) else None
        if handler is None:
            raise UnknownStepError(f"unknown step {scrub(step, 40)!r}; expected one of: {', '.join(self._steps)}")
        return handler(event, time_left)

    def guard(self, event: dict[str, Any], _time_left: float) -> dict[str, Any]:
        payload = _parse(GuardInput, event)
        screening: Screening = self._service.screen(payload.message, payload.session_id, payload.correlation_id)
        return {
            "allowed": screening.allowed,
            "redactedMessage": screening.redacted_message,
            "reasons": list(screening.reasons),
            "sessionId": screening.session_id,
            "correlationId": payload.correlation_id,
            "escalated": screening.escalated,
            "answer": screening.answer,
            "outcome": None if screening.allowed else TurnOutcome.BLOCKED.value,
        }

    def invoke_agent(self, event: dict[str, Any], time_left: float) -> dict[str, Any]:
        payload = _parse(InvokeAgentInput, event)
        confirmation = None
        if payload.confirmation is not None:
            confirmation = self._pending(payload.session_id, payload.confirmation)
        budget = time_left - STEP_DEADLINE_MARGIN_SECONDS
        if payload.deadline_seconds is not None:
            budget = min(budget, payload.deadline_seconds)
        retrieved = [p.model_dump() for p in payload.retrieved_context] if payload.retrieved_context else None
        answer = self._service.ask_agent(
            payload.redacted_message,
            payload.session_id,
            payload.correlation_id,
            deadline=self._service.now() + budget,
            retry_policy=NO_RETRY,
            retrieved_context=retrieved,
            confirmation=confirmation,
        )
        if not answer.citations and retrieved:
            answer = replace(answer, citations=citations_from_context(retrieved))
        return _answer_output(answer)

    def fallback(self, event: dict[str, Any], time_left: float) -> dict[str, Any]:
        payload = _parse(FallbackInput, event)
        error = payload.error or {}
        error_name = str(error.get("Error", "AgentError"))
        answer = self._service.degrade(
            payload.redacted_message,
            payload.session_id,
            payload.correlation_id,
            reason=escalation_reason_for(error_name),
            detail=f"{error_name}: {str(error.get('Cause', ''))[:1500]}",
            time_left=time_left - STEP_DEADLINE_MARGIN_SECONDS,
        )
        return _answer_output(answer)

    def record(self, event: dict[str, Any], _time_left: float) -> dict[str, Any]:
        """Store the turn; never raises for a storage fault (the turn goes to the log sink instead)."""
        try:
            payload = _parse(RecordInput, event)
        except InvalidStepInputError:
            # Not silently dropped: what the payload carries is logged for a human, then the state
            # machine's Catch parks it (functions/README.md, "Nothing is lost").
            self._service.reject_record(event)
            raise
        stored = self._service.record(turn_from(payload, self._service.agent_name))
        return {
            "answer": payload.answer,
            "citations": payload.citations,
            "sessionId": payload.session_id,
            "traceId": payload.correlation_id,
            "escalated": payload.escalated,
            "fallback": payload.fallback,
            # The user sees what invoke_agent showed, never the engine's resume state.
            "confirmation": _shown(event.get("confirmation")) if payload.confirmation else None,
            "stored": stored,
        }

    def _pending(
        self, session_id: str, confirmation: ConfirmationInput
    ) -> tuple[ConfirmationDecision, PendingConfirmation]:
        pending = self._service.pending_confirmation(session_id, confirmation.invocation_id)
        if pending is None:
            raise InvalidStepInputError(
                f"session {session_id} has no pending action {confirmation.invocation_id} (or it expired)"
            )
        return ConfirmationDecision(confirmation.invocation_id, confirmation.decision), pending


def turn_from(payload: RecordInput, agent: str) -> Turn:
    pending = payload.confirmation
    return Turn(
        session_id=payload.session_id,
        correlation_id=payload.correlation_id,
        agent=agent,
        user_message=payload.redacted_message,
        answer=payload.answer,
        outcome=payload.outcome,
        citations=tuple(payload.citations),
        input_tokens=payload.usage.input_tokens,
        output_tokens=payload.usage.output_tokens,
        pending_confirmation=PendingConfirmation(
            pending.invocation_id, pending.action_group, pending.api_path, pending.http_method, pending.resume
        )
        if pending
        else None,
    )


def _parse(model: type[_StepInput], event: dict[str, Any]) -> Any:
    try:
        return model.model_validate(event)
    except ValidationError as error:
        raise InvalidStepInputError(f"step {scrub(event.get('step'), 40)!r}: {validation_problems(error)}") from None


def validation_problems(error: ValidationError) -> str:
    """Where and what, never the rejected value: pydantic's `msg` names the rule, and field names
    (which can be keys the caller chose) pass the recogniser."""
    return "; ".join(f"{scrub('.'.join(map(str, e['loc'])), 200)}: {e['msg']}" for e in error.errors())


def _shown(confirmation: Any) -> Any:
    if isinstance(confirmation, dict):
        return {key: value for key, value in confirmation.items() if key != "resume"}
    return confirmation


def _answer_output(answer: Answer) -> dict[str, Any]:
    confirmation: ConfirmationRequest | None = answer.confirmation
    return {
        "answer": answer.answer,
        "citations": answer.citations,
        "usage": {"inputTokens": answer.input_tokens, "outputTokens": answer.output_tokens},
        "outcome": answer.outcome,
        "fallback": answer.fallback,
        "escalated": answer.escalated,
        "confirmation": confirmation_body(confirmation, with_resume=True),
    }
