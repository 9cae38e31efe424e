"""Step Functions tasks (walk and run tiers): `{"step": "<name>", ...}` payloads, one method each.

The contract (inputs, outputs, error names) is documented in README.md; the state machine is written
against it. Payload keys are camelCase; extra keys are ignored so the state machine may pass its
whole state. A payload that breaks the contract raises InvalidStepInputError (don't retry it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel
from shared.escalation import EscalationReason
from shared.resilience import NO_RETRY
from shared.session_store import PendingConfirmation, Turn

from orchestrator.agent import citations_from_context
from orchestrator.contract import INVOCATION_ID_PATTERN, SESSION_ID_PATTERN, ConfirmationDecision, Decision
from orchestrator.errors import InvalidStepInputError, UnknownStepError
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


class InvokeAgentInput(_StepInput):
    redacted_message: Annotated[str, Field(min_length=1)]
    session_id: SessionId
    retrieved_context: list[dict[str, Any]] | None = None
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


class RecordInput(_StepInput):
    session_id: SessionId
    redacted_message: str
    answer: str
    outcome: Literal["answered", "confirmation_requested", "blocked", "fallback", "escalated", "unavailable"]
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
            raise UnknownStepError(f"unknown step {step!r}; expected one of: {', '.join(self._steps)}")
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
            "outcome": None if screening.allowed else "blocked",
        }

    def invoke_agent(self, event: dict[str, Any], time_left: float) -> dict[str, Any]:
        payload = _parse(InvokeAgentInput, event)
        confirmation = None
        if payload.confirmation is not None:
            confirmation = self._pending(payload.session_id, payload.confirmation)
        budget = time_left - STEP_DEADLINE_MARGIN_SECONDS
        if payload.deadline_seconds is not None:
            budget = min(budget, payload.deadline_seconds)
        answer = self._service.ask_agent(
            payload.redacted_message,
            payload.session_id,
            payload.correlation_id,
            deadline=self._service.now() + budget,
            retry_policy=NO_RETRY,
            retrieved_context=payload.retrieved_context,
            confirmation=confirmation,
        )
        if not answer.citations and payload.retrieved_context:
            answer = replace(answer, citations=citations_from_context(payload.retrieved_context))
        return _answer_output(answer)

    def fallback(self, event: dict[str, Any], time_left: float) -> dict[str, Any]:
        payload = _parse(FallbackInput, event)
        error = payload.error or {}
        error_name = str(error.get("Error", "AgentError"))
        reason = EscalationReason.AGENT_FAILED
        if "circuit" in str(error.get("Cause", "")).lower():
            reason = EscalationReason.CIRCUIT_OPEN
        answer = self._service.degrade(
            payload.redacted_message,
            payload.session_id,
            payload.correlation_id,
            reason=reason,
            detail=f"{error_name}: {str(error.get('Cause', ''))[:1500]}",
            time_left=time_left - STEP_DEADLINE_MARGIN_SECONDS,
        )
        return _answer_output(answer)

    def record(self, event: dict[str, Any], _time_left: float) -> dict[str, Any]:
        payload = _parse(RecordInput, event)
        pending = payload.confirmation
        stored = self._service.record(
            Turn(
                session_id=payload.session_id,
                correlation_id=payload.correlation_id,
                agent=self._service.agent_name,
                user_message=payload.redacted_message,
                answer=payload.answer,
                outcome=payload.outcome,
                citations=tuple(payload.citations),
                input_tokens=payload.usage.input_tokens,
                output_tokens=payload.usage.output_tokens,
                pending_confirmation=PendingConfirmation(
                    pending.invocation_id, pending.action_group, pending.api_path, pending.http_method
                )
                if pending
                else None,
            )
        )
        return {
            "answer": payload.answer,
            "citations": payload.citations,
            "sessionId": payload.session_id,
            "traceId": payload.correlation_id,
            "escalated": payload.escalated,
            "fallback": payload.fallback,
            "confirmation": event.get("confirmation") if payload.confirmation else None,
            "stored": stored,
        }

    def _pending(
        self, session_id: str, confirmation: ConfirmationInput
    ) -> tuple[ConfirmationDecision, PendingConfirmation]:
        pending = self._service.pending_confirmation(session_id, confirmation.invocation_id)
        if pending is None:
            raise InvalidStepInputError(f"session {session_id} has no pending action {confirmation.invocation_id}")
        return ConfirmationDecision(confirmation.invocation_id, confirmation.decision), pending


def _parse(model: type[_StepInput], event: dict[str, Any]) -> Any:
    try:
        return model.model_validate(event)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise InvalidStepInputError(f"step {event.get('step')!r}: {problems}") from None


def _answer_output(answer: Answer) -> dict[str, Any]:
    confirmation: ConfirmationRequest | None = answer.confirmation
    return {
        "answer": answer.answer,
        "citations": answer.citations,
        "usage": {"inputTokens": answer.input_tokens, "outputTokens": answer.output_tokens},
        "outcome": answer.outcome,
        "fallback": answer.fallback,
        "escalated": answer.escalated,
        "confirmation": confirmation_body(confirmation),
    }
