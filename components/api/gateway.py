"""The API: `POST /agents/<agent>/chat` per entry agent, authenticated, validated, throttled, logged, traced.

crawl: IAM (SigV4) auth, each route proxies to the agent's orchestrator Lambda.
walk:  Cognito JWT auth, each route starts the agent's grounded-agent workflow synchronously.
run:   as walk, behind a WAF web ACL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.api.request_contract import chat_request_schema
from components.api.user_directory import UserDirectory
from components.api.web_firewall import WebFirewall, WebFirewallArgs
from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.logs import LogGroupSettings, encrypted_log_group
from components.base.naming import Kind, physical_name
from components.base.roles import service_role
from components.orchestration.workflow import stage_workflows_arn

API_STAGE = "v1"
INTEGRATION_TIMEOUT_MS = 29_000

ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "extendedRequestId": "$context.extendedRequestId",
        "ip": "$context.identity.sourceIp",
        "caller": "$context.identity.caller",
        "user": "$context.authorizer.claims.sub",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "responseLatency": "$context.responseLatency",
        "integrationLatency": "$context.integrationLatency",
        "integrationStatus": "$context.integrationStatus",
        "xrayTraceId": "$context.xrayTraceId",
        "wafResponse": "$context.wafResponseCode",
        "error": "$context.error.message",
    }
)

# The state machine's output is {"statusCode": <int>, "body": "<JSON string>"}: pass both through.
SYNC_WORKFLOW_RESPONSE = """#set($result = $input.path('$'))
#if($result.status == "SUCCEEDED")
#set($output = $util.parseJson($result.output))
#set($context.responseOverride.status = $output.statusCode)
$output.body
#else
#set($context.responseOverride.status = 503)
{"error": "unavailable", "message": "The assistant could not answer right now. Please try again later.",\
 "requestId": "$context.requestId"}
#end"""


@dataclass(frozen=True)
class LambdaBackend:
    function: aws.lambda_.Function


@dataclass(frozen=True)
class WorkflowBackend:
    state_machine: aws.sfn.StateMachine


@dataclass(frozen=True)
class Endpoint:
    agent: str
    backend: LambdaBackend | WorkflowBackend


@dataclass(frozen=True)
class Throttling:
    """The environment file's sizing.api_rate_limit and sizing.api_burst_limit, for every method."""

    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class GatewayArgs:
    location: Location
    endpoints: Sequence[Endpoint]
    users: UserDirectory | None  # None: IAM (SigV4) auth (TierProfile.api_auth)
    logs: LogGroupSettings  # access and execution logs
    throttling: Throttling
    web_firewall: bool  # TierProfile.waf


