from __future__ import annotations

import json

from tests.components.harness import Built

SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def _for_bucket(built: Built, type_: str, bucket_name: str):
    bucket = next(b for b in built.of_type("aws:s3/bucket:Bucket") if b.inputs["bucket"] == bucket_name)
    return next(r for r in built.of_type(type_) if r.inputs.get("bucket") == bucket.outputs["id"])


def test_the_access_log_bucket_uses_sse_s3_because_s3_logging_requires_it(crawl: Built) -> None:
    name = "ap-crawl-access-logs-123456789012-us-east-1"
    rule = _for_bucket(crawl, SSE, name).inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    statements = json.loads(_for_bucket(crawl, "aws:s3/bucketPolicy:BucketPolicy", name).inputs["policy"])["Statement"]
    delivery = next(s for s in statements if s["Effect"] == "Allow")
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert delivery["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
