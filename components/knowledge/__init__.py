"""Knowledge layer (RAG): the stage's S3 vector store (VectorStore), one Bedrock knowledge base per source
(KnowledgeBase), and the re-ingestion that keeps them fresh (KnowledgeSync)."""
