"""DynamoDB tables: on demand, encrypted with the data CMK, point-in-time recovery and protection per tier."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.naming import Kind, physical_name
from components.context import DeployContext


@dataclass(frozen=True)
class DataTableArgs:
    ctx: DeployContext
    purpose: str
    key: aws.kms.Key
    partition_key: str
    sort_key: str | None = None
    ttl_attribute: str | None = None


class DataTable(pulumi.ComponentResource):
    """An on-demand DynamoDB table: CMK, PITR from walk, deletion protection and retain in run."""

    def __init__(self, name: str, args: DataTableArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:storage:DataTable", name, None, opts)
        ctx = args.ctx
        keys = [args.partition_key] + ([args.sort_key] if args.sort_key else [])
        self.name = physical_name(Kind.DYNAMODB_TABLE, ctx.stage, args.purpose)
        self.named_arn = ctx.arn("dynamodb", f"table/{self.name}")  # for policies, known in preview
        self.table = aws.dynamodb.Table(
            f"{name}-table",
            aws.dynamodb.TableArgs(
                name=self.name,
                billing_mode="PAY_PER_REQUEST",
                hash_key=args.partition_key,
                range_key=args.sort_key,
                attributes=[aws.dynamodb.TableAttributeArgs(name=k, type="S") for k in keys],
                server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(
                    enabled=True, kms_key_arn=args.key.arn
                ),
                point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(
                    enabled=ctx.tier.point_in_time_recovery
                ),
                deletion_protection_enabled=ctx.tier.deletion_protection,
                ttl=aws.dynamodb.TableTtlArgs(attribute_name=args.ttl_attribute, enabled=True)
                if args.ttl_attribute
                else None,
            ),
            opts=ctx.data_opts(self),
        )
        self.register_outputs({"tableName": self.table.name, "tableArn": self.table.arn})
