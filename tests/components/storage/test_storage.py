from __future__ import annotations

import json

import pytest

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


def test_the_access_log_bucket_uses_sse_s3_because_s3_logging_requires_it(crawl: Built) -> None:
    name = "ap-crawl-access-logs-123456789012-us-east-1"
    rule = _for_bucket(crawl, SSE, name).inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    statements = json.loads(_for_bucket(crawl, "aws:s3/bucketPolicy:BucketPolicy", name).inputs["policy"])["Statement"]
    delivery = next(s for s in statements if s["Effect"] == "Allow")
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert delivery["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


@pytest.mark.parametrize(
    ("stage", "pitr", "protected"), [("crawl", False, False), ("walk", True, False), ("run", True, True)]
)
def test_tables_follow_the_tier(stages: dict[str, Built], stage: str, pitr: bool, protected: bool) -> None:
    built = stages[stage]
    data_key = built.one("aws:kms/key:Key", "data-key")
    for table in built.of_type("aws:dynamodb/table:Table"):
        assert table.inputs["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": data_key.outputs["arn"]}
        assert table.inputs["pointInTimeRecovery"]["enabled"] is pitr
        assert table.inputs["deletionProtectionEnabled"] is protected
        assert table.protect is protected and table.retain_on_delete is protected
        assert table.inputs["billingMode"] == "PAY_PER_REQUEST"


def test_the_session_table_expires_turns(crawl: Built) -> None:
    sessions = crawl.one("aws:dynamodb/table:Table", "sessions")
    assert (sessions.inputs["hashKey"], sessions.inputs["rangeKey"]) == ("session_id", "turn")
    assert sessions.inputs["ttl"] == {"attributeName": "expires_at", "enabled": True}
