"""The destination of the stage's S3 server access logs."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import bucket_name
from components.storage.private_bucket import private_bucket, tls_only_policy


@dataclass(frozen=True)
class AccessLogBucketArgs:
    location: Location
    expiration_days: int  # logs are kept as long as the stage keeps its logs (TierProfile.log_retention_days)
    retain_on_delete: bool  # TierProfile.retain_on_delete


class AccessLogBucket(pulumi.ComponentResource):
    """Destination of S3 server access logs.

    S3 server access logging cannot write to a bucket whose default encryption is SSE-KMS, so this one
    bucket uses SSE-S3; the policy pack recognises it as the target of a BucketLogging of this stack.
    """

    def __init__(self, name: str, args: AccessLogBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:storage:AccessLogBucket", name, None, opts)
        location = args.location
        self.name = bucket_name(location.stage, "access-logs", location.account_id, location.region)
        self.named_arn = location.arn("s3", self.name, regional=False, with_account=False)

        log_delivery = {
            "Sid": "S3ServerAccessLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{self.named_arn}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": location.account_id}},
        }
        self.bucket = private_bucket(
            self,
            name,
            self.name,
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="AES256"
                )
            ),
            tls_only_policy(self.named_arn, log_delivery),
            args.retain_on_delete,
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
                        expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=args.expiration_days),
                        noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=7
                        ),
                    )
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"bucket": self.bucket.bucket})
