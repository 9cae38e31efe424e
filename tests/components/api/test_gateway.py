from __future__ import annotations

import json

import pytest

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