class Gateway(pulumi.ComponentResource):
    def __init__(self, name: str, args: GatewayArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:api:Gateway", name, None, opts)
        location = args.location
        self._location, self._name = location, name
        api_name = physical_name(Kind.API, location.stage, "agents")
        self.api = aws.apigateway.RestApi(
            f"{name}-api",
            aws.apigateway.RestApiArgs(
                name=api_name,
                description=f"agent-platform {location.stage}: chat with the stage's agents",
                endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"),
            ),
            opts=pulumi.ResourceOptions(parent=self),
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
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.validator = aws.apigateway.RequestValidator(
            f"{name}-validator",
            aws.apigateway.RequestValidatorArgs(
                rest_api=self.api.id,
                name="body-and-parameters",
                validate_request_body=True,
                validate_request_parameters=True,
            ),
            opts=pulumi.ResourceOptions(parent=self),
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
                opts=pulumi.ResourceOptions(parent=self),
            )
            if args.users
            else None
        )
        agents_root = aws.apigateway.Resource(
            f"{name}-agents",
            aws.apigateway.ResourceArgs(rest_api=self.api.id, parent_id=self.api.root_resource_id, path_part="agents"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        uses_workflows = any(isinstance(e.backend, WorkflowBackend) for e in args.endpoints)
        self._workflow_role = self._start_workflows_role() if uses_workflows else None
        routes: list[pulumi.Resource] = []
        for endpoint in args.endpoints:
            routes += self._route(endpoint, agents_root)

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
            opts=pulumi.ResourceOptions(parent=self, depends_on=routes),
        )
        access_logs = encrypted_log_group(f"{name}-access-logs", f"/aws/apigateway/{api_name}/access", args.logs, self)
        # Created here (encrypted, with retention) before API Gateway would create it without either.
        execution_logs = encrypted_log_group(
            f"{name}-execution-logs",
            self.api.id.apply(lambda api_id: f"API-Gateway-Execution-Logs_{api_id}/{API_STAGE}"),
            args.logs,
            self,
        )
        self.stage = aws.apigateway.Stage(
            f"{name}-stage",
            aws.apigateway.StageArgs(
                rest_api=self.api.id,
                deployment=self.deployment.id,
                stage_name=API_STAGE,
                xray_tracing_enabled=True,
                cache_cluster_enabled=False,
                access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                    destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[execution_logs]),
        )
        aws.apigateway.MethodSettings(
            f"{name}-method-settings",
            aws.apigateway.MethodSettingsArgs(
                rest_api=self.api.id,
                stage_name=self.stage.stage_name,
                method_path="*/*",
                settings=aws.apigateway.MethodSettingsSettingsArgs(
                    throttling_rate_limit=args.throttling.rate_limit,
                    throttling_burst_limit=args.throttling.burst_limit,
                    metrics_enabled=True,
                    logging_level="ERROR",
                    data_trace_enabled=False,  # request bodies hold user messages: never log them
                    caching_enabled=False,
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        if args.web_firewall:
            WebFirewall(
                f"{name}-firewall",
                WebFirewallArgs(location=location, stage_arn=self.stage.arn, logs=args.logs),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.url = self.stage.invoke_url
        self.register_outputs({"url": self.stage.invoke_url, "restApiId": self.api.id})

    def _start_workflows_role(self) -> aws.iam.Role:
        location = self._location
        role, self._workflow_policy = service_role(
            f"{self._name}-workflows",
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
        return role

    def _route(self, endpoint: Endpoint, agents_root: aws.apigateway.Resource) -> list[pulumi.Resource]:
        name = f"{self._name}-{endpoint.agent}"
        agent_resource = aws.apigateway.Resource(
            f"{name}-resource",
            aws.apigateway.ResourceArgs(rest_api=self.api.id, parent_id=agents_root.id, path_part=endpoint.agent),
            opts=pulumi.ResourceOptions(parent=self),
        )
        chat = aws.apigateway.Resource(
            f"{name}-chat-resource",
            aws.apigateway.ResourceArgs(rest_api=self.api.id, parent_id=agent_resource.id, path_part="chat"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        method = aws.apigateway.Method(
            f"{name}-chat-method",
            aws.apigateway.MethodArgs(
                rest_api=self.api.id,
                resource_id=chat.id,
                http_method="POST",
                authorization="COGNITO_USER_POOLS" if self.authorizer else "AWS_IAM",
                authorizer_id=self.authorizer.id if self.authorizer else None,
                request_validator_id=self.validator.id,
                request_models={"application/json": self.model.name},
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        if isinstance(endpoint.backend, LambdaBackend):
            return [method, *self._lambda_integration(name, endpoint.agent, chat, method, endpoint.backend.function)]
        return [method, *self._workflow_integration(name, chat, method, endpoint.backend.state_machine)]

    def _lambda_integration(
        self,
        name: str,
        agent: str,
        chat: aws.apigateway.Resource,
        method: aws.apigateway.Method,
        function: aws.lambda_.Function,
    ) -> list[pulumi.Resource]:
        location = self._location
        permission = aws.lambda_.Permission(
            f"{name}-invoke",
            aws.lambda_.PermissionArgs(
                action="lambda:InvokeFunction",
                function=function.name,
                principal="apigateway.amazonaws.com",
                # Only this route of this API, in any of its stages, may invoke the agent's orchestrator.
                source_arn=self.api.execution_arn.apply(lambda arn: f"{arn}/*/POST/agents/{agent}/chat"),
                source_account=location.account_id,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        integration = aws.apigateway.Integration(
            f"{name}-integration",
            aws.apigateway.IntegrationArgs(
                rest_api=self.api.id,
                resource_id=chat.id,
                http_method=method.http_method,
                type="AWS_PROXY",
                integration_http_method="POST",
                uri=function.invoke_arn,
                timeout_milliseconds=INTEGRATION_TIMEOUT_MS,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
        )
        return [permission, integration]

    def _workflow_integration(
        self,
        name: str,
        chat: aws.apigateway.Resource,
        method: aws.apigateway.Method,
        state_machine: aws.sfn.StateMachine,
    ) -> list[pulumi.Resource]:
        location = self._location
        assert self._workflow_role is not None
        request = state_machine.arn.apply(
            lambda arn: (
                '{"stateMachineArn": "' + arn + '", '
                '"input": "$util.escapeJavaScript($input.json(\'$\'))", '
                '"traceHeader": "Root=$context.xrayTraceId"}'
            )
        )
        integration = aws.apigateway.Integration(
            f"{name}-integration",
            aws.apigateway.IntegrationArgs(
                rest_api=self.api.id,
                resource_id=chat.id,
                http_method=method.http_method,
                type="AWS",
                integration_http_method="POST",
                uri=f"arn:{location.partition}:apigateway:{location.region}:states:action/StartSyncExecution",
                credentials=self._workflow_role.arn,
                passthrough_behavior="NEVER",
                request_templates={"application/json": request},
                timeout_milliseconds=INTEGRATION_TIMEOUT_MS,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self._workflow_policy]),
        )
        response = aws.apigateway.MethodResponse(
            f"{name}-response",
            aws.apigateway.MethodResponseArgs(
                rest_api=self.api.id, resource_id=chat.id, http_method=method.http_method, status_code="200"
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        mapping = aws.apigateway.IntegrationResponse(
            f"{name}-integration-response",
            aws.apigateway.IntegrationResponseArgs(
                rest_api=self.api.id,
                resource_id=chat.id,
                http_method=method.http_method,
                status_code=response.status_code,
                response_templates={"application/json": SYNC_WORKFLOW_RESPONSE},
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[integration]),
        )
        return [integration, response, mapping]


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
