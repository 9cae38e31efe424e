"""One agent's route: `POST /agents/<agent>/chat`, authenticated and validated, to its orchestrator or workflow.

crawl: the route proxies to the agent's orchestrator Lambda (AWS_PROXY), which only this route may invoke.
walk+: the route starts the agent's grounded-agent workflow synchronously (StartSyncExecution) with the
Gateway's start-workflows role, and maps the workflow's output to the HTTP response.

The route's resources were children of the Gateway before routes were components (issue 11): each carries
an alias to the URN it had there, so a `pulumi up` updates it in place instead of replacing it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location

INTEGRATION_TIMEOUT_MS = 29_000

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
class ChatApi:
    """What every chat route of the API shares: the API, its `/agents` resource, validation and auth."""

    api: aws.apigateway.RestApi
    agents: aws.apigateway.Resource  # `/agents`, the parent of every route
    request_model: aws.apigateway.Model  # the chat request contract
    validator: aws.apigateway.RequestValidator
    authorizer: aws.apigateway.Authorizer | None  # None: IAM (SigV4)


@dataclass(frozen=True)
class WorkflowStarter:
    """The role API Gateway assumes to start workflows, and its policy (an integration waits for it)."""

    role: aws.iam.Role
    policy: aws.iam.RolePolicy


@dataclass(frozen=True)
class ChatRouteArgs:
    location: Location
    api: ChatApi
    endpoint: Endpoint
    workflow_starter: WorkflowStarter | None  # what a workflow backend needs; None where there is none


class ChatRoute(pulumi.ComponentResource):
    def __init__(self, name: str, args: ChatRouteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:api:ChatRoute", name, None, opts)
        self._location, self._api = args.location, args.api
        # The URN each resource had as a child of the Gateway (this route's parent), before routes existed.
        gateway = opts.parent if opts is not None else None
        self._moved_from = [pulumi.Alias(parent=gateway)] if gateway is not None else []
        api, agent = args.api.api, args.endpoint.agent
        agent_resource = aws.apigateway.Resource(
            f"{name}-resource",
            aws.apigateway.ResourceArgs(rest_api=api.id, parent_id=args.api.agents.id, path_part=agent),
            opts=self._child(),
        )
        self.chat = aws.apigateway.Resource(
            f"{name}-chat-resource",
            aws.apigateway.ResourceArgs(rest_api=api.id, parent_id=agent_resource.id, path_part="chat"),
            opts=self._child(),
        )
        authorizer = args.api.authorizer
        self.method = aws.apigateway.Method(
            f"{name}-chat-method",
            aws.apigateway.MethodArgs(
                rest_api=api.id,
                resource_id=self.chat.id,
                http_method="POST",
                authorization="COGNITO_USER_POOLS" if authorizer else "AWS_IAM",
                authorizer_id=authorizer.id if authorizer else None,
                request_validator_id=args.api.validator.id,
                request_models={"application/json": args.api.request_model.name},
            ),
            opts=self._child(),
        )
        backend = args.endpoint.backend
        # What the API's deployment waits for: the method and everything that makes it answer.
        self.parts: list[pulumi.Resource] = [self.method]
        if isinstance(backend, LambdaBackend):
            self.parts += self._lambda_integration(name, agent, backend.function)
        else:
            assert args.workflow_starter is not None, "a workflow backend needs the start-workflows role"
            self.parts += self._workflow_integration(name, backend.state_machine, args.workflow_starter)
        self.register_outputs({})

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, aliases=self._moved_from, depends_on=depends_on)

    def _lambda_integration(self, name: str, agent: str, function: aws.lambda_.Function) -> list[pulumi.Resource]:
        api = self._api.api
        permission = aws.lambda_.Permission(
            f"{name}-invoke",
            aws.lambda_.PermissionArgs(
                action="lambda:InvokeFunction",
                function=function.name,
                principal="apigateway.amazonaws.com",
                # Only this route of this API, in any of its stages, may invoke the agent's orchestrator.
                source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/POST/agents/{agent}/chat"),
                source_account=self._location.account_id,
            ),
            opts=self._child(),
        )
        integration = aws.apigateway.Integration(
            f"{name}-integration",
            aws.apigateway.IntegrationArgs(
                rest_api=api.id,
                resource_id=self.chat.id,
                http_method=self.method.http_method,
                type="AWS_PROXY",
                integration_http_method="POST",
                uri=function.invoke_arn,
                timeout_milliseconds=INTEGRATION_TIMEOUT_MS,
            ),
            opts=self._child(depends_on=[permission]),
        )
        return [permission, integration]

    def _workflow_integration(
        self, name: str, state_machine: aws.sfn.StateMachine, starter: WorkflowStarter
    ) -> list[pulumi.Resource]:
        api, location = self._api.api, self._location
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
                rest_api=api.id,
                resource_id=self.chat.id,
                http_method=self.method.http_method,
                type="AWS",
                integration_http_method="POST",
                uri=f"arn:{location.partition}:apigateway:{location.region}:states:action/StartSyncExecution",
                credentials=starter.role.arn,
                passthrough_behavior="NEVER",
                request_templates={"application/json": request},
                timeout_milliseconds=INTEGRATION_TIMEOUT_MS,
            ),
            opts=self._child(depends_on=[starter.policy]),
        )
        response = aws.apigateway.MethodResponse(
            f"{name}-response",
            aws.apigateway.MethodResponseArgs(
                rest_api=api.id, resource_id=self.chat.id, http_method=self.method.http_method, status_code="200"
            ),
            opts=self._child(),
        )
        mapping = aws.apigateway.IntegrationResponse(
            f"{name}-integration-response",
            aws.apigateway.IntegrationResponseArgs(
                rest_api=api.id,
                resource_id=self.chat.id,
                http_method=self.method.http_method,
                status_code=response.status_code,
                response_templates={"application/json": SYNC_WORKFLOW_RESPONSE},
            ),
            opts=self._child(depends_on=[integration]),
        )
        return [integration, response, mapping]
