"""A mock resource monitor that records every registration as the Pulumi engine would see it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.proto import resource_pb2

from engine.fake_cloud import FakeCloud

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class Registration:
    """One `RegisterResource` call: inputs in the engine's camelCase wire form, unknowns as sentinels."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    provider: str  # "<provider urn>::<provider id>", or "" for the default provider / components
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: bool = False
    retain_on_delete: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool | None = None
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    custom_timeouts: dict[str, str] = field(default_factory=dict)

    @property
    def provider_urn(self) -> str:
        return self.provider.rpartition("::")[0] if self.provider else ""


def _struct_to_dict(message: struct_pb2.Struct) -> dict[str, Any]:
    values: dict[str, Any] = json_format.MessageToDict(message)
    return values


def _dict_to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


class RecordingMonitor(MockMonitor):
    """MockMonitor that keeps every registration, in order, with its graph edges and options."""

    def __init__(self, cloud: FakeCloud) -> None:
        super().__init__(cloud)
        self.cloud = cloud
        self.registrations: dict[str, Registration] = {}
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> resource_pb2.RegisterResourceResponse:  # noqa: N802 (gRPC name)
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = _struct_to_dict(request.object)
        outputs: dict[str, Any]
        if request.type == STACK_TYPE:
            resource_id, outputs = "", {}
        elif request.custom:
            resource_id, outputs = self.cloud.provision(request.type, request.name, urn, inputs)
        else:
            resource_id, outputs = "", {}  # components have no provider state; outputs come later
        timeouts = request.customTimeouts
        registration = Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent,
            provider=request.provider,
            id=resource_id,
            inputs=inputs,
            outputs=outputs,
            dependencies=list(dict.fromkeys(request.dependencies)),
            property_dependencies={
                key: list(dict.fromkeys(deps.urns)) for key, deps in request.propertyDependencies.items() if deps.urns
            },
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            ignore_changes=list(request.ignoreChanges),
            delete_before_replace=request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None,
            additional_secret_outputs=list(request.additionalSecretOutputs),
            aliases=list(request.aliasURNs),
            custom_timeouts={
                k: v
                for k, v in (("create", timeouts.create), ("update", timeouts.update), ("delete", timeouts.delete))
                if v
            },
        )
        with self._lock:
            self.registrations[urn] = registration
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id, outputs)
        if request.type == STACK_TYPE:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=_dict_to_struct(outputs))

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 (gRPC name)
        outputs = _struct_to_dict(request.outputs)
        with self._lock:
            if request.urn in self.registrations:
                self.registrations[request.urn].outputs = outputs
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]  # MockMonitor: unannotated
