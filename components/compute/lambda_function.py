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

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.logs import LogGroupSettings, encrypted_log_group
from components.base.naming import Kind, physical_name
from components.base.packaging import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, function_archive, powertools_layer_arn
from components.base.roles import service_role
from components.security.code_signing import CodeSigning
from components.security.encryption import Encryption, KeyDomain

METRICS_NAMESPACE = "AgentPlatform"


@dataclass(frozen=True)
class FunctionBaseline:
    """What every function of a stage gets, whoever builds it: where it runs, its keys, its log group settings."""

    location: Location
    encryption: Encryption  # the environment is encrypted with the data key
    logs: LogGroupSettings
    code_signing: CodeSigning | None = None  # the tier runs only signed packages (TierProfile.code_signing)


@dataclass(frozen=True)
class FunctionCode:
    package_dir: Path  # functions/<package>: handler.py, shipped with functions/shared
    service: str  # POWERTOOLS_SERVICE_NAME: groups the function's logs and metrics


@dataclass(frozen=True)
class FunctionSize:
    memory_mb: int = 512
    timeout_seconds: int = 30


@dataclass(frozen=True)
class LambdaFunctionArgs:
    baseline: FunctionBaseline
    name_parts: tuple[str, ...]  # physical name: ap_<stage>_<parts...>
    code: FunctionCode
    description: str
    statements: Sequence[Statement] = ()  # what it may do beyond the baseline (own logs, X-Ray, own environment)
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    size: FunctionSize = FunctionSize()


class LambdaFunction(pulumi.ComponentResource):
    def __init__(self, name: str, args: LambdaFunctionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:compute:LambdaFunction", name, None, opts)
        location, encryption = args.baseline.location, args.baseline.encryption
        self.function_name = physical_name(Kind.LAMBDA, location.stage, *args.name_parts)
        # Known before the function exists, so policies naming it are known in preview.
        self.named_arn = location.arn("lambda", f"function:{self.function_name}")
        log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_group = encrypted_log_group(f"{name}-logs", log_group_name, args.baseline.logs, self)
        baseline = [
            Statement(
                sid="WriteOwnLogGroup",
                actions=("logs:CreateLogStream", "logs:PutLogEvents"),
                resources=(location.arn("logs", f"log-group:{log_group_name}:*"),),
            ),
            Statement(
                sid="ActiveTracing", actions=("xray:PutTraceSegments", "xray:PutTelemetryRecords"), resources=("*",)
            ),
            encryption.use(KeyDomain.DATA, "DecryptOwnEnvironment", ("kms:Decrypt",), via=("lambda",)),
        ]
        self.role, self.policy = service_role(
            name,
            location.stage,
            name_parts=(*args.name_parts, "fn"),
            description=f"Execution role of {self.function_name}",
            trust=ServiceTrust("lambda.amazonaws.com", location.account_id, source_arn=self.named_arn),
            statements=(*baseline, *args.statements),
            parent=self,
        )
        handler = f"{args.code.package_dir.name}.handler.lambda_handler"
        archive = function_archive(args.code.package_dir)
        signing = args.baseline.code_signing
        code = signing.function_code(args.code.package_dir.name, archive) if signing else {"code": archive}
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
                layers=[powertools_layer_arn(location.region, location.partition)],
                memory_size=args.size.memory_mb,
                timeout=args.size.timeout_seconds,
                kms_key_arn=encryption.key(KeyDomain.DATA).arn,
                environment=aws.lambda_.FunctionEnvironmentArgs(
                    variables={
                        "STAGE": location.stage,
                        "POWERTOOLS_SERVICE_NAME": args.code.service,
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
