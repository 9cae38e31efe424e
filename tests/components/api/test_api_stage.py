from __future__ import annotations

import json

import pytest

from tests.components.harness import Built


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_the_stage_logs_json_access_logs_traces_and_throttles(stages: dict[str, Built], stage: str) -> None:
    built = stages[stage]
    api_stage = built.one("aws:apigateway/stage:Stage")
    access = built.one("aws:cloudwatch/logGroup:LogGroup", "gateway-access-logs")
    assert api_stage.inputs["xrayTracingEnabled"] is True
    assert api_stage.inputs["accessLogSettings"]["destinationArn"] == access.outputs["arn"]
    assert "requestId" in json.loads(api_stage.inputs["accessLogSettings"]["format"])
    execution = built.one("aws:cloudwatch/logGroup:LogGroup", "gateway-execution-logs")
    assert execution.urn in api_stage.dependencies  # encrypted before API Gateway could create it unencrypted
    settings = built.one("aws:apigateway/methodSettings:MethodSettings").inputs["settings"]
    assert settings["dataTraceEnabled"] is False and settings["metricsEnabled"] is True
    assert settings["throttlingRateLimit"] > 0 and settings["throttlingBurstLimit"] > 0


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_stage_resources_keep_their_names_and_the_urns_they_had_as_the_gateways_own(
    stages: dict[str, Built], stage: str
) -> None:
    built = stages[stage]
    gateway = built.one("agent-platform:api:Gateway")
    api_stage = built.one("agent-platform:api:ApiStage")
    children = [r for r in built.resources if r.parent == api_stage.urn]
    assert api_stage.parent == gateway.urn and api_stage.name == gateway.name
    assert sorted(c.name.removeprefix(gateway.name) for c in children) == [
        "-access-logs",
        "-execution-logs",
        "-method-settings",
        "-stage",
    ]
    for child in children:
        assert child.urn.replace("agent-platform:api:ApiStage$", "agent-platform:api:Gateway$") in child.aliases
