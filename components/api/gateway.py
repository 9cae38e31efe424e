"""The API: `POST /agents/<agent>/chat` per entry agent, authenticated, validated, throttled, logged, traced.

crawl: IAM (SigV4) auth, each route proxies to the agent's orchestrator Lambda.
walk:  Cognito JWT auth, each route starts the agent's grounded-agent workflow synchronously.
run:   as walk, behind a WAF web ACL.

The Gateway holds what the whole API shares (the REST API, the request contract and its validator, the
Cognito authorizer, `/agents`, the role that starts workflows) and its deployment; each agent's route is
a ChatRoute, the served stage an ApiStage, the firewall a WebFirewall.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.api.api_stage import ApiStage, ApiStageArgs, Throttling
from components.api.chat_route import (
    SYNC_WORKFLOW_RESPONSE,
    ChatApi,
    ChatRoute,
    ChatRouteArgs,
    Endpoint,
    WorkflowBackend,
    WorkflowStarter,
)
from components.api.request_contract import chat_request_schema
from components.api.user_directory import UserDirectory
from components.api.web_firewall import WebFirewall, WebFirewallArgs
from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.logs import LogGroupSettings
from components.base.naming import Kind, physical_name
from components.base.roles import service_role
from components.orchestration.workflow import stage_workflows_arn


@dataclass(frozen=True)
class GatewayArgs:
    location: Location
    endpoints: Sequence[Endpoint]
    users: UserDirectory | None  # None: IAM (SigV4) auth (TierProfile.api_auth)
    logs: LogGroupSettings  # access, execution and firewall logs
    throttling: Throttling
    web_firewall: bool  # TierProfile.waf


class Gateway(pulumi.ComponentResource):
    def __init__(self, name: str, args: GatewayArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:api:Gateway", name, None, opts)
        location = args.location
        own = pulumi.ResourceOptions(parent=self)
        api_name = physical_name(Kind.API, location.stage, "agents")
        self.api = aws.apigateway.RestApi(
            f"{name}-api",
            aws.apigateway.RestApiArgs(
                name=api_name,
                description=f"agent-platform {location.stage}: chat with the stage's agents",
                endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"),
            ),
            opts=own,
        )
        self.model = aws.apigateway.Model(
            f"{name}-chat-request-model",
            aws.apigateway.ModelArgs(
                rest_api=self.api.id,
                name="ChatRequest",
                content_type="application/json",
                description="Body of POST /agents/{agent}/chat",
                schema=json.dumps(chat_request_schema()),
            ),
            opts=own,
        )
        self.validator = aws.apigateway.RequestValidator(
            f"{name}-validator",
            aws.apigateway.RequestValidatorArgs(
                rest_api=self.api.id,
                name="body-and-parameters",
                validate_request_body=True,
                validate_request_parameters=True,
            ),
            opts=own,
        )
        self.authorizer = (
            aws.apigateway.Authorizer(
                f"{name}-authorizer",
                aws.apigateway.AuthorizerArgs(
                    rest_api=self.api.id,
                    name="cognito-users",
                    type="COGNITO_USER_POOLS",
                    provider_arns=[args.users.user_pool.arn],
                    identity_source="method.request.header.Authorization",
                ),
                opts=own,
            )
            if args.users
            else None
        )
        agents_root = aws.apigateway.Resource(
            f"{name}-agents",
            aws.apigateway.ResourceArgs(rest_api=self.api.id, parent_id=self.api.root_resource_id, path_part="agents"),
            opts=own,
        )
        uses_workflows = any(isinstance(e.backend, WorkflowBackend) for e in args.endpoints)
        starter = self._workflow_starter(name, location) if uses_workflows else None
        chat_api = ChatApi(self.api, agents_root, self.model, self.validator, self.authorizer)
        self.routes = [
            ChatRoute(f"{name}-{endpoint.agent}", ChatRouteArgs(location, chat_api, endpoint, starter), opts=own)
            for endpoint in args.endpoints
        ]
        self.deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            aws.apigateway.DeploymentArgs(
                rest_api=self.api.id,
                description=f"agent-platform {location.stage}",
                # Redeploy whenever a route, its backend kind, the auth or the request contract changes.
                triggers={
                    "routes": _fingerprint(
                        [(e.agent, type(e.backend).__name__) for e in args.endpoints],
                        "cognito" if args.users else "iam",
                        chat_request_schema(),
                        SYNC_WORKFLOW_RESPONSE,
                    )
                },
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[part for r in self.routes for part in r.parts]),
        )
        # Named like the Gateway: its resources kept the names they had as the Gateway's own.
        stage = ApiStage(
            name, ApiStageArgs(self.api, api_name, self.deployment, args.logs, args.throttling), opts=own
        ).stage
        if args.web_firewall:
            WebFirewall(
                f"{name}-firewall", WebFirewallArgs(location=location, stage_arn=stage.arn, logs=args.logs), opts=own
            )
        self.stage = stage
        self.url = stage.invoke_url
        self.register_outputs({"url": stage.invoke_url, "restApiId": self.api.id})

    def _workflow_starter(self, name: str, location: Location) -> WorkflowStarter:
        role, policy = service_role(
            f"{name}-workflows",
            location.stage,
            name_parts=("api-start-workflows",),
            description="API Gateway starts the agents' grounded-agent workflows",
            trust=ServiceTrust("apigateway.amazonaws.com", location.account_id),
            statements=(
                Statement(
                    sid="StartAgentWorkflows",
                    actions=("states:StartSyncExecution",),
                    resources=(stage_workflows_arn(location),),
                ),
            ),
            parent=self,
        )
        return WorkflowStarter(role, policy)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
