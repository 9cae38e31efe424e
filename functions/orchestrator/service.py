"""The orchestration logic, free of Lambda and HTTP: guard -> agent (circuit breaker, retries,
deadline) -> fallback model -> human escalation -> session record. The API route and the Step
Functions steps are thin adapters over these methods."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.errors import InvalidInputError
from shared.escalation import MAX_DETAIL_CHARS, MAX_REDACTED_INPUT_CHARS, EscalationQueue, EscalationReason
from shared.guard import Guard
from shared.metrics import MetricName, MetricsSink, emit
from shared.pii import scrub
from shared.resilience import CircuitBreaker, CircuitOpenError, RetryPolicy, retry_call
from shared.session_store import PendingConfirmation, SessionStore, SessionStoreError, Turn, TurnOutcome

from orchestrator.agent import Attempt
from orchestrator.contract import ChatRequest, ConfirmationDecision
from orchestrator.errors import AgentCircuitOpenError, AgentError, AgentInvocationError, FallbackError
from orchestrator.fallback import FallbackResponder
from orchestrator.messages import Messages, blocked_answer, confirmation_prompt, unavailable_answer
from orchestrator.stream import AgentReply, ConfirmationRequest

# Time kept back from the agent for the fallback model (connect 2 s + read 6 s) and the session
# write and escalation (a second each): the answer must leave before API Gateway's 29 s.
FALLBACK_RESERVE_SECONDS = 10.0
MIN_FALLBACK_SECONDS = 2.0
API_RETRY_POLICY = RetryPolicy(max_attempts=3, base_delay=0.25, max_delay=2.0)


class Invoker(Protocol):
    """What answers for the agent: `agent.AgentInvoker` (classic) or `harness.HarnessInvoker` (agentcore).
    It calls `attempt(operation)` around each call worth retrying inside this invocation."""

    def invoke(
        self,
        *,
        session_id: str,
        text: str,
        deadline: float,
        retrieved_context: list[dict[str, Any]] | None = None,
        confirmation: tuple[ConfirmationDecision, PendingConfirmation] | None = None,
        attempt: Attempt[Any] = ...,
        principal: str | None = None,
        correlation_id: str = "",
    ) -> AgentReply: ...


@dataclass(frozen=True)
class Screening:
    allowed: bool
    redacted_message: str
    reasons: tuple[str, ...]
    session_id: str
    escalated: bool
    answer: str | None  # the refusal, when blocked


@dataclass(frozen=True)
class Answer:
    answer: str
    outcome: TurnOutcome
    citations: list[dict[str, str]] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    fallback: bool = False
    escalated: bool = False
    confirmation: ConfirmationRequest | None = None


@dataclass(frozen=True)
class ChatResult:
    status_code: int
    body: dict[str, Any]


def new_session_id() -> str:
    return uuid.uuid4().hex


def confirmation_body(confirmation: ConfirmationRequest | None, *, with_resume: bool = False) -> dict[str, Any] | None:
    """What the user is shown; `with_resume` adds the engine's resume state for the workflow's record step
    (it travels inside the state machine, never to the user)."""
    if confirmation is None:
        return None
    body = {
        "invocationId": confirmation.invocation_id,
        "actionGroup": confirmation.action_group,
        "apiPath": confirmation.api_path,
        "httpMethod": confirmation.http_method,
        "parameters": confirmation.parameters,
    }
    if with_resume and confirmation.resume:
        body["resume"] = confirmation.resume
    return body


class ChatService:
    def __init__(
        self,
        *,
        agent_name: str,
        stage: str,
        guard: Guard,
        invoker: Invoker,
        fallback: FallbackResponder,
        breaker: CircuitBreaker,
        store: SessionStore,
        escalations: EscalationQueue | None,
        metrics: MetricsSink,
        logger: logging.Logger | Any,
        messages: Messages,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.agent_name = agent_name
        self.messages = messages
        self.stage = stage
        self.guard = guard
        self._invoker = invoker
        self._fallback = fallback
        self._breaker = breaker
        self.store = store
        self._escalations = escalations
        self._metrics = metrics
        self._logger = logger
        self._clock = clock
        self._sleep = sleep

    def now(self) -> float:
        """The service's monotonic clock: deadlines handed to ask_agent are measured on it."""
        return self._clock()

    # -- building blocks (also the Step Functions steps) ---------------------------------------

    def screen(self, message: str, session_id: str | None, correlation_id: str) -> Screening:
        verdict = self.guard.check_input(message)
        session_id = session_id or new_session_id()
        if verdict.redactions:
            self._logger.info("redacted PII from input", extra={"redactions": verdict.redactions})
        if verdict.allowed:
            return Screening(True, verdict.redacted_text, (), session_id, False, None)
        self._count(MetricName.GUARD_BLOCKED)
        self._logger.warning("input blocked by guard", extra={"reasons": list(verdict.reasons)})
        escalated = self.escalate(
            EscalationReason.GUARD_BLOCKED,
            correlation_id,
            session_id,
            verdict.redacted_text,
            ", ".join(verdict.reasons),
        )
        return Screening(
            False,
            verdict.redacted_text,
            verdict.reasons,
            session_id,
            escalated,
            blocked_answer(self.messages, correlation_id, escalated),
        )

    def ask_agent(
        self,
        redacted_message: str,
        session_id: str,
        correlation_id: str,
        *,
        deadline: float,
        retry_policy: RetryPolicy,
        retrieved_context: list[dict[str, Any]] | None = None,
        confirmation: tuple[ConfirmationDecision, PendingConfirmation] | None = None,
        principal: str | None = None,
    ) -> Answer:
        """The agent's answer; raises AgentError (AgentCircuitOpenError when the circuit is open)."""

        def attempt(operation: Any) -> Any:
            # Jittered retries of what failed inside a stream, within what is left of the deadline.
            return retry_call(
                operation,
                is_retryable=lambda error: isinstance(error, AgentError) and error.retry_in_lambda,
                policy=retry_policy.with_budget(deadline - self._clock()),
                sleep=self._sleep,
                clock=self._clock,
                on_retry=self._log_retry,
            )

        def invoke_with_retries() -> AgentReply:  # runs only when the breaker lets the call through
            self._count(MetricName.AGENT_INVOCATIONS)
            started = self._clock()
            try:
                return self._invoker.invoke(
                    session_id=session_id,
                    text=redacted_message,
                    deadline=deadline,
                    retrieved_context=retrieved_context,
                    confirmation=confirmation,
                    attempt=attempt,
                    principal=principal,
                    correlation_id=correlation_id,
                )
            finally:
                self._count(MetricName.AGENT_LATENCY, (self._clock() - started) * 1000)

        try:
            # Every exception but the caller's own counts against the agent, so a failed half-open trial
            # always re-opens the circuit; a malformed request leaves the breaker where it was.
            reply = self._breaker.call(
                invoke_with_retries, is_failure=lambda error: not isinstance(error, InvalidInputError)
            )
        except CircuitOpenError as error:
            self._count(MetricName.CIRCUIT_OPEN)
            raise AgentCircuitOpenError(str(error)) from error
        except AgentError as error:
            self._count(MetricName.AGENT_ERRORS)
            self._logger.error("agent failed", extra={"error_type": type(error).__name__, "error": scrub(error)})
            raise
        self._count_tokens(reply.input_tokens, reply.output_tokens)
        if reply.tool_failures:
            failures = [{k: scrub(v, 200) for k, v in failure.items()} for failure in reply.tool_failures]
            self._logger.warning("agent reported tool failures", extra={"tool_failures": failures})
        return self._checked_answer(reply, session_id, correlation_id, redacted_message)

    def degrade(
        self,
        redacted_message: str,
        session_id: str,
        correlation_id: str,
        *,
        reason: EscalationReason,
        detail: str,
        time_left: float,
    ) -> Answer:
        """Fallback model, then a human: every call escalates, once, with the most severe reason."""
        self._count(MetricName.FALLBACKS)
        try:
            if time_left < MIN_FALLBACK_SECONDS:
                raise FallbackError(f"only {time_left:.1f}s left; not calling the fallback model")
            reply = self._fallback.answer(redacted_message)
        except FallbackError as error:
            self._logger.error("fallback failed", extra={"error": scrub(error)})
            escalated = self.escalate(
                EscalationReason.FALLBACK_FAILED, correlation_id, session_id, redacted_message, f"{detail}; {error}"
            )
            return Answer(
                unavailable_answer(self.messages, correlation_id, escalated),
                TurnOutcome.ESCALATED if escalated else TurnOutcome.UNAVAILABLE,
                fallback=True,
                escalated=escalated,
            )
        self._count_tokens(reply.input_tokens, reply.output_tokens)
        if reply.guardrail_intervened:
            self._count(MetricName.GUARD_BLOCKED)
        escalated = self.escalate(reason, correlation_id, session_id, redacted_message, detail)
        return Answer(
            reply.answer,
            TurnOutcome.FALLBACK,
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            fallback=True,
            escalated=escalated,
        )

    def record(self, turn: Turn) -> bool:
        return self.store.record_turn(turn).stored

    def reject_record(self, payload: Any) -> None:
        """A record payload that breaks the contract: log what identifies it, for a human (the turn's
        texts stay out of the log; the state machine's Catch parks the whole payload)."""
        fields = payload if isinstance(payload, dict) else {}
        self._logger.error(
            "record payload rejected; the turn was not stored",
            extra={
                "session_id": scrub(fields.get("sessionId"), 120),
                "payload_keys": [scrub(key, 60) for key in list(fields)[:30]],
            },
        )

    def escalate(
        self, reason: EscalationReason, correlation_id: str, session_id: str, redacted_input: str, detail: str
    ) -> bool:
        if self._escalations is None:
            return False  # crawl tier: no queue; the answer says so instead of promising a human
        # Imported here: pydantic is only worth loading on the (rare) escalation path.
        from shared.escalation_message import EscalationMessage

        sent = self._escalations.send(
            EscalationMessage(
                correlation_id=correlation_id,
                session_id=session_id,
                agent=self.agent_name,
                stage=self.stage,
                reason=reason,
                # Bounded like the contract; the detail (error texts) passes the recogniser like a log line.
                redacted_input=redacted_input[:MAX_REDACTED_INPUT_CHARS],
                detail=scrub(detail, MAX_DETAIL_CHARS),
            )
        )
        if sent:
            self._count(MetricName.ESCALATIONS)
        return sent

    # -- the API flow ----------------------------------------------------------------------------

    def chat(
        self, request: ChatRequest, correlation_id: str, time_left: float, principal: str | None = None
    ) -> ChatResult:
        started = self._clock()
        screening = self.screen(request.message, request.session_id, correlation_id)
        if not screening.allowed:
            assert screening.answer is not None
            answer = Answer(screening.answer, TurnOutcome.BLOCKED, escalated=screening.escalated)
            self.record(self._turn(screening, correlation_id, answer))
            body = self._body(screening.session_id, correlation_id, answer)
            return ChatResult(422, {**body, "reasons": list(screening.reasons)})
        confirmation: tuple[ConfirmationDecision, PendingConfirmation] | None = None
        if request.confirmation is not None:
            pending = self._pending_confirmation(screening.session_id, request.confirmation)
            if isinstance(pending, ChatResult):
                return pending
            confirmation = (request.confirmation, pending)
        deadline = started + time_left - FALLBACK_RESERVE_SECONDS
        try:
            answer = self.ask_agent(
                screening.redacted_message,
                screening.session_id,
                correlation_id,
                deadline=deadline,
                retry_policy=API_RETRY_POLICY,
                confirmation=confirmation,
                principal=principal,
            )
            status = 200
        except AgentError as error:
            answer = self.degrade(
                screening.redacted_message,
                screening.session_id,
                correlation_id,
                reason=error.escalation_reason,
                detail=f"{type(error).__name__}: {error}",
                time_left=time_left - (self._clock() - started),
            )
            if answer.outcome is TurnOutcome.FALLBACK:
                status = 200
            else:
                status = 502 if isinstance(error, AgentInvocationError) else 503
        self.record(self._turn(screening, correlation_id, answer))
        return ChatResult(status, self._body(screening.session_id, correlation_id, answer))

    # -- helpers ---------------------------------------------------------------------------------

    def pending_confirmation(self, session_id: str, invocation_id: str) -> PendingConfirmation | None:
        """The action this agent asked the user of this session to confirm, if it is `invocation_id`
        (raises SessionStoreError when the session cannot be read)."""
        state = self.store.load_state(session_id)
        pending = state.pending_confirmation if state else None
        if pending is None or pending.invocation_id != invocation_id or state.agent != self.agent_name:
            return None
        return pending

    def _pending_confirmation(
        self, session_id: str, decision: ConfirmationDecision
    ) -> PendingConfirmation | ChatResult:
        try:
            pending = self.pending_confirmation(session_id, decision.invocation_id)
        except SessionStoreError as error:
            self._logger.error("cannot read session state for a confirmation", extra={"error": scrub(error)})
            return ChatResult(503, {"message": "could not read the session; send the confirmation again"})
        if pending is None:
            return ChatResult(
                409, {"message": "this session has no pending action with that invocationId", "sessionId": session_id}
            )
        return pending

    def _checked_answer(self, reply: AgentReply, session_id: str, correlation_id: str, redacted_message: str) -> Answer:
        if reply.blocked:
            return self._guardrail_blocked(reply, session_id, correlation_id, redacted_message)
        if reply.confirmation is not None:
            c = reply.confirmation
            text = reply.answer or confirmation_prompt(
                self.messages, c.action_group, c.http_method, c.api_path, c.parameters
            )
            return Answer(
                text,
                TurnOutcome.CONFIRMATION_REQUESTED,
                reply.citations,
                reply.input_tokens,
                reply.output_tokens,
                confirmation=c,
            )
        verdict = self.guard.check_output(reply.answer)
        if not verdict.allowed:
            self._count(MetricName.GUARD_BLOCKED)
            escalated = self.escalate(
                EscalationReason.OUTPUT_BLOCKED,
                correlation_id,
                session_id,
                redacted_message,
                ", ".join(verdict.reasons),
            )
            return Answer(
                blocked_answer(self.messages, correlation_id, escalated),
                TurnOutcome.BLOCKED,
                input_tokens=reply.input_tokens,
                output_tokens=reply.output_tokens,
                escalated=escalated,
            )
        return Answer(
            verdict.redacted_text, TurnOutcome.ANSWERED, reply.citations, reply.input_tokens, reply.output_tokens
        )

    def _guardrail_blocked(
        self, reply: AgentReply, session_id: str, correlation_id: str, redacted_message: str
    ) -> Answer:
        """The agent's guardrail (ApplyGuardrail around the harness) blocked the input or the answer: the
        user reads the guardrail's own message, a human is told, as for the platform's own guard."""
        self._count(MetricName.GUARD_BLOCKED)
        reason = EscalationReason.GUARD_BLOCKED if reply.blocked == "input" else EscalationReason.OUTPUT_BLOCKED
        escalated = self.escalate(
            reason, correlation_id, session_id, redacted_message, f"the agent's guardrail blocked the {reply.blocked}"
        )
        self._logger.warning("agent guardrail intervened", extra={"blocked": reply.blocked})
        return Answer(
            reply.answer or blocked_answer(self.messages, correlation_id, escalated),
            TurnOutcome.BLOCKED,
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            escalated=escalated,
        )

    def _turn(self, screening: Screening, correlation_id: str, answer: Answer) -> Turn:
        c = answer.confirmation
        return Turn(
            session_id=screening.session_id,
            correlation_id=correlation_id,
            agent=self.agent_name,
            user_message=screening.redacted_message,
            answer=answer.answer,
            outcome=answer.outcome,
            citations=tuple(answer.citations),
            input_tokens=answer.input_tokens,
            output_tokens=answer.output_tokens,
            pending_confirmation=PendingConfirmation(
                c.invocation_id, c.action_group, c.api_path, c.http_method, c.resume
            )
            if c
            else None,
        )

    @staticmethod
    def _body(session_id: str, correlation_id: str, answer: Answer) -> dict[str, Any]:
        return {
            "answer": answer.answer,
            "citations": answer.citations,
            "sessionId": session_id,
            "traceId": correlation_id,
            "escalated": answer.escalated,
            "fallback": answer.fallback,
            "confirmation": confirmation_body(answer.confirmation),
        }

    def _count(self, name: MetricName, value: float = 1) -> None:
        emit(self._metrics, name, value)

    def _count_tokens(self, input_tokens: int, output_tokens: int) -> None:
        self._count(MetricName.INPUT_TOKENS, input_tokens)
        self._count(MetricName.OUTPUT_TOKENS, output_tokens)

    def _log_retry(self, attempt: int, error: BaseException, delay: float) -> None:
        self._logger.warning(
            "retrying agent", extra={"attempt": attempt, "error_type": type(error).__name__, "delay_s": round(delay, 3)}
        )
