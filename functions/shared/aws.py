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
    from botocore.exceptions import ClientError

# Error codes the functions act on (AWS API references: DynamoDB PutItem/UpdateItem, Bedrock
# StartIngestionJob).
CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException"
CONFLICT = "ConflictException"


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


# DynamoDB from a Lambda that answers inside someone else's turn (an agent's, a user's): fail fast,
# retry throttling twice. The orchestrator's session store and every tool's table use it.
DYNAMODB = ClientSettings(max_attempts=3, connect_timeout=1.0, read_timeout=2.0)


def error_code(error: ClientError) -> str:
    """The AWS error code of a botocore ClientError ("" when the response carries none)."""
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))


def describe_error(error: BaseException) -> str:
    """What failed, fit for a log line or an escalation: the AWS error code of a ClientError, the type
    of anything else. AWS error messages can quote request values, so they are left out."""
    code = error_code(error) if hasattr(error, "response") else ""  # type: ignore[arg-type]
    return f"{type(error).__name__}({code})" if code else type(error).__name__


@functools.cache
def client(service_name: str, settings: ClientSettings) -> Any:
    """One client per (service, settings) per container; the region comes from AWS_DEFAULT_REGION (Lambda sets it)."""
    import boto3

    return boto3.client(service_name, config=settings.to_config())


def reset_clients() -> None:
    """Forget cached clients (tests switch fake AWS backends between cases)."""
    client.cache_clear()
