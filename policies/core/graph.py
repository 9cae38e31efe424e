"""The stack as a graph: prove facts in preview through property dependencies, not through ARNs.

`AnalyzeStack` hands every resource with its `property_dependencies` (top-level property name ->
the resources whose outputs flowed into it). "Encrypted with a CMK of this stack" is then: the
property depends on an `aws:kms/key:Key` of the stack (directly or through one of its aliases),
that key rotates, and - where the value is already known - the value is that key's ARN, id or alias.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource, ReportViolation, StackValidationArgs

from policies.core.props import UNKNOWN, get, plain, short_name, truthy
from policies.core.resource_types import KMS_ALIAS, KMS_KEY


class StackGraph:
    """Plain properties and dependency lookups over `StackValidationArgs.resources`."""

    def __init__(self, resources: Iterable[PolicyResource]) -> None:
        self.resources = list(resources)
        self.by_urn = {r.urn: r for r in self.resources}
        self._props: dict[str, dict[str, Any]] = {}
        self._dependents: dict[str, list[tuple[PolicyResource, str]]] = defaultdict(list)
        for resource in self.resources:
            for prop, deps in resource.property_dependencies.items():
                for dep in deps:
                    self._dependents[dep.urn].append((resource, prop))

    def props(self, resource: PolicyResource) -> dict[str, Any]:
        cached = self._props.get(resource.urn)
        if cached is None:
            cached = plain(resource.props)
            self._props[resource.urn] = cached
        return cached

    def names(self, resource: PolicyResource, *paths: str) -> set[str]:
        """The known strings at `paths` of `resource` (ids, ARNs, names it can be referred to by)."""
        props = self.props(resource)
        return {v for p in paths if isinstance(v := get(props, p), str)}

    def of_type(self, *types: str) -> list[PolicyResource]:
        return [r for r in self.resources if r.resource_type in types]

    def deps(self, resource: PolicyResource, prop: str, *types: str) -> list[PolicyResource]:
        """Resources (of `types`, if given) whose outputs flow into `prop` of `resource`."""
        found = resource.property_dependencies.get(prop, [])
        return [d for d in found if not types or d.resource_type in types]

    def dependents(self, target: PolicyResource, *types: str, prop: str | None = None) -> list[PolicyResource]:
        """Resources (of `types`) with a property (`prop`, if given) that depends on `target`."""
        seen: dict[str, PolicyResource] = {}
        for resource, via in self._dependents.get(target.urn, []):
            if (not types or resource.resource_type in types) and (prop is None or via == prop):
                seen[resource.urn] = resource
        return list(seen.values())

    def keys_behind(self, resource: PolicyResource, prop: str) -> list[PolicyResource]:
        """KMS keys of the stack behind `prop`: direct dependencies, or the keys of aliases it depends on."""
        keys = {k.urn: k for k in self.deps(resource, prop, KMS_KEY)}
        for alias in self.deps(resource, prop, KMS_ALIAS):
            keys.update({k.urn: k for k in self.deps(alias, "targetKeyId", KMS_KEY)})
        return list(keys.values())

    def key_references(self, key: PolicyResource) -> set[str]:
        """Known strings that name `key`: its ARN and id (in `up`) and its aliases' names and ARNs."""
        names = self.names(key, "arn", "keyId", "id")
        for alias in self.dependents(key, KMS_ALIAS, prop="targetKeyId"):
            names |= self.names(alias, "name", "arn")
        return names


@dataclass(frozen=True)
class Proof:
    ok: bool
    problem: str = ""
    key: PolicyResource | None = None


def prove_stack_cmk(graph: StackGraph, resource: PolicyResource, prop: str, value: Any, what: str) -> Proof:
    """Is `value` (found under top-level property `prop`) a rotating customer-managed key of this stack?

    - absent: not encrypted with a CMK;
    - no dependency on a stack key (or its alias): some other key (AWS-managed, another stack's);
    - known value that names none of the stack keys it depends on: a literal, not the stack's key;
    - the key does not rotate.
    """
    if value is None or value == "":
        return Proof(False, f"{what} is not set: the data is encrypted with an AWS-owned or AWS-managed key")
    keys = graph.keys_behind(resource, prop)
    if not keys:
        shown = "a computed value" if value is UNKNOWN else repr(value)
        return Proof(
            False,
            f"{what} is {shown} but does not come from an aws:kms/key:Key of this stack "
            "(no property dependency on one): use the platform's customer-managed key",
        )
    if value is not UNKNOWN:
        references = set().union(*(graph.key_references(k) for k in keys))
        if value not in references:
            return Proof(
                False,
                f"{what} is the literal {value!r}, not the ARN, id or alias of the stack key "
                f"{', '.join(short_name(k.urn) for k in keys)} it depends on",
            )
    for key in keys:
        if not truthy(get(graph.props(key), "enableKeyRotation")):
            return Proof(False, f"{what} uses key {short_name(key.urn)}, which does not rotate", key)
    return Proof(True, key=keys[0])


def each_resource(
    resource_type: str, problems: Callable[[StackGraph, PolicyResource], Iterable[str]]
) -> Callable[[StackValidationArgs, ReportViolation], None]:
    """A stack validation reporting `problems(graph, resource)` against every resource of `resource_type`."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        graph = StackGraph(args.resources)
        for resource in graph.of_type(resource_type):
            for problem in problems(graph, resource):
                report_violation(problem, resource.urn)

    return validate
