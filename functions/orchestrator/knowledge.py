"""Crawl's knowledge: bedrock-agent-runtime Retrieve on the agent's knowledge bases before the harness runs.

The harness is reached with the passages in the user message (bounded, `agent.format_context`) and the
answer carries their locations as citations (the classic engine's citation shape), the same thing the
walk/run workflow's Retrieve states do before the invoke step. Knowledge is an aid, not a dependency:
a knowledge base that fails is logged (by AWS error code) and the harness answers without it, as the
workflow's Retrieve Catch does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from shared.aws import describe_error

PASSAGES_PER_KNOWLEDGE_BASE = 5  # as the workflow's RETRIEVED_PASSAGES
MAX_QUERY_CHARS = 1_000  # Retrieve takes up to 20,000; a question longer than this adds noise, not recall


class KnowledgeRetriever:
    def __init__(
        self, client: Callable[[], Any], knowledge_base_ids: Sequence[str], logger: logging.Logger | Any
    ) -> None:
        self._client = client
        self._knowledge_base_ids = tuple(knowledge_base_ids)
        self._logger = logger

    def retrieve(self, query: str) -> list[dict[str, Any]]:
        """`retrievalResults` entries of every knowledge base (Retrieve's shape), best score first."""
        results: list[dict[str, Any]] = []
        for knowledge_base_id in self._knowledge_base_ids:
            try:
                response = self._client().retrieve(
                    knowledgeBaseId=knowledge_base_id,
                    retrievalQuery={"text": query[:MAX_QUERY_CHARS]},
                    retrievalConfiguration={
                        "vectorSearchConfiguration": {"numberOfResults": PASSAGES_PER_KNOWLEDGE_BASE}
                    },
                )
            except (ClientError, BotoCoreError) as error:
                self._logger.warning(
                    "knowledge base unavailable; answering without it",
                    extra={"knowledge_base_id": knowledge_base_id, "error": describe_error(error)},
                )
                continue
            results.extend(r for r in response.get("retrievalResults", ()) if isinstance(r, dict))
        return sorted(results, key=lambda r: -float(r.get("score") or 0.0))
