"""The API's stage `v1`: the deployment it serves, its access and execution logs, tracing and throttling.

Named after its API (the Gateway's name), as its resources were when the Gateway created them itself;
each carries an alias to the URN it had as the Gateway's child (issue 11), so a `pulumi up` keeps it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.logs import LogGroupSettings, encrypted_log_group

API_STAGE = "v1"

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


@dataclass(frozen=True)
class Throttling:
    """The environment file's sizing.api_rate_limit and sizing.api_burst_limit, for every method."""

    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class ApiStageArgs:
    api: aws.apigateway.RestApi
    api_name: str  # the API's physical name: names its access log group
    deployment: aws.apigateway.Deployment
    logs: LogGroupSettings
    throttling: Throttling


class ApiStage(pulumi.ComponentResource):
    def __init__(self, name: str, args: ApiStageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:api:ApiStage", name, None, opts)
        gateway = opts.parent if opts is not None else None
        aliases = [pulumi.Alias(parent=gateway)] if gateway is not None else []
        child = pulumi.ResourceOptions(parent=self, aliases=aliases)
        api = args.api
        access_logs = encrypted_log_group(
            f"{name}-access-logs", f"/aws/apigateway/{args.api_name}/access", args.logs, self, aliases
        )
        # Created here (encrypted, with retention) before API Gateway would create it without either.
        execution_logs = encrypted_log_group(
            f"{name}-execution-logs",
            api.id.apply(lambda api_id: f"API-Gateway-Execution-Logs_{api_id}/{API_STAGE}"),
            args.logs,
            self,
            aliases,
        )
        self.stage = aws.apigateway.Stage(
            f"{name}-stage",
            aws.apigateway.StageArgs(
                rest_api=api.id,
                deployment=args.deployment.id,
                stage_name=API_STAGE,
                xray_tracing_enabled=True,
                cache_cluster_enabled=False,
                access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                    destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT
                ),
            ),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[execution_logs])),
        )
        aws.apigateway.MethodSettings(
            f"{name}-method-settings",
            aws.apigateway.MethodSettingsArgs(
                rest_api=api.id,
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
            opts=child,
        )
        self.register_outputs({"invokeUrl": self.stage.invoke_url})
