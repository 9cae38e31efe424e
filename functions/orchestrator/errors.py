"""Named errors. Step Functions matches Retry/Catch on the exception class name (`errorType`), so
these names are part of the contract in README.md: rename one and the state machine stops catching it."""

from __future__ import annotations

from shared.errors import InvalidInputError
from shared.escalation import EscalationReason


class AgentError(Exception):
    """The agent did not produce an answer. `retry_in_lambda` marks errors worth another attempt
    inside this invocation: only those botocore could not retry itself (they arrived in the stream).
    `escalation_reason` is what a human is told when the fallback takes over."""

    retryable = False
    escalation_reason = EscalationReason.AGENT_FAILED

    def __init__(self, message: str, *, in_stream: bool = False) -> None:
        super().__init__(message)
        self.in_stream = in_stream

    @property
    def retry_in_lambda(self) -> bool:
        return self.retryable and self.in_stream


class AgentThrottledError(AgentError):
    """Throttling or a concurrency quota: retry with backoff."""

    retryable = True


class AgentUnavailableError(AgentError):
    """Server-side failure (5xx, model not ready, dependency failed) or the circuit is open."""

    retryable = True


class AgentCircuitOpenError(AgentUnavailableError):
    """The circuit is open: the agent was not called. Retrying before it closes only waits, so the
    state machine's Retry on AgentUnavailableError does not match this name; its Catch does."""

    retryable = False
    escalation_reason = EscalationReason.CIRCUIT_OPEN


class AgentTimeoutError(AgentError):
    """No complete answer within the time budget: not retried, the budget is spent."""


class AgentInvocationError(AgentError):
    """The request itself is wrong (validation, access denied, unknown agent): retrying cannot help."""


class FallbackError(Exception):
    """The fallback model did not answer either."""


class InvalidStepInputError(InvalidInputError):
    """A Step Functions payload does not match the step's contract (a state machine bug: don't retry)."""


class UnknownStepError(InvalidInputError):
    """The payload names a step this function does not implement."""


class UnsupportedEventError(InvalidInputError):
    """The event is neither an API Gateway proxy event, a Step Functions step payload nor an SQS batch."""


AGENT_ERRORS: dict[str, type[AgentError]] = {
    error.__name__: error
    for error in (
        AgentError,
        AgentThrottledError,
        AgentUnavailableError,
        AgentCircuitOpenError,
        AgentTimeoutError,
        AgentInvocationError,
    )
}


def escalation_reason_for(error_name: str) -> EscalationReason:
    """The reason to escalate with after the named error (a Step Functions Catch's `Error`)."""
    return AGENT_ERRORS.get(error_name, AgentError).escalation_reason
