"""DynamoDB tables: on demand, encrypted with the data CMK, point-in-time recovery and protection per tier."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options


@dataclass(frozen=True)
class TableProtection:
    """What the tier decides for every table: PITR, DynamoDB deletion protection, Pulumi protect/retain."""

    point_in_time_recovery: bool  # TierProfile.point_in_time_recovery
    deletion_protection: bool  # TierProfile.deletion_protection
    retain_on_delete: bool  # TierProfile.retain_on_delete


@dataclass(frozen=True)
class DataTableArgs:
    location: Location
    purpose: str
    key: aws.kms.Key  # the data CMK
    protection: TableProtection
    partition_key: str
    sort_key: str | None = None
    ttl_attribute: str | None = None


class DataTable(pulumi.ComponentResource):
    """An on-demand DynamoDB table: CMK, PITR from walk, deletion protection and retain in run."""

    def __init__(self, name: str, args: DataTableArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:storage:DataTable", name, None, opts)
        location, protection = args.location, args.protection
        keys = [args.partition_key] + ([args.sort_key] if args.sort_key else [])
        self.name = physical_name(Kind.DYNAMODB_TABLE, location.stage, args.purpose)
        self.named_arn = location.arn("dynamodb", f"table/{self.name}")  # for policies, known in preview
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
                    enabled=protection.point_in_time_recovery
                ),
                deletion_protection_enabled=protection.deletion_protection,
                ttl=aws.dynamodb.TableTtlArgs(attribute_name=args.ttl_attribute, enabled=True)
                if args.ttl_attribute
                else None,
            ),
            opts=data_options(self, protection.retain_on_delete),
        )
        self.register_outputs({"tableName": self.table.name, "tableArn": self.table.arn})
