"""The tool template: new tools pass their own generated tests and deploy compliantly on a stage."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.selfservice.harness import AGENT, TOOL, assert_compliant, preview, run, selfservice, stock
from tests.templates.pulumi_new import pulumi_new

pytestmark = pytest.mark.slow

MUTATING_TOOL = {
    "NAME": "order-create",
    "DESCRIPTION": "Creates an order for the user once they have confirmed its name.",
    "MUTATING": "true",
    "TABLE": "orders",
}


def test_new_tools_pass_their_generated_tests_and_join_an_agent_that_the_policy_pack_accepts(project):
    # GIVEN a read-only and a mutating tool, made by `make new-tool`'s renderer in a copy of the platform
    for answers in (TOOL, MUTATING_TOOL):
        made = selfservice(project, "tool", answers)
        assert made.returncode == 0, made.stderr

    # WHEN their generated tests run, with the repository's schema checks that cover every tool of the catalog
    root = project.root
    tests = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/functions/tools/order_status",
            "tests/functions/tools/order_create",
            "tests/functions/tools/test_tool_openapi.py",
        ],
        root,
        PYTHONPATH=os.pathsep.join([str(root), str(root / "functions"), str(root / "functions" / "tools")]),
    )

    # THEN they pass: the handlers answer in Bedrock's envelope, the schemas are valid and writes are confirmed
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", tests.stdout).group(1))
    assert passed >= 25, tests.stdout[-500:]
    assert "order-create" in run([sys.executable, "-m", "pytest", "--co", "-q", "tests/functions/tools"], root).stdout

    # WHEN an agent of the walk stage uses both tools
    original = project.stage_file("walk").read_text()
    agent = {**AGENT, "NAME": "order-helper", "TOOLS": "order-status,order-create"}
    made = selfservice(project, "agent", agent)
    assert made.returncode == 0, made.stderr

    # THEN the stage deploys each tool (function, role, its table) and passes the policy pack
    result = preview(project.root, "walk")
    resources = {tuple(r) for r in result.get("resources", [])}
    assert ("agent-platform:tools:Tool", "walk-order-status-tool") in resources
    assert ("agent-platform:tools:Tool", "walk-order-create-tool") in resources
    assert ("agent-platform:storage:DataTable", "walk-orders-table") in resources
    assert ("agent-platform:storage:DataTable", "walk-order-status-table") in resources
    assert_compliant(result, stock(project, "walk", original))


def test_pulumi_new_tool_checks_the_answers_and_prints_the_make_command(project, tmp_path: Path):
    # GIVEN `pulumi new templates/tool` answered for a mutating tool
    config = {"name": "order-create", "description": MUTATING_TOOL["DESCRIPTION"], "mutating": "true"}
    checker = pulumi_new(project.template_dir("tool"), tmp_path / "order-create", stack="dev", config=config)

    # WHEN it is previewed
    result = preview(project.root, "dev", project_dir=checker)

    # THEN it deploys nothing, lists what `make new-tool` writes and the command that writes it
    assert "error" not in result, result.get("error")
    assert result["resources"] == []
    assert "functions/tools/order_create/api.py" in result["outputs"]["files"]
    assert "tests/events/order_create_create_item.json" in result["outputs"]["files"]
    assert result["outputs"]["submit"] == (
        "make new-tool NAME=order-create DESCRIPTION='Creates an order for the user once they have confirmed its "
        "name.' MUTATING=true"
    )
    assert not (project.tools_dir / "order_create").exists()
