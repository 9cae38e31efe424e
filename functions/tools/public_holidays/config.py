"""The tool's environment (the Tool component sets it from tool.yaml's `credentials`), read on first use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from shared.config import ConfigError, env_optional_str, env_str

from public_holidays.calendar import DEFAULT_URL

# API patterns: GetWorkloadAccessToken workloadName, GetResourceApiKey resourceCredentialProviderName.
_WORKLOAD_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_PROVIDER_NAME = re.compile(r"[a-zA-Z0-9\-_]{1,128}")


@dataclass(frozen=True)
class HolidayToolConfig:
    workload_identity: str
    credential_provider: str
    external_api_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HolidayToolConfig:
        workload = env_str("WORKLOAD_IDENTITY", environ=environ)
        provider = env_str("CREDENTIAL_PROVIDER", environ=environ)
        url = env_optional_str("EXTERNAL_API_URL", environ=environ) or DEFAULT_URL
        if not _WORKLOAD_NAME.fullmatch(workload):
            raise ConfigError("environment variable WORKLOAD_IDENTITY must be 3-255 characters of A-Z a-z 0-9 _ . -")
        if not _PROVIDER_NAME.fullmatch(provider):
            raise ConfigError("environment variable CREDENTIAL_PROVIDER must be 1-128 characters of A-Z a-z 0-9 _ -")
        if not url.startswith("https://") or "?" in url or "#" in url:
            # The key travels in the query string: never over plain HTTP, never appended to someone's query.
            raise ConfigError("environment variable EXTERNAL_API_URL must be an https:// URL without query")
        return cls(workload, provider, url)
