"""The Pulumi state backend of one account: a private, versioned, CMK-encrypted, logged S3 bucket and the
KMS key every stack of the account uses as its secrets provider (`awskms://alias/...`).

Pulumi docs: "Using a DIY backend" (`pulumi login s3://<bucket>`) and `pulumi stack init
--secrets-provider="awskms://alias/ExampleAlias?region=us-east-1"`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

STATE_ALIAS = "alias/agent-platform/state"
SECRETS_ALIAS = "alias/agent-platform/secrets"
STATE_NONCURRENT_DAYS = 365  # earlier checkpoints stay recoverable for a year (README: recovering a stack)
ACCESS_LOG_DAYS = 365
# What a stage's deploy role could otherwise do to these keys: its derived KMS grants cover `key/*` of the
# account, because the keys of a stage carry ids AWS generates (bootstrap/derivation.py).
KEY_ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:DeleteAlias",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
)


@dataclass(frozen=True)
class StateBackendArgs:
    account_id: str
    region: str
    partition: str
    pipeline_role_pattern: str  # ARN pattern of the roles this program creates for the pipeline
    artifacts: bool = False  # a stage of the account runs only signed code: keep a bucket for its packages


def state_bucket_name(account_id: str, region: str) -> str:
    return f"agent-platform-state-{account_id}-{region}"


def artifacts_bucket_name(account_id: str, region: str) -> str:
    return f"agent-platform-artifacts-{account_id}-{region}"


def access_log_bucket_name(account_id: str, region: str) -> str:
    return f"agent-platform-state-logs-{account_id}-{region}"


def key_policy(args: StateBackendArgs) -> str:
    """The account root administers the key through IAM; the pipeline's roles may use it, never administer it."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountRootAdministersKeyThroughIam",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{args.partition}:iam::{args.account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "PipelineRolesNeverAdministerKey",
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": list(KEY_ADMIN_ACTIONS),
                    "Resource": "*",
                    "Condition": {"ArnLike": {"aws:PrincipalArn": args.pipeline_role_pattern}},
                },
            ],
        }
    )


def _tls_only(bucket_arn: str, *grants: dict[str, Any]) -> str:
    deny = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [deny, *grants]})


