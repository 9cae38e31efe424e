"""make new-tool: a Powertools action-group skeleton, validated as the platform will deploy it, or a refusal."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from components.tools.manifest import ToolManifest
from selfservice import AnswerError
from selfservice.cli import main
from selfservice.tool import check_rendered_tool, new_tool
from tests.selfservice.harness import REPO, TOOL, answers, snapshot

LONGEST = "abcdefghij-klmnopqrst-uvwxyz-012"  # 32 characters: the longest name a tool may have


def rendered(project, **given):
    return {project.shown(c.path): c.content for c in new_tool(project, answers("tool", project, {**TOOL, **given}))}


def test_a_read_only_tool_has_a_get_route_and_only_read_access(project):
    # GIVEN the default answers (read-only, its own table)
    files = rendered(project)

    # THEN the package, its tests and its event are there
    assert sorted(files) == [
        "functions/tools/order_status/__init__.py",
        "functions/tools/order_status/api.py",
        "functions/tools/order_status/handler.py",
        "functions/tools/order_status/models.py",
        "functions/tools/order_status/repository.py",
        "functions/tools/order_status/tool.yaml",
        "tests/events/order_status_get_item.json",
        "tests/functions/tools/order_status/test_order_status.py",
    ]
    # AND the manifest grants reading its own table, nothing more
    manifest = ToolManifest.model_validate(yaml.safe_load(files["functions/tools/order_status/tool.yaml"]))
    assert (manifest.name, manifest.mutating) == ("order-status", False)
    assert {t: v.actions for t, v in manifest.tables.items()} == {"order-status": ("dynamodb:GetItem",)}
    # AND the event is a Bedrock action-group event for it
    event = yaml.safe_load(files["tests/events/order_status_get_item.json"])
    assert (event["messageVersion"], event["actionGroup"], event["httpMethod"]) == ("1.0", "order-status", "GET")


def test_a_mutating_tool_asks_the_user_to_confirm_every_write(project):
    # GIVEN a mutating tool on a shared table name
    files = rendered(project, MUTATING="true", TABLE="orders")

    # WHEN it is checked as the Tool component will check it
    schema = check_rendered_tool("order-status", files)

    # THEN its write needs confirmation, its read does not, and the manifest says mutating
    assert schema["paths"]["/items"]["post"]["x-requireConfirmation"] == "ENABLED"
    assert "x-requireConfirmation" not in schema["paths"]["/items/{item_id}"]["get"]
    manifest = yaml.safe_load(files["functions/tools/order_status/tool.yaml"])
    assert manifest["mutating"] is True
    assert manifest["tables"] == {
        "orders": {"partition_key": "item_id", "actions": ["dynamodb:PutItem", "dynamodb:GetItem"]}
    }
    assert "tests/events/order_status_create_item.json" in files


@pytest.mark.parametrize("mutating", ["false", "true"])
def test_the_generated_code_passes_the_repository_lint_even_for_the_longest_names(project, mutating):
    # GIVEN a tool whose name and table are as long as allowed
    files = rendered(project, NAME=LONGEST, TABLE=LONGEST[:31], MUTATING=mutating)
    for path, content in files.items():
        target = project.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    python = [path for path in files if path.endswith(".py")]

    # WHEN ruff checks it with the repository's configuration
    ruff = [sys.executable, "-m", "ruff"]
    checks = [[*ruff, "check", *python], [*ruff, "format", "--check", *python]]
    results = [subprocess.run(c, cwd=project.root, capture_output=True, text=True, check=False) for c in checks]

    # THEN it is clean: teams start from code that passes `make lint`
    assert [r.returncode for r in results] == [0, 0], "\n".join(r.stdout + r.stderr for r in results)


REFUSALS = [
    ({"NAME": "Order_Status"}, "NAME", "string should match pattern"),
    ({"NAME": "ticket-lookup"}, "NAME", "tool ticket-lookup exists already (functions/tools/ticket_lookup/)"),
    ({"NAME": "json"}, "NAME", "its package json would clash with the standard-library module json"),
    ({"NAME": "shared"}, "NAME", "its package shared would clash with functions/shared"),
    ({"NAME": "engine"}, "NAME", "its package engine would clash with engine"),
    ({"NAME": "pydantic"}, "NAME", "would clash with the installed package pydantic"),
    ({"NAME": "shared-config"}, "NAME", "test_shared_config.py would clash with tests/functions/shared/"),
    ({"NAME": LONGEST}, "TABLE", "defaults to the name"),
    ({"MUTATING": "maybe"}, "MUTATING", "is neither true nor false"),
    ({"TABLE": "tickets"}, "TABLE", "table tickets belongs to tool ticket-"),
    ({"TABLE": "Orders"}, "TABLE", "string should match pattern"),
    ({"DESCRIPTION": "Orders."}, "DESCRIPTION", "at least 10 characters"),
]


@pytest.mark.parametrize(("change", "variable", "message"), REFUSALS, ids=[r[2][:40] for r in REFUSALS])
def test_an_invalid_answer_is_refused_with_its_fix_and_nothing_is_written(project, capsys, change, variable, message):
    # GIVEN one wrong answer
    before = snapshot(project.root)
    given = {**TOOL, **change}

    # WHEN `make new-tool` runs with it
    code = main(["tool", *[arg for k, v in given.items() for arg in ("--set", f"{k}={v}")]], project)

    # THEN it exits 2 naming the variable and a fix, and writes nothing
    lines = capsys.readouterr().err.splitlines()
    assert code == 2
    index = next(i for i, line in enumerate(lines) if line.startswith((f"  {variable}=", f"  {variable}:")))
    assert message in lines[index]
    assert lines[index + 1].startswith("    fix: ")
    assert snapshot(project.root) == before


def test_nothing_of_a_refused_tool_stays_importable(project):
    # GIVEN a valid tool rendered once (its scratch copy was imported to generate the schema)
    rendered(project)

    # THEN no module of it lingers in this process
    assert not [m for m in sys.modules if m == "order_status" or m.startswith("order_status.")]
    assert not [p for p in sys.path if "new-tool-" in p]
    # AND the repository has no such tool
    assert not (REPO / "functions" / "tools" / "order_status").exists()


def test_a_rendering_that_breaks_the_confirmation_rule_is_refused_before_writing(project):
    # GIVEN a (broken) template whose POST route lost its confirmation
    api = project.templates_dir / "tool" / "files" / "functions" / "tools" / "__package__" / "api.py.j2"
    api.write_text(api.read_text().replace('openapi_extensions={"x-requireConfirmation": "ENABLED"},', ""))
    before = snapshot(project.root)

    # WHEN a mutating tool is rendered, THEN the Tool component's rule stops it
    with pytest.raises(Exception, match="POST /items must set openapi_extensions"):
        new_tool(project, answers("tool", project, {**TOOL, "MUTATING": "true"}))
    assert snapshot(project.root) == before


def test_an_answer_error_lists_every_problem(project):
    with pytest.raises(AnswerError) as refused:
        new_tool(project, answers("tool", project, {"NAME": "Bad", "DESCRIPTION": "short", "MUTATING": "x"}))
    assert refused.value.answers == ["name", "mutating", "table", "description"]
