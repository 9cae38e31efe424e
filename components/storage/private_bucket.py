"""What every bucket of the platform is, whichever component owns it: private, versioned, encrypted, TLS only."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from components.base.iam import deny_insecure_transport
from components.base.protection import data_options


def tls_only_policy(bucket_arn: str, *grants: Mapping[str, object]) -> str:
    """A bucket policy that refuses every request not made over TLS, plus optional grants on the bucket.

    Built from the bucket's name-derived ARN, so the document is known in preview.
    """
    statements = [deny_insecure_transport("s3:*", [bucket_arn, f"{bucket_arn}/*"]), *grants]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def private_bucket(
    owner: pulumi.ComponentResource,
    name: str,
    physical: str,
    encryption: aws.s3.BucketServerSideEncryptionConfigurationRuleArgs,
    policy: str,
    retain_on_delete: bool,
) -> aws.s3.Bucket:
    """What every bucket of the platform is: public access blocked, bucket-owner-enforced ownership (no
    ACLs), versioned, encrypted by default and reachable over TLS only (`policy`, from `tls_only_policy`)."""
    opts = pulumi.ResourceOptions(parent=owner)
    bucket = aws.s3.Bucket(
        f"{name}-bucket", aws.s3.BucketArgs(bucket=physical), opts=data_options(owner, retain_on_delete)
    )
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
