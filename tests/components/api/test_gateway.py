from __future__ import annotations

import json

import pytest

from components.api.gateway import SYNC_WORKFLOW_RESPONSE
from tests.components.harness import Built


def test_crawl_authenticates_with_iam_and_proxies_to_the_orchestrator(crawl: Built) -> None:
    method = crawl.one("aws:apigateway/method:Method")
    integration = crawl.one("aws:apigateway/integration:Integration")
    function = crawl.one("aws:lambda/function:Function", "orchestrator")
    permission = crawl.one("aws:lambda/permission:Permission", "gateway-support-assistant-invoke")
    api = crawl.one("aws:apigateway/restApi:RestApi")
    assert method.inputs["authorization"] == "AWS_IAM"
    assert method.inputs["requestValidatorId"] and method.inputs["requestModels"] == {"application/json": "ChatRequest"}
    assert (integration.inputs["type"], integration.inputs["uri"]) == ("AWS_PROXY", function.outputs["invokeArn"])
    assert permission.inputs["sourceArn"] == f"{api.outputs['executionArn']}/*/POST/agents/support-assistant/chat"


@pytest.mark.parametrize("stage", ["walk", "run"])
def test_from_walk_users_bring_a_cognito_jwt_and_routes_start_the_workflow(
    stages: dict[str, Built], stage: str
) -> None:
    built = stages[stage]
    authorizer = built.one("aws:apigateway/authorizer:Authorizer")
    pool = built.one("aws:cognito/userPool:UserPool")
    assert authorizer.inputs["type"] == "COGNITO_USER_POOLS" and authorizer.inputs["providerArns"] == [
        pool.outputs["arn"]
    ]
    for method in built.of_type("aws:apigateway/method:Method"):
        assert method.inputs["authorization"] == "COGNITO_USER_POOLS"
        assert method.inputs["authorizerId"] == authorizer.outputs["id"]
    for integration in built.of_type("aws:apigateway/integration:Integration"):
        assert integration.inputs["type"] == "AWS"
        assert integration.inputs["uri"] == "arn:aws:apigateway:us-east-1:states:action/StartSyncExecution"
        template = json.loads(
            integration.inputs["requestTemplates"]["application/json"].replace(
                "$util.escapeJavaScript($input.json('$'))", "x"
            )
        )
        assert template["stateMachineArn"].startswith(f"arn:aws:states:us-east-1:123456789012:stateMachine:ap_{stage}_")
    role = built.one("aws:iam/rolePolicy:RolePolicy", "gateway-workflows-policy")
    assert built.statements(role)["StartAgentWorkflows"]["Resource"] == (
        f"arn:aws:states:us-east-1:123456789012:stateMachine:ap_{stage}_*_workflow"
    )


def test_the_workflow_response_passes_status_and_body_through() -> None:
    assert "$context.responseOverride.status = $output.statusCode" in SYNC_WORKFLOW_RESPONSE
    assert "$output.body" in SYNC_WORKFLOW_RESPONSE


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


def test_only_run_is_behind_a_waf(stages: dict[str, Built]) -> None:
    assert not stages["crawl"].of_type("aws:wafv2/webAcl:WebAcl") and not stages["walk"].of_type(
        "aws:wafv2/webAcl:WebAcl"
    )
    run = stages["run"]
    acl = run.one("aws:wafv2/webAcl:WebAcl")
    groups = [r["statement"].get("managedRuleGroupStatement", {}).get("name") for r in acl.inputs["rules"]]
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= set(groups)
    association = run.one("aws:wafv2/webAclAssociation:WebAclAssociation")
    assert association.inputs["resourceArn"] == run.one("aws:apigateway/stage:Stage").outputs["arn"]
    logging = run.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    group = run.by_urn(logging.property_dependencies["logDestinationConfigs"][0])
    assert group.inputs["name"].startswith("aws-waf-logs-")


def test_the_run_user_pool_requires_mfa_and_is_protected(run: Built, walk: Built) -> None:
    pool = run.one("aws:cognito/userPool:UserPool")
    assert pool.inputs["mfaConfiguration"] == "ON" and pool.inputs["deletionProtection"] == "ACTIVE"
    assert pool.inputs["adminCreateUserConfig"]["allowAdminCreateUserOnly"] is True
    assert walk.one("aws:cognito/userPool:UserPool").inputs["mfaConfiguration"] == "OPTIONAL"