class StateBackend(pulumi.ComponentResource):
    def __init__(self, name: str, args: StateBackendArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:bootstrap:StateBackend", name, None, opts)
        # Losing any of these loses every stack's state: protected, and kept if the stack is ever destroyed.
        keep = pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True)
        child = pulumi.ResourceOptions(parent=self)
        self.state_key = self._key(f"{name}-state-key", "Encrypts the Pulumi state bucket", STATE_ALIAS, args, keep)
        self.secrets_key = self._key(
            f"{name}-secrets-key", "Pulumi secrets provider of the platform stacks", SECRETS_ALIAS, args, keep
        )

        self.log_bucket_name = access_log_bucket_name(args.account_id, args.region)
        log_arn = f"arn:{args.partition}:s3:::{self.log_bucket_name}"
        self.bucket_name = state_bucket_name(args.account_id, args.region)
        self.bucket_arn = f"arn:{args.partition}:s3:::{self.bucket_name}"
        log_delivery = {
            # "Enabling Amazon S3 server access logging" (S3 user guide): the logging service principal,
            # scoped to the source bucket and account.
            "Sid": "S3ServerAccessLogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{log_arn}/*",
            "Condition": {
                "ArnLike": {"aws:SourceArn": self.bucket_arn},
                "StringEquals": {"aws:SourceAccount": args.account_id},
            },
        }
        # S3 server access logs cannot be delivered to an SSE-KMS bucket: the log bucket uses SSE-S3.
        sse_s3 = aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256"
            )
        )
        self.log_bucket = self._bucket(
            f"{name}-logs", self.log_bucket_name, sse_s3, _tls_only(log_arn, log_delivery), keep, child
        )
        self._lifecycle(f"{name}-logs", self.log_bucket, child, expire_days=ACCESS_LOG_DAYS, noncurrent_days=7)

        sse_kms = aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=self.state_key.arn
            ),
            bucket_key_enabled=True,
        )
        self.bucket = self._bucket(f"{name}-state", self.bucket_name, sse_kms, _tls_only(self.bucket_arn), keep, child)
        self._lifecycle(f"{name}-state", self.bucket, child, expire_days=None, noncurrent_days=STATE_NONCURRENT_DAYS)
        aws.s3.BucketLogging(
            f"{name}-state-logging",
            aws.s3.BucketLoggingInitArgs(
                bucket=self.bucket.id, target_bucket=self.log_bucket.id, target_prefix=f"{self.bucket_name}/"
            ),
            opts=child,
        )
        self.artifacts_bucket_name: str | None = None
        if args.artifacts:
            # Signed function packages (deploy/artifacts.py). AWS Signer signs a specific object version, so
            # the bucket is versioned like every bucket here; Lambda copies the code at deployment.
            self.artifacts_bucket_name = artifacts_bucket_name(args.account_id, args.region)
            artifacts_arn = f"arn:{args.partition}:s3:::{self.artifacts_bucket_name}"
            artifacts = self._bucket(
                f"{name}-artifacts", self.artifacts_bucket_name, sse_kms, _tls_only(artifacts_arn), keep, child
            )
            self._lifecycle(f"{name}-artifacts", artifacts, child, expire_days=None, noncurrent_days=90)
            aws.s3.BucketLogging(
                f"{name}-artifacts-logging",
                aws.s3.BucketLoggingInitArgs(
                    bucket=artifacts.id,
                    target_bucket=self.log_bucket.id,
                    target_prefix=f"{self.artifacts_bucket_name}/",
                ),
                opts=child,
            )
        self.backend_url = f"s3://{self.bucket_name}?region={args.region}&awssdk=v2"
        self.secrets_provider = f"awskms://{SECRETS_ALIAS}?region={args.region}"
        self.register_outputs({"backendUrl": self.backend_url, "secretsProvider": self.secrets_provider})

    def _key(
        self, name: str, description: str, alias: str, args: StateBackendArgs, keep: pulumi.ResourceOptions
    ) -> aws.kms.Key:
        key = aws.kms.Key(
            name,
            aws.kms.KeyArgs(
                description=description,
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=key_policy(args),
            ),
            opts=keep,
        )
        aws.kms.Alias(
            f"{name}-alias",
            aws.kms.AliasArgs(name=alias, target_key_id=key.key_id),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return key

    def _bucket(
        self,
        name: str,
        physical: str,
        encryption: aws.s3.BucketServerSideEncryptionConfigurationRuleArgs,
        policy: str,
        keep: pulumi.ResourceOptions,
        child: pulumi.ResourceOptions,
    ) -> aws.s3.Bucket:
        bucket = aws.s3.Bucket(f"{name}-bucket", aws.s3.BucketArgs(bucket=physical), opts=keep)
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
                opts=child,
            ),
            aws.s3.BucketOwnershipControls(
                f"{name}-ownership",
                aws.s3.BucketOwnershipControlsArgs(
                    bucket=bucket.id,
                    rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
                ),
                opts=child,
            ),
            aws.s3.BucketVersioning(
                f"{name}-versioning",
                aws.s3.BucketVersioningInitArgs(
                    bucket=bucket.id,
                    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
                ),
                opts=child,
            ),
        ]
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            aws.s3.BucketServerSideEncryptionConfigurationInitArgs(bucket=bucket.id, rules=[encryption]),
            opts=child,
        )
        aws.s3.BucketPolicy(
            f"{name}-policy",
            aws.s3.BucketPolicyArgs(bucket=bucket.id, policy=policy),
            opts=pulumi.ResourceOptions(parent=self, depends_on=controls),
        )
        return bucket

    def _lifecycle(
        self,
        name: str,
        bucket: aws.s3.Bucket,
        opts: pulumi.ResourceOptions,
        expire_days: int | None,
        noncurrent_days: int,
    ) -> None:
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            aws.s3.BucketLifecycleConfigurationArgs(
                bucket=bucket.id,
                rules=[
                    aws.s3.BucketLifecycleConfigurationRuleArgs(
                        id="expire-old-versions",
                        status="Enabled",
                        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                        expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=expire_days)
                        if expire_days
                        else None,
                        noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=noncurrent_days
                        ),
                        abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                            days_after_initiation=7
                        ),
                    )
                ],
            ),
            opts=opts,
        )
