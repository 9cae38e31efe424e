"""The requests the Pulumi CLI sends a policy pack, built from the engine's registrations.

`Analyze` carries one resource before it is created (its inputs), `AnalyzeStack` every resource once the
program has run (custom resources with their outputs) with parents, dependencies and property dependencies.
Default providers are never analyzed; the providers the resources use travel with each request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from engine.default_providers import is_default_provider
from engine.recorder import STACK_TYPE, Registration

Providers = Mapping[str, analyzer_pb2.AnalyzerProviderResource | None]


def to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def timeout_seconds(duration: str) -> float:
    """Pulumi custom timeouts ("1h30m", "5m", "45s") in seconds, as the CLI sends them."""
    total = 0.0
    for amount, unit in re.findall(r"([\d.]+)(h|m|s)", duration):
        total += float(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def _options(registration: Registration) -> analyzer_pb2.AnalyzerResourceOptions:
    timeouts = registration.custom_timeouts
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=registration.protect,
        ignoreChanges=registration.ignore_changes,
        deleteBeforeReplace=bool(registration.delete_before_replace),
        deleteBeforeReplaceDefined=registration.delete_before_replace is not None,
        additionalSecretOutputs=registration.additional_secret_outputs,
        aliases=registration.aliases,
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=timeout_seconds(timeouts.get("create", "")),
            update=timeout_seconds(timeouts.get("update", "")),
            delete=timeout_seconds(timeouts.get("delete", "")),
        ),
        parent=registration.parent,
    )


def is_analyzed(registration: Registration) -> bool:
    """Whether the CLI sends the resource to `Analyze`: not the stack itself, not a default provider."""
    return registration.type != STACK_TYPE and not is_default_provider(registration)


def providers_of(registrations: list[Registration]) -> dict[str, analyzer_pb2.AnalyzerProviderResource | None]:
    """Each provider the resources use, as the analyzer protocol describes it (built once, not per resource)."""
    by_urn = {r.urn: r for r in registrations}
    one_user_each = {r.provider_urn: r for r in registrations if r.provider_urn}
    return {urn: _provider(by_urn, user) for urn, user in one_user_each.items()}


def _provider(
    by_urn: dict[str, Registration], registration: Registration
) -> analyzer_pb2.AnalyzerProviderResource | None:
    provider = by_urn.get(registration.provider_urn)
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.type, properties=to_struct(provider.inputs), urn=provider.urn, name=provider.name
    )


def analyze_request(registration: Registration, providers: Providers) -> analyzer_pb2.AnalyzeRequest:
    """What the CLI sends for one resource before it is created: its inputs."""
    return analyzer_pb2.AnalyzeRequest(
        type=registration.type,
        properties=to_struct(registration.inputs),
        urn=registration.urn,
        name=registration.name,
        options=_options(registration),
        provider=providers.get(registration.provider_urn),
    )


def analyze_stack_request(registrations: list[Registration], providers: Providers) -> analyzer_pb2.AnalyzeStackRequest:
    """What the CLI sends once the program has run: every resource, custom ones with their outputs."""
    return analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=to_struct(r.outputs if r.custom else r.inputs),
                urn=r.urn,
                name=r.name,
                options=_options(r),
                provider=providers.get(r.provider_urn),
                parent=r.parent,
                dependencies=r.dependencies,
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in r.property_dependencies.items()
                },
            )
            for r in registrations
        ]
    )
