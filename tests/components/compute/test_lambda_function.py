from __future__ import annotations

import pytest

from components.base.packaging import powertools_layer_arn
from tests.components.harness import Built

FUNCTION = "aws:lambda/function:Function"


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_every_function_logs_json_to_its_own_encrypted_group_and_traces(stages: dict[str, Built], stage: str) -> None:
    built = stages[stage]
    logs_key = built.one("aws:kms/key:Key", "logs-key").outputs["arn"]
    retention = {"crawl": 30, "walk": 90, "run": 365}[stage]
    for function in built.of_type(FUNCTION):
        group = next(g for g in built.of_type("aws:cloudwatch/logGroup:LogGroup") if g.parent == function.parent)
        assert group.inputs["name"] == f"/aws/lambda/{function.inputs['name']}"
        assert function.inputs["loggingConfig"]["logGroup"] == group.inputs["name"]
        assert function.property_dependencies["loggingConfig"] == [group.urn]
        assert function.inputs["loggingConfig"]["logFormat"] == "JSON"
        assert group.inputs["kmsKeyId"] == logs_key and group.inputs["retentionInDays"] == retention
        assert function.inputs["tracingConfig"] == {"mode": "Active"}
        assert function.inputs["runtime"] == "python3.13"
        assert function.inputs["layers"] == [powertools_layer_arn("us-east-1")]
        assert function.inputs["kmsKeyArn"] == built.one("aws:kms/key:Key", "data-key").outputs["arn"]


def test_the_role_trusts_lambda_for_this_function_only_and_holds_the_baseline(crawl: Built) -> None:
    function = crawl.one(FUNCTION, "ticket-lookup")
    role = crawl.by_urn(function.property_dependencies["role"][0])
    [trust] = crawl.document(role, "assumeRolePolicy")["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Condition"]["ArnEquals"] == {"aws:SourceArn": function.outputs["arn"]}
    policy = next(p for p in crawl.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    statements = crawl.statements(policy)
    group_arn = next(
        g for g in crawl.of_type("aws:cloudwatch/logGroup:LogGroup") if g.parent == function.parent
    ).outputs["arn"]
    assert statements["WriteOwnLogGroup"]["Resource"] == f"{group_arn}:*"
    assert statements["ActiveTracing"]["Resource"] == "*"
    assert statements["DecryptOwnEnvironment"]["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/ap_crawl_data"]},
        "StringEquals": {"kms:ViaService": "lambda.us-east-1.amazonaws.com"},
    }
    assert policy.urn not in function.dependencies  # kept off the critical path: nothing invokes it mid-deploy


def test_an_event_source_mapping_waits_for_its_functions_permissions(walk: Built) -> None:
    mapping = walk.one("aws:lambda/eventSourceMapping:EventSourceMapping", "escalation-trigger")
    function = walk.one("aws:lambda/function:Function", "escalation")
    policy = next(p for p in walk.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    assert policy.urn in mapping.dependencies


def test_environment_carries_powertools_settings(crawl: Built) -> None:
    variables = crawl.one(FUNCTION, "orchestrator").inputs["environment"]["variables"]
    assert variables["POWERTOOLS_SERVICE_NAME"] == "orchestrator"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "AgentPlatform"
    assert variables["STAGE"] == "crawl"
