"""Every tool's OpenAPI schema (what Bedrock sees) is valid, described, and confirms mutations."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV30SpecValidator

from components.tools.manifest import load_manifest
from environments.catalog import TOOLS_DIR, available_tools, tool_package

REPO_ROOT = Path(__file__).resolve().parents[3]
TOOLS = sorted(available_tools())
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


def test_the_example_tools_are_in_the_catalog():
    # GIVEN the tools directory, WHEN the catalog scans it, THEN both example tools are deployable
    assert {"ticket-lookup", "ticket-create"} <= set(TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
def test_schema_is_valid_openapi_3_0_3(tool):
    # GIVEN the tool's resolver
    app = importlib.import_module(f"{tool_package(tool)}.api").app

    # WHEN its schema is generated the way the Tool component does
    schema = json.loads(app.get_openapi_json_schema(title=tool, version="1.0.0"))

    # THEN it is a valid OpenAPI 3.0.3 document
    assert schema["openapi"] == "3.0.3"
    validate(schema, cls=OpenAPIV30SpecValidator)


@pytest.mark.parametrize("tool", TOOLS)
def test_every_operation_is_described_and_mutations_require_confirmation(tool):
    # GIVEN the manifest and the generated schema
    manifest = load_manifest(tool)
    schema = json.loads(importlib.import_module(f"{tool_package(tool)}.api").app.get_openapi_json_schema())

    # WHEN each operation is inspected
    operations = [
        (m, path, op) for path, item in schema["paths"].items() for m, op in item.items() if m in HTTP_METHODS
    ]

    # THEN the model can tell what each does, and mutating tools ask the user before any change
    assert operations
    for method, path, operation in operations:
        assert operation.get("description", "").strip(), f"{tool}: {method.upper()} {path} has no description"
        if manifest.mutating and method != "get":
            assert operation.get("x-requireConfirmation") == "ENABLED", f"{tool}: {method.upper()} {path}"


@pytest.mark.parametrize("tool", TOOLS)
def test_the_api_module_imports_without_aws_credentials_or_env(tool):
    # GIVEN a bare environment, as when the Pulumi program generates schemas
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "functions"), str(TOOLS_DIR)]),
    }
    code = f"import json, {tool_package(tool)}.api as api; json.loads(api.app.get_openapi_json_schema())"

    # WHEN the tool's api module is imported and the schema generated
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)

    # THEN nothing needed AWS or the function's environment
    assert result.returncode == 0, result.stderr
