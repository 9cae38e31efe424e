"""The stage's S3 vector bucket (S3 Vectors): one index per knowledge source lives in it."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options


@dataclass(frozen=True)
class VectorStoreArgs:
    location: Location
    key: aws.kms.Key  # the data CMK
    retain_on_delete: bool  # TierProfile.retain_on_delete


class VectorStore(pulumi.ComponentResource):
    """The stage's S3 vector bucket; indexes live in it, one per knowledge source."""

    def __init__(self, name: str, args: VectorStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:knowledge:VectorStore", name, None, opts)
        location = args.location
        self.key = args.key
        self.name = physical_name(Kind.S3_VECTOR_BUCKET, location.stage, "vectors", location.account_id)
        self.bucket = aws.s3.VectorsVectorBucket(
            f"{name}-bucket",
            aws.s3.VectorsVectorBucketArgs(
                vector_bucket_name=self.name,
                encryption_configurations=[
                    aws.s3.VectorsVectorBucketEncryptionConfigurationArgs(sse_type="aws:kms", kms_key_arn=self.key.arn)
                ],
            ),
            opts=data_options(self, args.retain_on_delete),
        )
        self.register_outputs({"vectorBucketArn": self.bucket.vector_bucket_arn})
