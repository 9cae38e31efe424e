"""A new action-group tool: `functions/tools/<package>/`, its tests and the events they are tested with.

The rendered tool is checked before anything is written: its manifest loads, the Tool component generates its
OpenAPI schema from the resolver (valid, every data-changing operation confirmed by the user), every Python
file compiles and every event is JSON.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV30SpecValidator
from pydantic import TypeAdapter, ValidationError

from components.tools.manifest import TABLE_NAME_PATTERN, ToolManifest, load_manifest
from components.tools.tool import openapi_schema, table_env_var
from environments.catalog import tool_package
from environments.schema import Slug
from selfservice.changes import FileChange
from selfservice.errors import AnswerError, Problem
from selfservice.project import Project
from selfservice.prompts import Answers
from selfservice.rendering import jinja_environment, render_tree

KIND = "tool"
PARTITION_KEY = "item_id"  # the skeleton's table key (templates/tool/files/.../tool.yaml.j2)
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
# ToolManifest field -> the question that answers it in templates/tool/Pulumi.yaml.
_QUESTIONS = {"name": "name", "description": "description", "mutating": "mutating", "tables": "table"}
_HINTS = {
    "name": "use 2 to 32 lowercase letters, digits and single hyphens, starting with a letter, e.g. {}",
    "description": "say what the tool does in 10 to 200 characters (Bedrock shows it to the model)",
    "mutating": "answer true or false, e.g. {}",
    "table": "use 2 to 31 lowercase letters, digits and hyphens, starting with a letter, e.g. {}",
}
_EXAMPLES = {"name": "order-status", "mutating": "false", "table": "orders"}


def new_tool(project: Project, answers: Answers) -> list[FileChange]:
    """The files of the new tool; AnswerError (nothing written) if the answers can't make a valid one."""
    name, mutating, table = answers["name"], _boolean(answers["mutating"]), answers["table"] or answers["name"]
    description, package = " ".join(answers["description"].split()), tool_package(name)
    problems = _manifest_problems(answers, name, description, mutating, table)
    if not problems:
        problems = _collisions(project, answers, name, package) + _shared_table(project, answers, name, table)
    if problems:
        raise AnswerError(KIND, problems)
    context = {
        "name": name,
        "package": package,
        "description": description,
        "mutating": mutating,
        "table": table,
        "table_env": table_env_var(table),
    }
    files = render_tree(jinja_environment(project.templates_dir), KIND, context, {"package": package})
    existing = [path for path in files if (project.root / path).exists()]
    if existing:
        raise AnswerError(
            KIND,
            [answers.problem("name", f"{', '.join(existing)} exist(s) already", "choose another name")],
        )
    check_rendered_tool(name, files)
    return [FileChange(project.root / path, content, before=None) for path, content in files.items()]


def check_rendered_tool(name: str, files: dict[str, str]) -> dict[str, Any]:
    """Lay the files out in a scratch directory and check them as the platform will; returns the schema."""
    for path, content in files.items():
        if path.endswith(".py"):
            compile(content, path, "exec")
        elif path.endswith(".json"):
            json.loads(content)
    with tempfile.TemporaryDirectory(prefix="new-tool-") as scratch:
        for path, content in files.items():
            target = Path(scratch, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        tools_dir = Path(scratch, "functions", "tools")
        manifest = load_manifest(name, tools_dir)
        with _importable(tools_dir, manifest.package):
            schema = openapi_schema(manifest)  # raises ToolManifestError when a write is not confirmed
    validate(schema, cls=OpenAPIV30SpecValidator)
    return schema


def _boolean(value: str) -> bool | None:
    return _BOOLEANS.get(value.strip().lower())


def _manifest_problems(
    answers: Answers, name: str, description: str, mutating: bool | None, table: str
) -> list[Problem]:
    problems: dict[str, Problem] = {}
    try:
        TypeAdapter(Slug).validate_python(name)  # environment files reference tools by name: a Slug there
    except ValidationError as error:
        problems["name"] = _problem(answers, "name", error.errors()[0]["msg"])
    if mutating is None:
        problems["mutating"] = _problem(answers, "mutating", "is neither true nor false")
    if not answers["table"] and not re.fullmatch(TABLE_NAME_PATTERN, name):
        problems["table"] = _problem(answers, "table", f"defaults to the name, and {name!r} is no valid table name")
    data = {
        "name": name,
        "description": description,
        "mutating": bool(mutating),
        "tables": {table: {"partition_key": PARTITION_KEY, "actions": ["dynamodb:GetItem"]}},
    }
    try:
        ToolManifest.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            key = _QUESTIONS[str(detail["loc"][0])]
            problems.setdefault(key, _problem(answers, key, str(detail["msg"])))
    return list(problems.values())


def _problem(answers: Answers, key: str, message: str) -> Problem:
    example = _EXAMPLES.get(key)
    hint = _HINTS[key].format(answers.example(key, example)) if example else _HINTS[key]
    return answers.refusal(key, message, hint)


def _collisions(project: Project, answers: Answers, name: str, package: str) -> list[Problem]:
    """A tool's package is imported top-level (Lambda archive, schema generation, tests): it must be unique."""
    if name in project.tools() or (project.tools_dir / package).exists():
        return [
            answers.problem(
                "name",
                f"tool {name} exists already (functions/tools/{package}/)",
                "choose another name, or change the existing tool in a pull request",
            )
        ]
    shadowed = _shadowed(project, package)
    if shadowed:
        return [
            answers.problem(
                "name",
                f"its package {package} would clash with {shadowed} (tools are imported as top-level packages)",
                f"choose another name, e.g. {answers.example('name', name + '-tool')}",
            )
        ]
    clashing = sorted(project.shown(p) for p in (project.root / "tests").rglob(f"test_{package}.py"))
    if clashing:
        return [
            answers.problem(
                "name",
                f"its test module test_{package}.py would clash with {clashing[0]} (pytest needs unique names)",
                "choose another name",
            )
        ]
    return []


def _shadowed(project: Project, package: str) -> str | None:
    if package in sys.stdlib_module_names:
        return f"the standard-library module {package}"
    for directory in (project.root, project.root / "functions"):
        for candidate in (directory / package, directory / f"{package}.py"):
            if candidate.exists():
                return project.shown(candidate)
    if importlib.util.find_spec(package) is not None:
        return f"the installed package {package}"
    return None


def _shared_table(project: Project, answers: Answers, name: str, table: str) -> list[Problem]:
    """Tools that name the same table share it in every stage, so they must agree on its partition key."""
    for manifest_path in sorted(project.tools_dir.glob("*/tool.yaml")):
        manifest = project.read_yaml(manifest_path) or {}
        declared = (manifest.get("tables") or {}).get(table)
        if isinstance(declared, dict) and declared.get("partition_key") != PARTITION_KEY:
            return [
                answers.problem(
                    "table",
                    f"table {table} belongs to tool {manifest.get('name')} with partition key "
                    f"{declared.get('partition_key')}, and this tool's key is {PARTITION_KEY}",
                    f"give the tool a table of its own, e.g. {answers.example('table', name)}",
                )
            ]
    return []


@contextlib.contextmanager
def _importable(tools_dir: Path, package: str) -> Iterator[None]:
    """Import the scratch copy of the package (and forget it afterwards: the next render may differ)."""

    def forget() -> None:
        for module in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[module]

    forget()
    sys.path.insert(0, str(tools_dir))
    try:
        yield
    finally:
        sys.path.remove(str(tools_dir))
        forget()
