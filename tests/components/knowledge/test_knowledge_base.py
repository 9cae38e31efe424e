from __future__ import annotations

from environments.models import DEFAULTS, ModelUse
from tests.components.harness import Built


def test_each_source_gets_an_encrypted_s3_vectors_index_and_a_knowledge_base(walk: Built) -> None:
    data_key = walk.one("aws:kms/key:Key", "data-key").outputs["arn"]
    vectors = walk.one("aws:s3/vectorsVectorBucket:VectorsVectorBucket")
    assert vectors.inputs["encryptionConfigurations"] == [{"sseType": "aws:kms", "kmsKeyArn": data_key}]
    indexes = walk.of_type("aws:s3/vectorsIndex:VectorsIndex")
    assert sorted(i.inputs["indexName"] for i in indexes) == ["ap-walk-hr-policies", "ap-walk-support-handbook"]
    for index in indexes:
        assert index.inputs["dimension"] == 1024 and index.inputs["distanceMetric"] == "cosine"
        assert index.inputs["encryptionConfigurations"] == [{"sseType": "aws:kms", "kmsKeyArn": data_key}]
    kb = walk.one("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", "support-handbook")
    index = walk.one("aws:s3/vectorsIndex:VectorsIndex", "support-handbook")
    assert kb.inputs["storageConfiguration"] == {
        "type": "S3_VECTORS",
        "s3VectorsConfiguration": {"indexArn": index.outputs["indexArn"]},
    }


def test_the_data_source_reads_its_prefix_and_encrypts_with_the_agents_key(walk: Built) -> None:
    source = walk.one("aws:bedrock/agentDataSource:AgentDataSource", "hr-policies")
    documents = next(b for b in walk.of_type("aws:s3/bucket:Bucket") if "documents" in b.inputs["bucket"])
    s3 = source.inputs["dataSourceConfiguration"]["s3Configuration"]
    assert s3 == {"bucketArn": documents.outputs["arn"], "inclusionPrefixes": ["hr-policies/"]}
    assert (
        source.inputs["serverSideEncryptionConfiguration"]["kmsKeyArn"]
        == walk.one("aws:kms/key:Key", "agents-key").outputs["arn"]
    )


def test_the_knowledge_base_role_reads_only_its_prefix_and_writes_only_its_index(walk: Built) -> None:
    kb = walk.one("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", "hr-policies")
    policy = next(p for p in walk.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == kb.parent)
    statements = walk.statements(policy)
    assert statements["ListOwnPrefix"]["Condition"] == {"StringLike": {"s3:prefix": ["hr-policies/*"]}}
    assert statements["ReadOwnDocuments"]["Resource"].endswith("/hr-policies/*")
    assert (
        statements["UseOwnIndex"]["Resource"]
        == walk.one("aws:s3/vectorsIndex:VectorsIndex", "hr-policies").outputs["indexArn"]
    )
    assert (
        statements["EmbedChunks"]["Resource"]
        == f"arn:aws:bedrock:us-east-1::foundation-model/{DEFAULTS[ModelUse.EMBEDDING].model_id}"
    )
