from __future__ import annotations

import pytest

from tests.components.harness import Built

SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def _for_bucket(built: Built, type_: str, bucket_name: str):
    bucket = next(b for b in built.of_type("aws:s3/bucket:Bucket") if b.inputs["bucket"] == bucket_name)
    return next(r for r in built.of_type(type_) if r.inputs.get("bucket") == bucket.outputs["id"])


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
