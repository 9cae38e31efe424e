"""KNOWLEDGE_SOURCES and DOCUMENTS_BUCKET, validated once per container."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from shared.config import ConfigError, env_json, env_str, stage

_BEDROCK_ID = re.compile(r"^[0-9a-zA-Z]{10}$")


@dataclass(frozen=True)
class KnowledgeSource:
    name: str
    knowledge_base_id: str
    data_source_id: str
    prefix: str  # "<name>/": the folder of the documents bucket this data source ingests


@dataclass(frozen=True)
class KbSyncConfig:
    stage: str
    documents_bucket: str
    sources: dict[str, KnowledgeSource]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KbSyncConfig:
        return cls(
            stage=stage(environ),
            documents_bucket=env_str("DOCUMENTS_BUCKET", environ=environ),
            sources=parse_sources(env_json("KNOWLEDGE_SOURCES", environ=environ)),
        )

    def source_for_key(self, key: str) -> KnowledgeSource | None:
        """The source whose prefix is the longest match for the object key, if any."""
        matches = [s for s in self.sources.values() if key.startswith(s.prefix)]
        return max(matches, key=lambda s: len(s.prefix)) if matches else None


def parse_sources(document: object) -> dict[str, KnowledgeSource]:
    where = "environment variable KNOWLEDGE_SOURCES"
    if not isinstance(document, dict) or not document:
        raise ConfigError(f"{where} must be a non-empty JSON object of source name -> settings")
    sources = {}
    for name, settings in document.items():
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}: {name!r} must be an object with knowledgeBaseId, dataSourceId, prefix")
        kb_id, ds_id, prefix = settings.get("knowledgeBaseId"), settings.get("dataSourceId"), settings.get("prefix")
        for field, value in (("knowledgeBaseId", kb_id), ("dataSourceId", ds_id)):
            if not isinstance(value, str) or not _BEDROCK_ID.match(value):
                raise ConfigError(f"{where}: {name}.{field}={value!r} is not a 10-character Bedrock id")
        if not isinstance(prefix, str) or not prefix.endswith("/") or prefix.startswith("/"):
            raise ConfigError(f"{where}: {name}.prefix={prefix!r} must look like '{name}/'")
        sources[name] = KnowledgeSource(name, str(kb_id), str(ds_id), prefix)
    return sources
