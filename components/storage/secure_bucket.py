"""A private, versioned, SSE-KMS bucket with a TLS-only policy and server access logs.

Nine kinds of AWS resource, one more than a component usually holds, and together they are one S3
bucket: pulumi-aws 7 configures a bucket through separate resources (public access block, ownership
controls, versioning, default encryption, policy, access logging, lifecycle, EventBridge notifications).
Split across components, a bucket would be parted from its own settings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import bucket_name
from components.storage.access_log_bucket import AccessLogBucket
from components.storage.private_bucket import private_bucket, tls_only_policy


@dataclass(frozen=True)
class SecureBucketArgs:
    location: Location
    purpose: str  # documents, memory, ...
    key: aws.kms.Key  # the data CMK
    access_logs: AccessLogBucket
    retain_on_delete: bool  # TierProfile.retain_on_delete
    eventbridge_notifications: bool = False
    noncurrent_version_days: int = 90


class SecureBucket(pulumi.ComponentResource):
    """A private, versioned, SSE-KMS (bucket key) bucket with TLS-only policy and server access logs."""

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:storage:SecureBucket", name, None, opts)
        location = args.location
        self.name = bucket_name(location.stage, args.purpose, location.account_id, location.region)
        self.named_arn = location.arn("s3", self.name, regional=False, with_account=False)  # known in preview
        self.bucket = private_bucket(
            self,
            name,
            self.name,
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="aws:kms", kms_master_key_id=args.key.arn
                ),
                bucket_key_enabled=True,
            ),
            tls_only_policy(self.named_arn),
            args.retain_on_delete,
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
