"""Account-wide singletons: Bedrock model-invocation logging and API Gateway's CloudWatch role.

Each exists once per account and region. The environment file names the stage that owns them
(`account.owner_stage`); only that stage creates them, so stages sharing an account never fight over
them, and the policy pack checks both halves (present in the owner, absent elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.logs import LogGroupSettings, encrypted_log_group
from components.base.roles import service_role


@dataclass(frozen=True)
class AccountSingletonsArgs:
    location: Location
    account_label: str  # the environment file's account.account_label: names the account-wide log group
    logs: LogGroupSettings


class AccountSingletons(pulumi.ComponentResource):
    def __init__(self, name: str, args: AccountSingletonsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:observability:AccountSingletons", name, None, opts)
        location, label = args.location, args.account_label

        # Bedrock model-invocation logging: prompts and responses of every model call in the account.
        invocation_log_group = f"/aws/bedrock/model-invocations/{label}"
        invocation_logs = encrypted_log_group(f"{name}-model-invocation-logs", invocation_log_group, args.logs, self)
        bedrock_role, bedrock_policy = service_role(
            f"{name}-model-invocation-logging",
            location.stage,
            name_parts=("bedrock-invocation-logging",),
            description="Lets Bedrock write model-invocation logs of this account",
            trust=ServiceTrust(
                "bedrock.amazonaws.com",
                location.account_id,
                source_arn=location.arn("bedrock", "*"),
                source_arn_like=True,
            ),
            statements=(
                Statement(
                    sid="WriteInvocationLogs",
                    actions=("logs:CreateLogStream", "logs:PutLogEvents"),
                    resources=(location.arn("logs", f"log-group:{invocation_log_group}:log-stream:*"),),
                ),
            ),
            parent=self,
            policy_name="write-invocation-logs",
        )
        aws.bedrockmodel.InvocationLoggingConfiguration(
            f"{name}-model-invocation-logging",
            aws.bedrockmodel.InvocationLoggingConfigurationArgs(
                logging_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigArgs(
                    cloudwatch_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigCloudwatchConfigArgs(
                        log_group_name=invocation_logs.name, role_arn=bedrock_role.arn
                    ),
                    text_data_delivery_enabled=True,
                    embedding_data_delivery_enabled=False,
                    image_data_delivery_enabled=False,
                    video_data_delivery_enabled=False,
                )
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[bedrock_policy]),
        )

        # API Gateway writes execution and access logs of every REST API in the account with this role.
        api_role, api_policy = service_role(
            f"{name}-apigateway-cloudwatch",
            location.stage,
            name_parts=("apigateway-cloudwatch",),
            description="Lets API Gateway write execution and access logs of this account",
            trust=ServiceTrust("apigateway.amazonaws.com", location.account_id),
            statements=(
                Statement(sid="FindLogGroups", actions=("logs:DescribeLogGroups",), resources=("*",)),
                Statement(
                    sid="WriteApiLogs",
                    actions=(
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:DescribeLogStreams",
                        "logs:PutLogEvents",
                        "logs:GetLogEvents",
                        "logs:FilterLogEvents",
                    ),
                    resources=(
                        location.arn("logs", "log-group:API-Gateway-Execution-Logs_*"),
                        location.arn("logs", "log-group:API-Gateway-Execution-Logs_*:log-stream:*"),
                        location.arn("logs", "log-group:/aws/apigateway/*"),
                        location.arn("logs", "log-group:/aws/apigateway/*:log-stream:*"),
                    ),
                ),
            ),
            parent=self,
            policy_name="write-api-logs",
        )
        aws.apigateway.Account(
            f"{name}-apigateway-account",
            aws.apigateway.AccountArgs(cloudwatch_role_arn=api_role.arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[api_policy]),
        )
        self.register_outputs({"modelInvocationLogGroup": invocation_logs.name})
