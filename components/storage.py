"""S3 buckets and DynamoDB tables, secure by default: CMK, no public access, TLS only, versioned, logged."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import deny_insecure_transport
from components.base.naming import Kind, bucket_name, physical_name
from components.context import DeployContext


def _tls_only(bucket_arn: str, *grants: dict) -> str:
    """A bucket policy that refuses every request not made over TLS, plus optional grants on the bucket.

    Built from the bucket's name-derived ARN, so the document is known in preview.
    """
    statements = [deny_insecure_transport("s3:*", [bucket_arn, f"{bucket_arn}/*"]), *grants]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _private_bucket(
    owner: pulumi.ComponentResource,
    name: str,
    ctx: DeployContext,
    physical: str,
    encryption: aws.s3.BucketServerSideEncryptionConfigurationRuleArgs,
    policy: str,
) -> aws.s3.Bucket:
    """What every bucket of the platform is: public access blocked, bucket-owner-enforced ownership (no
    ACLs), versioned, encrypted by default and reachable over TLS only (`policy`, from `_tls_only`)."""
    opts = pulumi.ResourceOptions(parent=owner)
    bucket = aws.s3.Bucket(f"{name}-bucket", aws.s3.BucketArgs(bucket=physical), opts=ctx.data_opts(owner))
    controls = [
        aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            aws.s3.BucketPublicAccessBlockArgs(
                bucket=bucket.id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
            ),
            opts=opts,
        ),
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            aws.s3.BucketOwnershipControlsArgs(
                bucket=bucket.id,
                rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            ),
            opts=opts,
        ),
        aws.s3.BucketVersioning(
            f"{name}-versioning",
            aws.s3.BucketVersioningInitArgs(
                bucket=bucket.id,
                versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            ),
            opts=opts,
        ),
    ]
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        aws.s3.BucketServerSideEncryptionConfigurationInitArgs(bucket=bucket.id, rules=[encryption]),
        opts=opts,
    )
    aws.s3.BucketPolicy(
        f"{name}-policy",
        aws.s3.BucketPolicyArgs(bucket=bucket.id, policy=policy),
        opts=pulumi.ResourceOptions(parent=owner, depends_on=controls),
    )
    return bucket


@dataclass(frozen=True)
class AccessLogBucketArgs:
    ctx: DeployContext


class AccessLogBucket(pulumi.ComponentResource):
    """Destination of S3 server access logs.

    S3 server access logging cannot write to a bucket whose default encryption is SSE-KMS, so this one
    bucket uses SSE-S3; the policy pack recognises it as the target of a BucketLogging of this stack.
    """

    def __init__(self, name: str, args: AccessLogBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:storage:AccessLogBucket", name, None, opts)
        ctx = args.ctx
        self.name = bucket_name(ctx.stage, "access-logs", ctx.account_id, ctx.region)
        self.named_arn = ctx.arn("s3", self.name, regional=False, with_account=False)

        log_delivery = {
            "Sid": "S3ServerAccessLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{self.named_arn}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ctx.account_id}},
        }
        self.bucket = _private_bucket(
            self,
            name,
            ctx,
            self.name,
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="AES256"
                )
            ),
            _tls_only(self.named_arn, log_delivery),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            aws.s3.BucketLifecycleConfigurationArgs(
                bucket=self.bucket.id,
                rules=[
                    aws.s3.BucketLifecycleConfigurationRuleArgs(
                        id="expire-access-logs",
                        status="Enabled",
                        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                        expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(
                            days=ctx.tier.log_retention_days
                        ),
                        noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=7
                        ),
                    )
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"bucket": self.bucket.bucket})


@dataclass(frozen=True)
class SecureBucketArgs:
    ctx: DeployContext
    purpose: str  # documents, memory, ...
    key: aws.kms.Key
    access_logs: AccessLogBucket
    eventbridge_notifications: bool = False
    noncurrent_version_days: int = 90


class SecureBucket(pulumi.ComponentResource):
    """A private, versioned, SSE-KMS (bucket key) bucket with TLS-only policy and server access logs."""

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:storage:SecureBucket", name, None, opts)
        ctx = args.ctx
        self.name = bucket_name(ctx.stage, args.purpose, ctx.account_id, ctx.region)
        self.named_arn = ctx.arn("s3", self.name, regional=False, with_account=False)  # known in preview
        self.bucket = _private_bucket(
            self,
            name,
            ctx,
            self.name,
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="aws:kms", kms_master_key_id=args.key.arn
                ),
                bucket_key_enabled=True,
            ),
            _tls_only(self.named_arn),
        )
        aws.s3.BucketLogging(
            f"{name}-access-logging",
            aws.s3.BucketLoggingInitArgs(
                bucket=self.bucket.id,
                target_bucket=args.access_logs.bucket.id,
                target_prefix=f"{args.purpose}/",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            aws.s3.BucketLifecycleConfigurationArgs(
                bucket=self.bucket.id,
                rules=[
                    aws.s3.BucketLifecycleConfigurationRuleArgs(
                        id="expire-noncurrent-versions",
                        status="Enabled",
                        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                        noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=args.noncurrent_version_days
                        ),
                        abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                            days_after_initiation=7
                        ),
                    )
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        if args.eventbridge_notifications:
            aws.s3.BucketNotification(
                f"{name}-notifications",
                aws.s3.BucketNotificationArgs(bucket=self.bucket.id, eventbridge=True),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({"bucket": self.bucket.bucket, "arn": self.bucket.arn})


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
