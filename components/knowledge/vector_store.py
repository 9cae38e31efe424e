"""The stage's S3 vector bucket (S3 Vectors): one index per knowledge source lives in it."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.naming import Kind, physical_name
from components.context import DeployContext
from components.security.encryption import Encryption, KeyDomain


@dataclass(frozen=True)
class VectorStoreArgs:
    ctx: DeployContext
    encryption: Encryption


class VectorStore(pulumi.ComponentResource):
    """The stage's S3 vector bucket; indexes live in it, one per knowledge source."""

    def __init__(self, name: str, args: VectorStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:knowledge:VectorStore", name, None, opts)
        ctx = args.ctx
        self.key = args.encryption.key(KeyDomain.DATA)
        self.name = physical_name(Kind.S3_VECTOR_BUCKET, ctx.stage, "vectors", ctx.account_id)
        self.bucket = aws.s3.VectorsVectorBucket(
            f"{name}-bucket",
            aws.s3.VectorsVectorBucketArgs(
                vector_bucket_name=self.name,
                encryption_configurations=[
                    aws.s3.VectorsVectorBucketEncryptionConfigurationArgs(sse_type="aws:kms", kms_key_arn=self.key.arn)
                ],
            ),
            opts=ctx.data_opts(self),
        )
        self.register_outputs({"vectorBucketArn": self.bucket.vector_bucket_arn})
