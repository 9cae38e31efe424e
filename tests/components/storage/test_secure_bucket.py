from __future__ import annotations

import json

from tests.components.harness import Built

SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def _for_bucket(built: Built, type_: str, bucket_name: str):
    bucket = next(b for b in built.of_type("aws:s3/bucket:Bucket") if b.inputs["bucket"] == bucket_name)
    return next(r for r in built.of_type(type_) if r.inputs.get("bucket") == bucket.outputs["id"])


def test_documents_bucket_is_kms_encrypted_with_bucket_key_private_versioned_tls_only_and_logged(crawl: Built) -> None:
    name = "ap-crawl-documents-123456789012-us-east-1"
    rule = _for_bucket(crawl, SSE, name).inputs["rules"][0]
    data_key = crawl.one("aws:kms/key:Key", "data-key")
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": data_key.outputs["arn"],
    }
    assert rule["bucketKeyEnabled"] is True
    block = _for_bucket(crawl, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name).inputs
    assert all(
        block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    versioning = _for_bucket(crawl, "aws:s3/bucketVersioning:BucketVersioning", name).inputs
    assert versioning["versioningConfiguration"]["status"] == "Enabled"
    [deny] = json.loads(_for_bucket(crawl, "aws:s3/bucketPolicy:BucketPolicy", name).inputs["policy"])["Statement"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    logging = _for_bucket(crawl, "aws:s3/bucketLogging:BucketLogging", name).inputs
    assert logging["targetBucket"] == "ap-crawl-access-logs-123456789012-us-east-1"
    assert _for_bucket(crawl, "aws:s3/bucketNotification:BucketNotification", name).inputs["eventbridge"] is True
