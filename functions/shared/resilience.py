"""Fault isolation primitives: a per-container circuit breaker and a budgeted, jittered retry.

The breaker lives in module memory, so each Lambda container trips on its own observations: that
is the point (no shared-state round trip on the hot path), and a few containers probing a broken
dependency cost little. The retry helper is for failures botocore cannot retry because they arrive
after the HTTP 200, inside an event stream (throttling or internal errors during invoke_agent).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")

Clock = Callable[[], float]


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpenError(RuntimeError):
    """The dependency is considered down; the call was not attempted."""

    def __init__(self, name: str, retry_after_seconds: float) -> None:
        super().__init__(f"circuit {name!r} is open; next trial in {retry_after_seconds:.1f}s")
        self.name = name
        self.retry_after_seconds = retry_after_seconds


class CircuitBreaker:
    """Closed -> open after `failure_threshold` consecutive failures; open -> half-open after
    `recovery_timeout` seconds, when a single trial call decides between closed and open again."""

    def __init__(self, name: str, failure_threshold: int, recovery_timeout: float, clock: Clock = time.monotonic):
        if failure_threshold < 1 or recovery_timeout <= 0:
            raise ValueError("failure_threshold must be >= 1 and recovery_timeout > 0")
        self.name = name
        self._failure_threshold = failure_threshold
        self._recovery_timeout = recovery_timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> CircuitState:
        with self._lock:
            return self._state()

    def _state(self) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if self._clock() - self._opened_at >= self._recovery_timeout:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    def before_call(self) -> None:
        """Raise CircuitOpenError unless a call may go through now."""
        with self._lock:
            state = self._state()
            if state is CircuitState.CLOSED:
                return
            if state is CircuitState.HALF_OPEN and not self._trial_in_flight:
                self._trial_in_flight = True
                return
            assert self._opened_at is not None
            remaining = max(0.0, self._recovery_timeout - (self._clock() - self._opened_at))
            raise CircuitOpenError(self.name, remaining)

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_in_flight = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_in_flight or self._failures >= self._failure_threshold:
                self._opened_at = self._clock()
            self._trial_in_flight = False

    def release(self) -> None:
        """The call said nothing about the dependency (the caller's request was malformed): leave the
        counts as they are and let the next call be the half-open trial, if this one was."""
        with self._lock:
            self._trial_in_flight = False

    def call(self, operation: Callable[[], T], *, is_failure: Callable[[Exception], bool] = lambda _: True) -> T:
        """Run `operation` through the breaker; exceptions for which `is_failure` is false (a bad
        request, say) propagate without counting for or against the dependency."""
        self.before_call()
        try:
            result = operation()
        except Exception as error:
            if is_failure(error):
                self.record_failure()
            else:
                self.release()
            raise
        self.record_success()
        return result


@dataclass(frozen=True)
class RetryPolicy:
    """Full-jitter exponential backoff: sleep uniform(0, min(max_delay, base_delay * 2**retry)),
    never past `budget_seconds` measured from the first attempt."""

    max_attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 2.0
    budget_seconds: float = 8.0

    def with_budget(self, budget_seconds: float) -> RetryPolicy:
        return RetryPolicy(self.max_attempts, self.base_delay, self.max_delay, max(0.0, budget_seconds))


NO_RETRY = RetryPolicy(max_attempts=1)


def retry_call(
    operation: Callable[[], T],
    *,
    is_retryable: Callable[[BaseException], bool],
    policy: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
    clock: Clock = time.monotonic,
    jitter: Callable[[], float] = random.random,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
) -> T:
    """Call `operation`; retry retryable errors while attempts and the time budget allow.

    The last error is re-raised unchanged when the policy is exhausted, so callers map it once.
    """
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            return operation()
        except Exception as error:
            if not is_retryable(error) or attempt >= policy.max_attempts:
                raise
            delay = jitter() * min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
            if clock() - started + delay >= policy.budget_seconds:
                raise
            if on_retry is not None:
                on_retry(attempt, error, delay)
            sleep(delay)
