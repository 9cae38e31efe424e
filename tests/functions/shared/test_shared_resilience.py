"""Circuit breaker states and the budgeted, full-jitter retry."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared.resilience import CircuitBreaker, CircuitOpenError, CircuitState, RetryPolicy, retry_call

from tests.functions.fakes import FakeClock


class FlakyError(Exception):
    pass


def failing() -> None:
    raise FlakyError("down")


def test_the_circuit_opens_after_consecutive_failures_and_recovers_through_half_open():
    # GIVEN a breaker with threshold 2 and 30 s recovery
    clock = FakeClock()
    breaker = CircuitBreaker("agent", failure_threshold=2, recovery_timeout=30, clock=clock)

    # WHEN two calls fail
    for _ in range(2):
        with pytest.raises(FlakyError):
            breaker.call(failing)

    # THEN it is open and refuses calls without running them
    assert breaker.state is CircuitState.OPEN
    with pytest.raises(CircuitOpenError) as refused:
        breaker.call(lambda: pytest.fail("must not run"))
    assert refused.value.retry_after_seconds == pytest.approx(30)

    # WHEN the recovery timeout passes, THEN one trial is allowed (half-open) and a second concurrent one is not
    clock.advance(30)
    assert breaker.state is CircuitState.HALF_OPEN
    breaker.before_call()
    with pytest.raises(CircuitOpenError):
        breaker.before_call()

    # WHEN the trial succeeds, THEN the circuit closes
    breaker.record_success()
    assert breaker.state is CircuitState.CLOSED


def test_a_failed_trial_reopens_the_circuit_for_a_full_recovery_period():
    # GIVEN an open circuit past its recovery time
    clock = FakeClock()
    breaker = CircuitBreaker("agent", failure_threshold=1, recovery_timeout=10, clock=clock)
    with pytest.raises(FlakyError):
        breaker.call(failing)
    clock.advance(10)

    # WHEN the trial fails
    with pytest.raises(FlakyError):
        breaker.call(failing)

    # THEN it is open again, for another full period
    clock.advance(9)
    assert breaker.state is CircuitState.OPEN


def test_a_success_resets_the_failure_count():
    # GIVEN one failure short of the threshold
    breaker = CircuitBreaker("agent", failure_threshold=2, recovery_timeout=10, clock=FakeClock())
    with pytest.raises(FlakyError):
        breaker.call(failing)

    # WHEN a call succeeds and another fails, THEN the circuit stays closed (failures must be consecutive)
    breaker.call(lambda: None)
    with pytest.raises(FlakyError):
        breaker.call(failing)
    assert breaker.state is CircuitState.CLOSED


def test_errors_that_are_not_the_dependencys_fault_do_not_count():
    # GIVEN a breaker that ignores ValueError
    breaker = CircuitBreaker("agent", failure_threshold=1, recovery_timeout=10, clock=FakeClock())

    # WHEN such an error is raised, THEN it propagates and the circuit stays closed
    with pytest.raises(ValueError):
        breaker.call(
            lambda: (_ for _ in ()).throw(ValueError("bad input")), is_failure=lambda e: not isinstance(e, ValueError)
        )
    assert breaker.state is CircuitState.CLOSED


@pytest.mark.parametrize(("threshold", "recovery"), [(0, 10), (1, 0)])
def test_impossible_breaker_settings_are_refused(threshold, recovery):
    with pytest.raises(ValueError):
        CircuitBreaker("agent", threshold, recovery)


def test_retries_use_full_jitter_exponential_backoff():
    # GIVEN an operation failing twice, and jitter fixed at its maximum
    clock, sleeps, calls = FakeClock(), [], []

    def operation() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise FlakyError()
        return "ok"

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)

    # WHEN retried
    result = retry_call(
        operation,
        is_retryable=lambda e: isinstance(e, FlakyError),
        policy=RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=0.8, budget_seconds=10),
        sleep=sleep,
        clock=clock,
        jitter=lambda: 1.0,
    )

    # THEN the delays are base * 2**n capped at max_delay
    assert result == "ok"
    assert sleeps == [0.5, 0.8]


def test_retries_stop_before_the_time_budget_would_be_exceeded():
    # GIVEN a 1 s budget and a first backoff of up to 2 s
    clock, sleeps = FakeClock(), []

    # WHEN the operation keeps failing
    with pytest.raises(FlakyError):
        retry_call(
            failing,
            is_retryable=lambda e: True,
            policy=RetryPolicy(max_attempts=5, base_delay=2, max_delay=2, budget_seconds=1),
            sleep=sleeps.append,
            clock=clock,
            jitter=lambda: 0.9,
        )

    # THEN it gives up instead of sleeping past the budget
    assert sleeps == []


def test_non_retryable_errors_are_raised_at_once():
    calls = []

    def operation() -> None:
        calls.append(1)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        retry_call(
            operation, is_retryable=lambda e: isinstance(e, FlakyError), policy=RetryPolicy(), sleep=lambda s: None
        )
    assert len(calls) == 1


@settings(max_examples=200, deadline=None)
@given(calls=st.lists(st.sampled_from(["ok", "fail", "malformed", "wait"]), max_size=30))
def test_malformed_requests_never_move_the_breaker(calls):
    # GIVEN two breakers fed the same calls, except that the second never sees the malformed ones
    clock = FakeClock()
    with_malformed = CircuitBreaker("a", failure_threshold=2, recovery_timeout=5, clock=clock)
    without = CircuitBreaker("b", failure_threshold=2, recovery_timeout=5, clock=clock)

    def run(breaker: CircuitBreaker, kind: str) -> None:
        def operation() -> None:
            if kind == "fail":
                raise FlakyError("down")
            if kind == "malformed":
                raise ValueError("the caller's error")

        with contextlib.suppress(FlakyError, ValueError, CircuitOpenError):
            breaker.call(operation, is_failure=lambda error: not isinstance(error, ValueError))

    # WHEN the calls are made (time passes on "wait")
    for kind in calls:
        if kind == "wait":
            clock.advance(6)
            continue
        run(with_malformed, kind)
        if kind != "malformed":
            run(without, kind)
        # THEN both breakers are always in the same state: a malformed request says nothing about the agent
        assert with_malformed.state is without.state
