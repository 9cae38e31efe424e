"""Lookups that more than one policy family needs: which settings, buckets and managed policies belong to what."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource

from policies.core.graph import StackGraph
from policies.core.props import UNKNOWN, get, items
from policies.core.resource_types import (
    API_METHOD_SETTINGS,
    IAM_GROUP_POLICY_ATTACHMENT,
    IAM_POLICY_ATTACHMENT,
    IAM_ROLE,
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_USER_POLICY_ATTACHMENT,
    S3_BUCKET,
    S3_BUCKET_LOGGING,
)

POLICY_ATTACHMENTS = (
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_POLICY_ATTACHMENT,
    IAM_USER_POLICY_ATTACHMENT,
    IAM_GROUP_POLICY_ATTACHMENT,
)


def method_settings_for(graph: StackGraph, api_stage: PolicyResource) -> list[PolicyResource]:
    """MethodSettings that apply to every method of `api_stage` (methodPath */*)."""
    name = get(graph.props(api_stage), "stageName")
    found = []
    for settings in graph.of_type(API_METHOD_SETTINGS):
        props = graph.props(settings)
        by_graph = api_stage in graph.deps(settings, "stageName")
        same_api = {d.urn for d in graph.deps(settings, "restApi")} & {d.urn for d in graph.deps(api_stage, "restApi")}
        by_name = isinstance(name, str) and get(props, "stageName") == name and bool(same_api)
        if (by_graph or by_name) and get(props, "methodPath") == "*/*":
            found.append(settings)
    return found


def access_log_targets(graph: StackGraph) -> set[str]:
    """URNs of buckets that receive S3 server access logs from a BucketLogging of this stack."""
    return {
        t.urn for logging in graph.of_type(S3_BUCKET_LOGGING) for t in graph.deps(logging, "targetBucket", S3_BUCKET)
    }


def attached_policy_arns(resource_type: str, props: dict[str, Any]) -> list[Any]:
    """The managed policy ARNs a role (managedPolicyArns) or a policy attachment (policyArn) attaches."""
    if resource_type == IAM_ROLE:
        arns = items(props, "managedPolicyArns")
        return [UNKNOWN] if arns is UNKNOWN else list(arns)
    if resource_type in POLICY_ATTACHMENTS:
        return [get(props, "policyArn")]
    return []
