"""Named errors. Step Functions matches Retry/Catch on the exception class name (`errorType`), so
these names are part of the contract in README.md: rename one and the state machine stops catching it."""

from __future__ import annotations


class AgentError(Exception):
    """The agent did not produce an answer. `retry_in_lambda` marks errors worth another attempt
    inside this invocation: only those botocore could not retry itself (they arrived in the stream)."""

    retryable = False

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


class AgentTimeoutError(AgentError):
    """No complete answer within the time budget: not retried, the budget is spent."""


class AgentInvocationError(AgentError):
    """The request itself is wrong (validation, access denied, unknown agent): retrying cannot help."""


class FallbackError(Exception):
    """The fallback model did not answer either."""


class InvalidStepInputError(ValueError):
    """A Step Functions payload does not match the step's contract (a state machine bug: don't retry)."""


class UnknownStepError(ValueError):
    """The payload names a step this function does not implement."""


class UnsupportedEventError(ValueError):
    """The event is neither an API Gateway proxy event nor a Step Functions step payload."""
