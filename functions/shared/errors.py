"""The caller's error, one type for every function.

Malformed input (an API body, a Step Functions payload, an action-group event, an EventBridge
trigger, an SQS message) is the caller's error: it is checked before any side effect, answered with
a 4xx (or reported as a failed record), never retried as if the service were down and never counted
against a dependency's circuit breaker. Each function's specific error (orchestrator
`InvalidStepInputError`, tools `InvalidToolEventError`, kb-sync `UnsupportedTriggerError`, ...)
derives from this one, so a breaker or a handler can tell them from outages with one isinstance.

Messages of these errors name the field and the fix, never the rejected value: the Lambda runtime
logs an unhandled exception's message verbatim.
"""

from __future__ import annotations


class InvalidInputError(ValueError):
    """The caller sent something malformed; the message names the field and the fix."""
