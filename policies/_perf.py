"""Decode each resource once per analyzer request instead of once per policy.

pulumi_policy 1.21's analyzer servicer decodes the request inside its policy loop: `Analyze` runs
`deserialize_properties(json_format.MessageToDict(request.properties))`, wraps the result in an
unknown-checking proxy and rebuilds the options and provider once per policy, and `AnalyzeStack` does the
same for *every resource* once per stack policy. With ~80 policies that decoding was over 90 % of the
pack's time, and the SDK's per-policy bookkeeping most of the rest (bench/, BENCHMARKS.md).

`install()` changes how the servicer gets there, never what it answers (tests/policies/test_perf.py
compares every response with the stock SDK's):
- `Analyze` is the SDK's own loop with the decoding hoisted above it and the pack's resource policies
  listed once;
- `AnalyzeStack` memoizes the decoding for the duration of one request, keyed by the identity of the
  protobuf message, so each resource is decoded once per request;
- `inspect.signature(pulumi.runtime.Settings)`, which the SDK recomputes on every request, is cached.

It is installed only on the pulumi_policy version it was written against; any other version runs the pack
as the SDK ships it (slower, equally correct). Policies treat `args.props` as read-only (they read through
`policies._props.plain`), so sharing one decoded resource between them is safe.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Callable
from importlib import metadata
from typing import Any, TypeVar

from google.protobuf import json_format as _json_format

T = TypeVar("T")
SUPPORTED_SDK = "1.21."  # pulumi_policy releases whose servicer internals this module mirrors
_local = threading.local()


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


def _per_message(kind: str, method: Callable[..., T]) -> Callable[..., T]:
    """A servicer helper that decodes one protobuf message, memoized per request like the rest."""

    @functools.wraps(method)
    def wrapper(self: Any, message: Any) -> T:
        return _memoized(kind, message, lambda: method(self, message))

    return wrapper


def _resource_policies(sdk: Any, servicer: Any) -> tuple[tuple[Any, bool], ...]:
    """The servicer's resource policies and whether each validates (neither changes: cached on it)."""
    cached = servicer.__dict__.get("_agent_platform_resource_policies")
    if cached is None:
        cached = tuple(
            (policy, policy.has_validation())
            for policy in servicer._PolicyAnalyzerServicer__policies
            if isinstance(policy, sdk.ResourceValidationPolicy)
        )
        servicer._agent_platform_resource_policies = cached
    return cached


def _run_validation(sdk: Any, servicer: Any, policy: Any, args: Any, report_violation: Any, response: Any) -> None:
    """One policy on one resource, its outcome recorded in `response` exactly as the SDK's loop body does."""
    proto = sdk.proto
    try:
        result = policy.validate(args, report_violation)
        if inspect.isawaitable(result):
            loop = asyncio.new_event_loop()
            loop.run_until_complete(asyncio.Task(result, loop=loop))
            loop.close()
    except sdk.UnknownValueError as error:
        name = servicer._PolicyAnalyzerServicer__policy_pack_name
        version = servicer._PolicyAnalyzerServicer__policy_pack_version
        response.diagnostics.append(
            proto.AnalyzeDiagnostic(
                policyName=policy.name,
                policyPackName=name,
                policyPackVersion=version,
                message=(
                    f"can't run policy '{policy.name}' from policy pack '{name}@v{version}' during "
                    f"preview: {error.message}"
                ),
                urn="",
                description=policy.description,
                enforcementLevel=servicer._map_enforcement_level(sdk.EnforcementLevel.ADVISORY),
            )
        )
    except sdk._NotApplicableError as error:
        response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name, reason=error.reason or ""))


def _analyze(sdk: Any) -> Callable[..., Any]:
    """pulumi_policy 1.21's `_PolicyAnalyzerServicer.Analyze`, decoding the resource once, before the loop."""
    proto, level = sdk.proto, sdk.EnforcementLevel

    def analyze(self: Any, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        props = sdk.unknown_checking_proxy(sdk.deserialize_properties(_json_format.MessageToDict(request.properties)))
        options = self._get_resource_options(request)
        provider = self._get_provider_resource(request)
        stack_tags = self._PolicyAnalyzerServicer__stack_tags
        for policy, validates in _resource_policies(sdk, self):
            enforcement_level = self._get_enforcement_level(policy)
            if enforcement_level == level.DISABLED:
                continue
            if not validates:
                reason = "Policy does not implement validate"
                response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name, reason=reason))
                continue
            if enforcement_level == level.REMEDIATE:
                enforcement_level = level.MANDATORY  # as the SDK: a violation that survived remediation
            report_violation = self._create_report_violation(
                response, policy.name, policy.description, enforcement_level, policy.severity
            )
            args = sdk.ResourceValidationArgs(
                request.type,
                props,
                request.urn,
                request.name,
                options,
                provider,
                self._get_policy_config(policy.name),
                stack_tags,
            )
            _run_validation(sdk, self, policy, args, report_violation, response)
        return response

    return analyze


def install() -> bool:
    """Install into pulumi_policy (idempotent); False, leaving the SDK as shipped, on another SDK version."""
    import pulumi_policy.policy as sdk

    if getattr(sdk, "_agent_platform_memo", False):
        return True
    if not metadata.version("pulumi_policy").startswith(SUPPORTED_SDK):
        return False
    deserialize, proxy = sdk.deserialize_properties, sdk.unknown_checking_proxy
    sdk.json_format = _MemoizedJsonFormat()
    sdk.deserialize_properties = lambda props, proxy_secrets=False: _memoized(
        ("properties", proxy_secrets), props, lambda: deserialize(props, proxy_secrets)
    )
    sdk.unknown_checking_proxy = lambda props: _memoized("proxy", props, lambda: proxy(props))
    sdk.signature = functools.lru_cache(maxsize=16)(inspect.signature)
    servicer = sdk._PolicyAnalyzerServicer
    servicer._get_resource_options = _per_message("options", servicer._get_resource_options)
    servicer._get_provider_resource = _per_message("provider", servicer._get_provider_resource)
    servicer.Analyze = _analyze(sdk)
    servicer.AnalyzeStack = _request_scoped(servicer.AnalyzeStack)
    sdk._agent_platform_memo = True
    return True
