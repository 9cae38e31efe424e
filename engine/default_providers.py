"""Default providers: what the Pulumi engine adds for resources registered without an explicit provider."""

from __future__ import annotations

from importlib import metadata

from engine.fake_cloud import _uuid
from engine.project import StackConfig
from engine.recorder import Registration


def _package_version(package: str) -> str:
    try:
        return metadata.version(f"pulumi-{package}")
    except metadata.PackageNotFoundError:
        return "0.0.0"


DEFAULT_PROVIDER_PREFIX = "default_"  # the CLI names default providers default_<version>
PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def is_default_provider(registration: Registration) -> bool:
    return registration.type.startswith(PROVIDER_TYPE_PREFIX) and registration.name.startswith(DEFAULT_PROVIDER_PREFIX)


def attach_default_providers(stack: StackConfig, registrations: list[Registration]) -> list[Registration]:
    """Add `pulumi:providers:<pkg>::default_<version>` and point provider-less custom resources at it.

    The provider's inputs are the stack's `<pkg>:*` config, as the CLI configures default providers.
    """
    defaults: dict[str, Registration] = {}
    for registration in registrations:
        if not registration.custom or registration.provider or registration.type.startswith(PROVIDER_TYPE_PREFIX):
            continue
        package = registration.type.split(":", 1)[0]
        provider = defaults.get(package)
        if provider is None:
            version = _package_version(package)
            name = f"{DEFAULT_PROVIDER_PREFIX}{version.replace('.', '_')}"
            urn = f"urn:pulumi:{stack.stack}::{stack.project}::{PROVIDER_TYPE_PREFIX}{package}::{name}"
            inputs = {
                key.split(":", 1)[1]: value for key, value in stack.config.items() if key.startswith(f"{package}:")
            }
            inputs["version"] = version
            provider = Registration(
                urn=urn,
                type=f"{PROVIDER_TYPE_PREFIX}{package}",
                name=name,
                custom=True,
                parent="",
                provider="",
                id=_uuid(urn),
                inputs=inputs,
                outputs=dict(inputs),
                dependencies=[],
                property_dependencies={},
            )
            defaults[package] = provider
        registration.provider = f"{provider.urn}::{provider.id}"
    return list(defaults.values()) + registrations
