"""The manifest every tool ships beside its handler: `functions/tools/<package>/tool.yaml`.

It declares what the tool needs, and nothing more is granted: the Tool component turns each table
entry into a DynamoDB table of the stage (CMK, PITR per tier) and an IAM statement with exactly the
listed actions on exactly that table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from environments.catalog import TOOLS_DIR, tool_package
from environments.schema import Slug

# Item-level DynamoDB actions a tool may ask for; table-management actions are never granted.
DYNAMODB_TOOL_ACTIONS = frozenset(
    {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
    }
)
TABLE_NAME_PATTERN = r"^[a-z][a-z0-9-]{1,30}$"  # a table's logical name, part of its physical name
DYNAMODB_WRITE_ACTIONS = frozenset({"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"})


class ToolTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    partition_key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    actions: Annotated[tuple[str, ...], Field(min_length=1)]

    @field_validator("actions")
    @classmethod
    def _known_actions(cls, actions: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(actions) - DYNAMODB_TOOL_ACTIONS)
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} not allowed for tools; choose from {', '.join(sorted(DYNAMODB_TOOL_ACTIONS))}"
            )
        return actions


class ToolCredentials(BaseModel):
    """A secret the tool fetches from AgentCore Identity (an API-key credential provider), never from env."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # GetResourceApiKey resourceCredentialProviderName: [a-zA-Z0-9\-_]+, 1..128.
    provider: Annotated[str, Field(pattern=r"^[a-zA-Z0-9_-]{1,128}$")]
    kind: Literal["api_key"]


class ToolManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Slug  # environment files reference tools by name
    # Bedrock shows the action group description to the model: say what the tool is for.
    description: Annotated[str, Field(min_length=10, max_length=200)]
    # Mutating tools change data: every non-GET operation must require user confirmation.
    mutating: bool
    tables: dict[Annotated[str, Field(pattern=TABLE_NAME_PATTERN)], ToolTable] = {}
    credentials: ToolCredentials | None = None

    @property
    def package(self) -> str:
        return tool_package(self.name)

    @property
    def writes(self) -> bool:
        return any(DYNAMODB_WRITE_ACTIONS & set(t.actions) for t in self.tables.values())


class ToolManifestError(ValueError):
    pass


def load_manifest(tool_name: str, tools_dir: Path = TOOLS_DIR) -> ToolManifest:
    """Read and validate a tool's manifest; a bad manifest names the file and the field."""
    path = tools_dir / tool_package(tool_name) / "tool.yaml"
    try:
        manifest = ToolManifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ToolManifestError(f"{path}: missing; every tool needs a tool.yaml manifest") from None
    except (yaml.YAMLError, ValidationError) as error:
        raise ToolManifestError(f"{path}: {error}") from None
    if manifest.name != tool_name:
        raise ToolManifestError(f"{path}: name {manifest.name!r} does not match its directory ({tool_name!r})")
    if manifest.writes and not manifest.mutating:
        raise ToolManifestError(f"{path}: the tool writes data, so `mutating: true` is required")
    return manifest
