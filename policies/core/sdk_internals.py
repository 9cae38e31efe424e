"""The pack's one reliance on pulumi_policy internals: decode each resource once per analyzer request, not once
per policy.

pulumi_policy 1.21's analyzer servicer decodes the request inside its policy loop: `Analyze` runs
`deserialize_properties(json_format.MessageToDict(request.properties))`, wraps the result in an
unknown-checking proxy and rebuilds the options and provider once per policy, and `AnalyzeStack` rebuilds
*every resource* of the stack, and the links between them, once per stack policy. With ~80 policies that
was over 90 % of the pack's time (bench/PROFILES.md).

`install()` changes how the servicer gets there, never what it answers (tests/policies/core/test_sdk_internals.py
compares every response with the stock SDK's): `Analyze` and `AnalyzeStack` are the SDK's own loops with
the decoding hoisted above them, and `inspect.signature(pulumi.runtime.Settings)`, which the SDK recomputes
on every request, is cached.

It is installed only on the pulumi_policy version it was written against; any other version runs the pack
as the SDK ships it (slower, equally correct). Policies treat what they are given as read-only (they read
through `policies.core.props.plain`), so sharing one decoded resource between them is safe.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
from collections.abc import Callable, Coroutine
from importlib import metadata
from typing import Any, cast

from google.protobuf import json_format as _json_format

SUPPORTED_SDK = "1.21."  # pulumi_policy releases whose servicer internals this module mirrors


def _resource_policies(sdk: Any, servicer: Any) -> tuple[tuple[Any, bool], ...]:
    """The servicer's resource policies and whether each validates (neither changes: cached on it)."""
    cached: tuple[tuple[Any, bool], ...] | None = servicer.__dict__.get("_agent_platform_resource_policies")
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
            # as the SDK does; an async validate returns a coroutine, which Task's annotation asks for
            loop.run_until_complete(asyncio.Task(cast("Coroutine[Any, Any, None]", result), loop=loop))
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


def _stack_resources(sdk: Any, servicer: Any, request: Any) -> list[Any]:
    """The request's resources linked by URN (parent, dependencies, property dependencies), as the SDK builds
    them for each stack policy: built once per request instead (the policies only read them)."""
    built = []
    for r in request.resources:
        props = sdk.unknown_checking_proxy(sdk.deserialize_properties(_json_format.MessageToDict(r.properties)))
        options = servicer._get_resource_options(r)
        provider = servicer._get_provider_resource(r)
        resource = sdk.PolicyResource(r.type, props, r.urn, r.name, options, provider, None, [], {})
        built.append((resource, r))
    by_urn = {resource.urn: resource for resource, _ in built}
    for resource, r in built:
        if r.parent in by_urn:
            resource.parent = by_urn[r.parent]
        resource.dependencies.extend(by_urn[d] for d in r.dependencies if d in by_urn)
        for key, dependencies in r.propertyDependencies.items():
            resource.property_dependencies[key] = [by_urn[d] for d in dependencies.urns if d in by_urn]
    return [resource for resource, _ in built]


def _analyze_stack(sdk: Any) -> Callable[..., Any]:
    """pulumi_policy 1.21's `_PolicyAnalyzerServicer.AnalyzeStack`, building the resources once, not per policy."""
    proto, level = sdk.proto, sdk.EnforcementLevel

    def analyze_stack(self: Any, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        resources = None
        for policy in self._PolicyAnalyzerServicer__policies:
            enforcement_level = self._get_enforcement_level(policy)
            if enforcement_level == level.DISABLED or not isinstance(policy, sdk.StackValidationPolicy):
                continue
            if enforcement_level == level.REMEDIATE:
                enforcement_level = level.MANDATORY  # as the SDK: stack policies cannot remediate
            report_violation = self._create_report_violation(
                response, policy.name, policy.description, enforcement_level, policy.severity
            )
            if resources is None:
                resources = _stack_resources(sdk, self, request)
            config = self._get_policy_config(policy.name)
            # A list of its own per policy, as the SDK gives; the resources in it are shared (read-only).
            args = sdk.StackValidationArgs(list(resources), config, self._PolicyAnalyzerServicer__stack_tags)
            _run_validation(sdk, self, policy, args, report_violation, response)
        return response

    return analyze_stack


def install() -> bool:
    """Install into pulumi_policy (idempotent); False, leaving the SDK as shipped, on another SDK version."""
    # Any: what is patched here is the SDK's private servicer, which its type information does not describe.
    sdk: Any = importlib.import_module("pulumi_policy.policy")
    if getattr(sdk, "_agent_platform_fast", False):
        return True
    if not metadata.version("pulumi_policy").startswith(SUPPORTED_SDK):
        return False
    sdk.signature = functools.lru_cache(maxsize=16)(inspect.signature)
    servicer = sdk._PolicyAnalyzerServicer
    servicer.Analyze = _analyze(sdk)
    servicer.AnalyzeStack = _analyze_stack(sdk)
    sdk._agent_platform_fast = True
    return True
