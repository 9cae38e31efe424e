"""Decode each resource once per analyzer request instead of once per policy.

pulumi_policy 1.21's analyzer servicer decodes the request's properties inside its policy loop:
`Analyze` runs `deserialize_properties(json_format.MessageToDict(request.properties))` (and wraps the
result in an unknown-checking proxy) once per policy, and `AnalyzeStack` does the same for *every
resource* once per stack policy. With ~80 policies that decoding is over 90 % of the pack's time
(bench/, BENCHMARKS.md). This module memoizes the three calls for the duration of one request, keyed
by the identity of the protobuf message, so each resource is decoded once per request.

The memo is installed only if the SDK still has the names it wraps; otherwise the pack runs as the SDK
ships it (slower, equally correct). Policies must treat `args.props` as read-only, which they do:
they read through `policies._props.plain`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from google.protobuf import json_format as _json_format

T = TypeVar("T")
_local = threading.local()
_WRAPPED = ("json_format", "deserialize_properties", "unknown_checking_proxy", "_PolicyAnalyzerServicer")


def _memoized(kind: object, key: object, compute: Callable[[], T]) -> T:
    memo: dict[tuple[object, int], tuple[object, Any]] | None = getattr(_local, "memo", None)
    if memo is None:
        return compute()
    slot = (kind, id(key))
    hit = memo.get(slot)
    if hit is not None and hit[0] is key:
        return hit[1]
    value = compute()
    memo[slot] = (key, value)  # keeps `key` alive, so its id can't be reused within the request
    return value


class _MemoizedJsonFormat:
    """`google.protobuf.json_format` as pulumi_policy sees it, with MessageToDict memoized per request."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_json_format, name)

    @staticmethod
    def MessageToDict(message: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - protobuf's name
        if args or kwargs:
            return _json_format.MessageToDict(message, *args, **kwargs)
        return _memoized("dict", message, lambda: _json_format.MessageToDict(message))


def _request_scoped(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(self: Any, request: Any, context: Any) -> T:
        _local.memo = {}
        try:
            return method(self, request, context)
        finally:
            _local.memo = None

    return wrapper


def install() -> bool:
    """Install the memo into pulumi_policy (idempotent); False when the SDK changed shape."""
    import pulumi_policy.policy as sdk

    if getattr(sdk, "_agent_platform_memo", False):
        return True
    if not all(hasattr(sdk, name) for name in _WRAPPED):
        return False
    deserialize, proxy = sdk.deserialize_properties, sdk.unknown_checking_proxy
    sdk.json_format = _MemoizedJsonFormat()
    sdk.deserialize_properties = lambda props, proxy_secrets=False: _memoized(
        ("properties", proxy_secrets), props, lambda: deserialize(props, proxy_secrets)
    )
    sdk.unknown_checking_proxy = lambda props: _memoized("proxy", props, lambda: proxy(props))
    servicer = sdk._PolicyAnalyzerServicer
    servicer.Analyze = _request_scoped(servicer.Analyze)
    servicer.AnalyzeStack = _request_scoped(servicer.AnalyzeStack)
    sdk._agent_platform_memo = True
    return True
