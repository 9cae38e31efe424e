"""Each templates/<kind>/ is a `pulumi new` template, and `make new-<kind>` asks the same questions."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from selfservice import KINDS
from tests.selfservice.harness import REPO, run

TEMPLATES = REPO / "templates"


def _pins(path):
    return {
        re.split(r"[=<>\[]", line)[0].lower(): line.split("#")[0].strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def test_there_is_a_template_for_each_kind():
    assert sorted(p.name for p in TEMPLATES.iterdir() if (p / "Pulumi.yaml").is_file()) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_project_file_is_what_pulumi_new_expects(kind):
    # GIVEN the template's project file
    project = yaml.safe_load((TEMPLATES / kind / "Pulumi.yaml").read_text())

    # THEN name and description are substituted by `pulumi new`, the runtime is Python with its own venv
    assert (project["name"], project["description"]) == ("${PROJECT}", "${DESCRIPTION}")
    assert project["runtime"]["name"] == "python"
    assert project["runtime"]["options"]["virtualenv"] == "venv"
    # AND the template section describes itself and each question, with only the keys Pulumi knows
    template = project["template"]
    assert template["description"] and template["displayName"]
    for key, spec in template["config"].items():
        assert set(spec) <= {"description", "default", "secret"}, key
        assert spec["description"].strip(), key
        assert spec.get("default") is None or isinstance(spec["default"], str), f"{key}: defaults are strings"
    # AND the program and its dependencies are there
    assert (TEMPLATES / kind / "__main__.py").is_file()
    assert (TEMPLATES / kind / "requirements.txt").is_file()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_sandbox_requirements_are_the_platform_pins(kind):
    # GIVEN what the platform runs with and what the renderer needs
    wanted = _pins(REPO / "requirements.txt")
    development = _pins(REPO / "requirements-dev.txt")
    wanted |= {name: development[name] for name in ("jinja2", "openapi-spec-validator")}

    # THEN the template's project installs exactly those versions
    assert _pins(TEMPLATES / kind / "requirements.txt") == wanted


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_passes_command_line_answers_shell_quoted_and_leaves_its_own_knobs_out():
    # WHEN make only prints what `make new-agent` would run (-n: nothing runs, nothing is written)
    result = run(
        [
            "make",
            "-n",
            "-o",
            ".venv/bin/.installed",
            "new-agent",
            "NAME=billing-helper",
            'INSTRUCTION=it\'s "ok"',
            "PYTHON=python3",
        ],
        REPO,
    )
    assert result.returncode == 0, result.stderr

    # THEN every answer is one shell word, and PYTHON (a Makefile knob) is not an answer
    command = result.stdout.strip().splitlines()[-1]
    assert command.startswith(".venv/bin/python -m selfservice agent ")
    assert "--set 'NAME=billing-helper'" in command
    assert "--set 'INSTRUCTION=it'\\''s \"ok\"'" in command
    assert "PYTHON" not in command
