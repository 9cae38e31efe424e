"""Action-group tools: a Lambda per tool, granted exactly what its manifest declares.

The OpenAPI schema Bedrock sees is generated from the handler itself (Powertools
BedrockAgentResolver), so the schema can never drift from the code. A mutating tool whose write
operations don't require user confirmation is refused here, before anything is deployed.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from components.base.iam import Statement
from components.base.packaging import TOOLS_DIR, functions_importable
from components.compute.lambda_function import (
    FunctionBaseline,
    FunctionCode,
    FunctionSize,
    LambdaFunction,
    LambdaFunctionArgs,
)
from components.security.encryption import Encryption, KeyDomain
from components.storage.data_table import DataTable
from components.tools.manifest import ToolManifest, ToolManifestError

READ_METHODS = {"get", "head", "options"}


def openapi_schema(manifest: ToolManifest) -> dict[str, Any]:
    """The tool's OpenAPI 3.0 document, generated from its resolver's routes."""
    with functions_importable():
        app = importlib.import_module(f"{manifest.package}.api").app
        schema: dict[str, Any] = json.loads(
            app.get_openapi_json_schema(title=manifest.name, version="1.0.0", description=manifest.description)
        )
    _require_confirmation_for_writes(manifest, schema)
    return schema


def _require_confirmation_for_writes(manifest: ToolManifest, schema: dict[str, Any]) -> None:
    """The seed's confirmation mechanism: a mutating operation runs only after the user says yes."""
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method in READ_METHODS:
                continue
            if not manifest.mutating:
                raise ToolManifestError(
                    f"tool {manifest.name}: {method.upper()} {path} changes data but the manifest says mutating: false"
                )
            if operation.get("x-requireConfirmation") != "ENABLED":
                raise ToolManifestError(
                    f"tool {manifest.name}: {method.upper()} {path} must set "
                    "openapi_extensions={'x-requireConfirmation': 'ENABLED'} so Bedrock asks the user first"
                )


def table_env_var(logical_name: str) -> str:
    return f"{logical_name.upper().replace('-', '_')}_TABLE_NAME"


def _table_statements(
    manifest: ToolManifest, tables: Mapping[str, DataTable], encryption: Encryption
) -> list[Statement]:
    statements = []
    for logical, needs in sorted(manifest.tables.items()):
        sid = "".join(part.capitalize() for part in logical.split("-"))
        statements.append(Statement(sid=f"Table{sid}", actions=needs.actions, resources=(tables[logical].named_arn,)))
    if manifest.tables:
        writes = ("kms:Encrypt", "kms:GenerateDataKey") if manifest.writes else ()
        key_actions = ("kms:Decrypt", "kms:DescribeKey", *writes)
        statements.append(encryption.use(KeyDomain.DATA, "UseTableKey", key_actions, via=("dynamodb",)))
    return statements


@dataclass(frozen=True)
class ToolArgs:
    baseline: FunctionBaseline
    manifest: ToolManifest
    tables: Mapping[str, DataTable]  # the stage's tool tables by logical name
    size: FunctionSize  # the environment file's sizing: lambda_memory_mb, tool_timeout_seconds


class Tool(pulumi.ComponentResource):
    def __init__(self, name: str, args: ToolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:tools:Tool", name, None, opts)
        manifest = args.manifest
        self.manifest = manifest
        self.schema = openapi_schema(manifest)
        self.function = LambdaFunction(
            f"{name}-function",
            LambdaFunctionArgs(
                baseline=args.baseline,
                name_parts=("tool", manifest.name),
                code=FunctionCode(TOOLS_DIR / manifest.package, service="tools"),
                description=manifest.description,
                environment={table_env_var(t): args.tables[t].table.name for t in sorted(manifest.tables)},
                statements=_table_statements(manifest, args.tables, args.baseline.encryption),
                size=args.size,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"functionArn": self.function.arn})
