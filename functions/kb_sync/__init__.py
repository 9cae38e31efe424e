"""kb-sync: starts a Bedrock knowledge-base ingestion job when documents change or on schedule."""
