"""A tool's API key from AgentCore Identity, fetched once per container and never written anywhere.

AgentCore Identity keeps the key in its token vault behind an API-key credential provider. A workload
that acts on its own behalf (not for a signed-in user) first obtains a workload access token with
`GetWorkloadAccessToken(workloadName)`, then exchanges it for the key with
`GetResourceApiKey(workloadIdentityToken, resourceCredentialProviderName)` (AWS: "Get workload access
token", get-workload-access-token.html, and "Obtain API key", obtain-api-key.html; API reference
GetResourceApiKey). The tool's role is granted exactly these two actions on its workload identity and
its provider (functions/README.md, IAM).

The key lives in this object's memory only: not in the environment, not in a log line, not in an
exception (errors are described by AWS error code, `shared.aws.describe_error`). It is re-fetched after
`max_age_seconds`, and at once when the external API refuses it (`invalidate()`), so a rotated key is
picked up without a redeploy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.aws import ClientSettings, describe_error

# bedrock-agentcore data plane, called inside a tool's turn: fail fast, retry throttling once.
IDENTITY = ClientSettings(max_attempts=2, connect_timeout=1.0, read_timeout=3.0)
DEFAULT_MAX_AGE_SECONDS = 3600.0


class CredentialError(RuntimeError):
    """AgentCore Identity did not hand out the key (access denied, unknown provider, throttled, down)."""


class ApiKeyProvider:
    def __init__(
        self,
        client: Callable[[], Any],
        *,
        workload_name: str,
        provider_name: str,
        max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # A provider, not a client: the bedrock-agentcore client is built on the first key request.
        self._client = client
        self._workload_name = workload_name
        self._provider_name = provider_name
        self._max_age = max_age_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._key: str | None = None
        self._fetched_at = 0.0

    def __repr__(self) -> str:  # the key must never reach a log through a repr
        return f"ApiKeyProvider(provider={self._provider_name!r}, workload={self._workload_name!r})"

    def get(self) -> str:
        with self._lock:
            if self._key is None or self._clock() - self._fetched_at >= self._max_age:
                self._key = self._fetch()
                self._fetched_at = self._clock()
            return self._key

    def invalidate(self) -> None:
        """The external API refused the key: fetch it again on the next `get()`."""
        with self._lock:
            self._key = None

    def _fetch(self) -> str:
        try:
            client = self._client()
            token = client.get_workload_access_token(workloadName=self._workload_name)["workloadAccessToken"]
            return str(
                client.get_resource_api_key(
                    workloadIdentityToken=token, resourceCredentialProviderName=self._provider_name
                )["apiKey"]
            )
        except (ClientError, BotoCoreError) as error:
            # Raised without its cause: nothing of the request (the token) travels with the error.
            raise CredentialError(
                f"AgentCore Identity refused the API key of provider {self._provider_name!r} "
                f"for workload {self._workload_name!r}: {describe_error(error)}"
            ) from None
