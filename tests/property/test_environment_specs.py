"""Environment files: every spec a team can write is accepted, every single mistake is refused by name.

Refusals are checked twice: by the schema (`environments.parse_environment`) and by the real program
through the offline engine's CLI (`python -m engine preview`), which must exit 2 with the message before
registering a single resource.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine import cli
from environments import EnvironmentFileError, parse_environment
from environments.tiers import profile
from tests.property.budget import BUDGET, expensive
from tests.property.stages import REPO, Workbench, spying
from tests.property.strategies import Mistake, environments, mistakes

STACK_TYPE = "pulumi:pulumi:Stack"


@settings(max_examples=BUDGET.schema)
@given(spec=environments())
def test_every_generated_spec_is_a_valid_environment(spec: dict[str, Any]) -> None:
    """The strategies only generate what the schema accepts, and the YAML file round-trips to the same spec."""
    # GIVEN a generated spec, written as a team would write it
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    # WHEN the file is read back and validated
    data = yaml.safe_load(text)
    environment = parse_environment(data, "generated.yaml")
    # THEN nothing was lost on the way and the tier's rules hold
    assert data == spec
    rules = profile(environment.tier)
    assert 1 <= len(environment.agents) <= rules.max_agents
    assert environment.knowledge_sources or not rules.requires_knowledge


def _mistake(spec: dict[str, Any], kind: str, field: str) -> Mistake:
    return Mistake(kind, spec, field)


def _crawl(**changes: Any) -> dict[str, Any]:
    """environments/crawl.yaml with top-level changes (for named edge cases)."""
    spec = yaml.safe_load((REPO / "environments" / "crawl.yaml").read_text())
    spec.update(changes)
    return spec


def _agent(spec: dict[str, Any], **changes: Any) -> dict[str, Any]:
    spec["agents"][0].update(changes)
    return spec


EDGE_CASES = (
    _mistake(_agent(_crawl(), name="a" * 33), "bad name", "agents[0].name"),
    _mistake(_agent(_crawl(), tools=["ticket-lookup", "ticket-delete"]), "unknown tool", "agents[0].tools"),
    _mistake(_crawl(sizing={"lambda_memory_mb": "512 MB"}), "wrong type", "sizing.lambda_memory_mb"),
    _mistake(
        _crawl(sizing={"orchestrator_timeout_seconds": 29}), "out of bounds", "sizing.orchestrator_timeout_seconds"
    ),
    _mistake(_agent(_crawl(), colour="blue"), "unknown key", "agents[0].colour"),
)


def _refusal(mistake: Mistake) -> EnvironmentFileError:
    with pytest.raises(EnvironmentFileError) as refused:
        parse_environment(mistake.spec, "environments/team.yaml")
    return refused.value


def _with_edge_cases(test: Any) -> Any:
    for case in reversed(EDGE_CASES):
        test = example(mistake=case)(test)
    return test


@settings(max_examples=BUDGET.schema)
@given(mistake=mistakes())
@_with_edge_cases
def test_a_single_mistake_is_refused_with_a_message_naming_its_field(mistake: Mistake) -> None:
    """A valid spec with one mistake is refused; the first problem names the file and the field, on one line."""
    # WHEN the schema validates the spec with the mistake
    refusal = _refusal(mistake)
    # THEN the headline names the file and the field
    headline = str(refusal).splitlines()[0]
    assert headline.startswith("environments/team.yaml: ")
    assert mistake.names_field(headline), f"{mistake.kind}: the message does not name {mistake.field}: {headline}"
    assert all("\n" not in problem for problem in refusal.problems)


@settings(max_examples=BUDGET.schema)
@given(mistake=mistakes())
@_with_edge_cases
def test_a_single_mistake_yields_a_single_problem(mistake: Mistake) -> None:
    """One mistake in a file is reported as exactly one problem (no follow-on noise about fields that are fine)."""
    problems = _refusal(mistake).problems
    assert len(problems) == 1, f"{mistake.kind} in {mistake.field}: expected one problem, got {problems}"


def _project(workbench: Workbench, environment_file: Path, stack: str) -> Path:
    """A project directory whose Pulumi.<stack>.yaml points at the file, as a team's stack would."""
    project = workbench.directory / "project"
    project.mkdir(exist_ok=True)
    manifest = yaml.safe_load((REPO / "Pulumi.yaml").read_text())
    manifest["main"] = str(REPO / "__main__.py")
    (project / "Pulumi.yaml").write_text(yaml.safe_dump(manifest))
    config = {"config": {"aws:region": "us-east-1", "agent-platform:environment": str(environment_file)}}
    (project / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(config))
    return project


@expensive(BUDGET.refusal)
@given(mistake=mistakes())
@example(mistake=_mistake(_crawl(agents=[]), "no agents", "agents"))
@example(mistake=_mistake(_crawl(tier="walk", knowledge_sources=[]), "tier requires knowledge", "knowledge_sources"))
def test_the_program_refuses_an_invalid_file_before_registering_any_resource(
    workbench: Workbench, mistake: Mistake
) -> None:
    """`python -m engine preview` of an invalid file exits 2 with the field's message and registers nothing."""
    # GIVEN the invalid spec as a stack's environment file
    path = workbench.file(mistake.spec, "invalid")
    project = _project(workbench, path, "invalid")
    out, err = io.StringIO(), io.StringIO()
    # WHEN the engine previews the stack (the real program on the mock monitor)
    with spying() as spy, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["preview", "--stack", "invalid", "--project-dir", str(project), "--no-policies"])
    # THEN it exits 2 with one message naming the file and the field, and no resource was ever registered
    assert code == cli.EXIT_USAGE, f"exit {code}; stdout: {out.getvalue()[-2000:]}"
    message = err.getvalue().splitlines()[0]
    assert message.startswith(f"error: {path}: "), message
    assert mistake.names_field(message), f"{mistake.kind}: the error does not name {mistake.field}: {message}"
    registered = spy.last.calls if spy.last else []
    assert [urn for urn in registered if f"::{STACK_TYPE}::" not in urn] == []


@settings(max_examples=BUDGET.schema)
@given(value=st.one_of(st.lists(st.integers(), max_size=3), st.text(max_size=20), st.none(), st.integers()))
def test_a_file_that_is_not_a_mapping_is_refused(value: object) -> None:
    """An environment file whose top level is not a mapping (list, scalar, empty) is refused with a message."""
    with pytest.raises(EnvironmentFileError) as refused:
        parse_environment(value, "environments/team.yaml")
    assert str(refused.value).startswith("environments/team.yaml: ")
