"""boto3 clients: created lazily, once per container, with explicit timeouts and botocore retries.

Nothing here imports boto3 at module import time: the Pulumi program imports tool modules to
generate their OpenAPI schemas, and a Lambda container should only pay for the clients it uses.
Retries of whole API calls (throttling, 5xx, connection errors) are botocore's `standard` mode;
`shared.resilience` only retries what botocore cannot see (errors inside an event stream).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config


@dataclass(frozen=True)
class ClientSettings:
    """Timeouts (seconds) and total attempts (first try included) for one service client.

    botocore's `max_attempts` counts retries only; `total_max_attempts` is the unambiguous total."""

    max_attempts: int
    connect_timeout: float
    read_timeout: float

    def to_config(self) -> Config:
        from botocore.config import Config

        return Config(
            retries={"mode": "standard", "total_max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            # Keep idle connections across warm invocations; the pool is per client.
            tcp_keepalive=True,
        )


@functools.cache
def client(service_name: str, settings: ClientSettings) -> Any:
    """One client per (service, settings) per container; the region comes from AWS_DEFAULT_REGION (Lambda sets it)."""
    import boto3

    return boto3.client(service_name, config=settings.to_config())


def reset_clients() -> None:
    """Forget cached clients (tests switch fake AWS backends between cases)."""
    client.cache_clear()
