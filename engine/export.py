"""The resource graph in the shape of `pulumi stack export` (deployment version 3)."""

from __future__ import annotations

from typing import Any

from engine.program import ProgramRun
from engine.recorder import Registration


def _resource(registration: Registration) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "urn": registration.urn,
        "custom": registration.custom,
        "type": registration.type,
        "inputs": registration.inputs,
        "outputs": registration.outputs,
        "parent": registration.parent,
        "dependencies": registration.dependencies,
        "propertyDependencies": registration.property_dependencies,
        "protect": registration.protect,
        "provider": registration.provider,
    }
    if registration.custom:
        resource["id"] = registration.id
    if registration.retain_on_delete:
        resource["retainOnDelete"] = True
    if registration.ignore_changes:
        resource["ignoreChanges"] = registration.ignore_changes
    if registration.additional_secret_outputs:
        resource["additionalSecretOutputs"] = registration.additional_secret_outputs
    if registration.custom_timeouts:
        resource["customTimeouts"] = registration.custom_timeouts
    if registration.delete_before_replace is not None:
        resource["deleteBeforeReplace"] = registration.delete_before_replace
    if registration.aliases:
        resource["aliases"] = registration.aliases  # the URNs it had before; `pulumi stack export` names them so
    return resource


def stack_export(run: ProgramRun) -> dict[str, Any]:
    """No timestamps or random values: the same program yields byte-identical exports."""
    return {
        "version": 3,
        "deployment": {
            "manifest": {"magic": "", "version": "offline-engine", "mode": run.mode},
            "resources": [_resource(r) for r in run.registrations],
        },
    }
