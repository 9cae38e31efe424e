"""A per-container lazy singleton with an explicit override for tests and benchmarks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """Build the value on first use (first invocation, not import), then reuse it for the container."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._value: T | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
        return self._value

    def override(self, value: T) -> None:
        self._value = value

    def reset(self) -> None:
        self._value = None
