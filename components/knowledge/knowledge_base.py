"""Knowledge bases (RAG): one per knowledge source, on S3 Vectors, fed from the documents bucket.

S3 Vectors keeps an idle crawl stage near zero cost (no cluster to run). Each source gets its own
index, role and knowledge base, so an agent is granted exactly the sources it declares; Bedrock
returns citations (source document locations) with every retrieval, which the orchestrator passes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options
from components.base.roles import service_role
from components.knowledge.vector_store import VectorStore
from components.security.encryption import Encryption, KeyDomain
from components.storage.secure_bucket import SecureBucket
from environments.schema import KnowledgeSource

VECTOR_INDEX_ACTIONS = (
    "s3vectors:GetIndex",
    "s3vectors:PutVectors",
    "s3vectors:GetVectors",
    "s3vectors:DeleteVectors",
    "s3vectors:QueryVectors",
)


@dataclass(frozen=True)
class EmbeddingModel:
    """The stage's embedding model (environment file: models.embedding, models.embedding_dimensions)."""

    model_id: str
    dimensions: int

    def arn(self, location: Location) -> str:
        return location.arn("bedrock", f"foundation-model/{self.model_id}", with_account=False)


@dataclass(frozen=True)
class KnowledgeDeletion:
    """What survives when the stack deletes a knowledge base: the tier decides."""

    retain_index: bool  # TierProfile.retain_on_delete: the vector index is `protect`ed and retained
    data_deletion_policy: str  # TierProfile.knowledge_data_deletion_policy: Bedrock keeps (RETAIN) or deletes vectors


@dataclass(frozen=True)
class KnowledgeBaseArgs:
    location: Location
    source: KnowledgeSource
    embedding: EmbeddingModel
    encryption: Encryption  # the data key (documents, vectors) and the agents key (ingestion)
    vectors: VectorStore
    documents: SecureBucket
    on_delete: KnowledgeDeletion


