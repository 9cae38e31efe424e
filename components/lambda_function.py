"""A Lambda function the platform way: its own role, its own encrypted log group, tracing, Powertools.

Nothing here can be switched off by a caller: JSON logs to a CMK-encrypted log group with the tier's
retention, active X-Ray tracing, environment variables encrypted with the data CMK, the Powertools
layer pinned by version, and a role that holds only the statements the caller passes in plus what
every function needs (its own log group, X-Ray, decrypting its environment).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pulumi
import pulumi_aws as aws

from components.context import DeployContext
from components.encryption import Encryption, KeyDomain
from components.iam import ServiceTrust, Statement
from components.logs import encrypted_log_group
from components.naming import Kind, physical_name
from components.packaging import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, function_archive, powertools_layer_arn
from components.roles import service_role

METRICS_NAMESPACE = "AgentPlatform"


@dataclass(frozen=True)
class LambdaFunctionArgs:
    ctx: DeployContext
    name_parts: tuple[str, ...]  # physical name: ap-<stage>-<parts...>
    package_dir: Path
    description: str
    service: str  # POWERTOOLS_SERVICE_NAME: groups logs and metrics
    encryption: Encryption  # logs with the logs key, environment with the data key
    statements: Sequence[Statement] = ()
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    memory_mb: int = 512
    timeout_seconds: int = 30


class LambdaFunction(pulumi.ComponentResource):
    def __init__(self, name: str, args: LambdaFunctionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:compute:LambdaFunction", name, None, opts)
        ctx = args.ctx
        self.function_name = physical_name(Kind.LAMBDA, ctx.stage, *args.name_parts)
        # Known before the function exists, so policies naming it are known in preview.
        self.named_arn = ctx.arn("lambda", f"function:{self.function_name}")
        log_group_name = f"/aws/lambda/{self.function_name}"
        logs_key, environment_key = args.encryption.key(KeyDomain.LOGS), args.encryption.key(KeyDomain.DATA)

        self.log_group = encrypted_log_group(f"{name}-logs", log_group_name, ctx, logs_key, self)
        baseline = [
            Statement(
                sid="WriteOwnLogGroup",
                actions=("logs:CreateLogStream", "logs:PutLogEvents"),
                resources=(ctx.arn("logs", f"log-group:{log_group_name}:*"),),
            ),
            Statement(
                sid="ActiveTracing", actions=("xray:PutTraceSegments", "xray:PutTelemetryRecords"), resources=("*",)
            ),
            args.encryption.use(KeyDomain.DATA, "DecryptOwnEnvironment", ("kms:Decrypt",), via=("lambda",)),
        ]
        self.role, self.policy = service_role(
            name,
            ctx,
            name_parts=(*args.name_parts, "fn"),
            description=f"Execution role of {self.function_name}",
            trust=ServiceTrust("lambda.amazonaws.com", ctx.account_id, source_arn=self.named_arn),
            statements=(*baseline, *args.statements),
            parent=self,
        )
        handler = f"{args.package_dir.name}.handler.lambda_handler"
        archive = function_archive(args.package_dir)
        signing = ctx.code_signing
        code = signing.function_code(args.package_dir.name, archive) if signing else {"code": archive}
        self.function = aws.lambda_.Function(
            f"{name}-function",
            aws.lambda_.FunctionArgs(
                name=self.function_name,
                description=args.description[:256],
                role=self.role.arn,
                runtime=LAMBDA_RUNTIME,
                architectures=[LAMBDA_ARCHITECTURE],
                handler=handler,
                **code,
                code_signing_config_arn=signing.config.arn if signing else None,
                layers=[powertools_layer_arn(ctx.region, ctx.partition)],
                memory_size=args.memory_mb,
                timeout=args.timeout_seconds,
                kms_key_arn=environment_key.arn,
                environment=aws.lambda_.FunctionEnvironmentArgs(
                    variables={
                        "STAGE": ctx.stage,
                        "POWERTOOLS_SERVICE_NAME": args.service,
                        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                        "POWERTOOLS_LOG_LEVEL": "INFO",
                        **args.environment,
                    }
                ),
                tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
                logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                    log_format="JSON",
                    log_group=self.log_group.name,
                    application_log_level="INFO",
                    system_log_level="WARN",
                ),
            ),
            # No depends_on the policy: nothing invokes the function before the deployment finishes, and
            # whatever validates the role's permissions at creation (event source mappings) waits on
            # `self.policy` itself. This keeps the policy off the deployment's critical path.
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = self.function.arn
        self.register_outputs({"functionArn": self.function.arn, "logGroup": self.log_group.name})