class KnowledgeBase(pulumi.ComponentResource):
    def __init__(self, name: str, args: KnowledgeBaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:knowledge:KnowledgeBase", name, None, opts)
        location, source = args.location, args.source
        self.source = source
        data_key = args.encryption.key(KeyDomain.DATA)
        agents_key = args.encryption.key(KeyDomain.AGENTS)
        self.prefix = f"{source.name}/"
        dimensions = args.embedding.dimensions
        embedding_model_arn = args.embedding.arn(location)
        index_name = physical_name(Kind.S3_VECTOR_INDEX, location.stage, source.name)

        self.index = aws.s3.VectorsIndex(
            f"{name}-index",
            aws.s3.VectorsIndexArgs(
                vector_bucket_name=args.vectors.bucket.vector_bucket_name,
                index_name=index_name,
                data_type="float32",
                dimension=dimensions,
                distance_metric="cosine",
                encryption_configurations=[
                    aws.s3.VectorsIndexEncryptionConfigurationArgs(sse_type="aws:kms", kms_key_arn=data_key.arn)
                ],
                # Bedrock stores chunk text and metadata here; they exceed the filterable-metadata limit.
                metadata_configuration=aws.s3.VectorsIndexMetadataConfigurationArgs(
                    non_filterable_metadata_keys=["AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA"]
                ),
            ),
            opts=data_options(self, args.on_delete.retain_index),
        )
        self.role, policy = service_role(
            name,
            location.stage,
            name_parts=(
                "kb",
                source.name,
            ),
            description=f"Bedrock knowledge base {source.name}: reads its document prefix, writes its index",
            trust=ServiceTrust(
                "bedrock.amazonaws.com",
                location.account_id,
                source_arn=location.arn("bedrock", "knowledge-base/*"),
                source_arn_like=True,
            ),
            statements=(
                Statement(sid="EmbedChunks", actions=("bedrock:InvokeModel",), resources=(embedding_model_arn,)),
                Statement(
                    sid="ListOwnPrefix",
                    actions=("s3:ListBucket",),
                    resources=(args.documents.named_arn,),
                    conditions={"StringLike": {"s3:prefix": [f"{self.prefix}*"]}},
                ),
                Statement(
                    sid="ReadOwnDocuments",
                    actions=("s3:GetObject",),
                    resources=(f"{args.documents.named_arn}/{self.prefix}*",),
                ),
                Statement(
                    sid="UseOwnIndex",
                    actions=VECTOR_INDEX_ACTIONS,
                    resources=(location.arn("s3vectors", f"bucket/{args.vectors.name}/index/{index_name}"),),
                ),
                args.encryption.use(
                    KeyDomain.DATA,
                    "DecryptDocumentsAndVectors",
                    ("kms:Decrypt", "kms:GenerateDataKey"),
                    via=("s3", "s3vectors"),
                ),
                args.encryption.use(
                    KeyDomain.AGENTS,
                    "EncryptIngestionData",
                    ("kms:Decrypt", "kms:GenerateDataKey"),
                    via=("bedrock",),
                ),
            ),
            parent=self,
        )
        self.knowledge_base = aws.bedrock.AgentKnowledgeBase(
            f"{name}-knowledge-base",
            aws.bedrock.AgentKnowledgeBaseArgs(
                name=physical_name(Kind.BEDROCK_KNOWLEDGE_BASE, location.stage, source.name),
                description=source.description,
                role_arn=self.role.arn,
                knowledge_base_configuration=aws.bedrock.AgentKnowledgeBaseKnowledgeBaseConfigurationArgs(
                    type="VECTOR",
                    vector_knowledge_base_configuration=aws.bedrock.AgentKnowledgeBaseKnowledgeBaseConfigurationVectorKnowledgeBaseConfigurationArgs(
                        embedding_model_arn=embedding_model_arn,
                        embedding_model_configuration=aws.bedrock.AgentKnowledgeBaseKnowledgeBaseConfigurationVectorKnowledgeBaseConfigurationEmbeddingModelConfigurationArgs(
                            bedrock_embedding_model_configuration=aws.bedrock.AgentKnowledgeBaseKnowledgeBaseConfigurationVectorKnowledgeBaseConfigurationEmbeddingModelConfigurationBedrockEmbeddingModelConfigurationArgs(
                                dimensions=dimensions, embedding_data_type="FLOAT32"
                            )
                        ),
                    ),
                ),
                storage_configuration=aws.bedrock.AgentKnowledgeBaseStorageConfigurationArgs(
                    type="S3_VECTORS",
                    s3_vectors_configuration=aws.bedrock.AgentKnowledgeBaseStorageConfigurationS3VectorsConfigurationArgs(
                        index_arn=self.index.index_arn
                    ),
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        self.data_source = aws.bedrock.AgentDataSource(
            f"{name}-data-source",
            aws.bedrock.AgentDataSourceArgs(
                name=physical_name(Kind.BEDROCK_DATA_SOURCE, location.stage, source.name, "documents"),
                description=f"Documents under s3://<documents bucket>/{self.prefix}",
                knowledge_base_id=self.knowledge_base.id,
                data_deletion_policy=args.on_delete.data_deletion_policy,
                data_source_configuration=aws.bedrock.AgentDataSourceDataSourceConfigurationArgs(
                    type="S3",
                    s3_configuration=aws.bedrock.AgentDataSourceDataSourceConfigurationS3ConfigurationArgs(
                        bucket_arn=args.documents.bucket.arn, inclusion_prefixes=[self.prefix]
                    ),
                ),
                server_side_encryption_configuration=aws.bedrock.AgentDataSourceServerSideEncryptionConfigurationArgs(
                    kms_key_arn=agents_key.arn
                ),
                vector_ingestion_configuration=aws.bedrock.AgentDataSourceVectorIngestionConfigurationArgs(
                    chunking_configuration=aws.bedrock.AgentDataSourceVectorIngestionConfigurationChunkingConfigurationArgs(
                        chunking_strategy="FIXED_SIZE",
                        fixed_size_chunking_configuration=aws.bedrock.AgentDataSourceVectorIngestionConfigurationChunkingConfigurationFixedSizeChunkingConfigurationArgs(
                            max_tokens=300, overlap_percentage=20
                        ),
                    )
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = self.knowledge_base.arn
        self.register_outputs(
            {"knowledgeBaseId": self.knowledge_base.id, "dataSourceId": self.data_source.data_source_id}
        )
