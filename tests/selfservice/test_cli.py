"""`python -m selfservice` (what `make new-*` runs): what it prints, when it writes, how it exits."""

from __future__ import annotations

from selfservice.cli import main
from tests.selfservice.harness import AGENT, TOOL, snapshot


def argv(kind, given):
    return [kind, *[arg for name, value in given.items() for arg in ("--set", f"{name}={value}")]]


def test_a_dry_run_renders_and_validates_but_writes_nothing(project, capsys):
    before = snapshot(project.root)
    assert main([*argv("tool", TOOL), "--dry-run"], project) == 0
    out = capsys.readouterr().out
    assert out.startswith("make new-tool: would write\n  create functions/tools/order_status/__init__.py\n")
    assert "next:" not in out
    assert snapshot(project.root) == before


def test_a_written_change_is_listed_with_the_next_steps(project, capsys):
    assert main(argv("agent", AGENT), project) == 0
    assert capsys.readouterr().out == (
        "make new-agent: did write\n"
        "  update environments/walk.yaml\n"
        "next:\n"
        "  make preview STAGE=walk   # offline preview, policy pack included\n"
        "  then open a pull request: CI previews every stage with the policy pack\n"
    )


def test_an_answer_that_is_not_question_equals_value_is_refused(project, capsys):
    before = snapshot(project.root)
    assert main(["agent", "--set", "NAME"], project) == 2
    assert "'NAME' is not QUESTION=VALUE; nothing was written" in capsys.readouterr().err
    assert snapshot(project.root) == before


def test_without_answers_it_lists_the_required_questions(project, capsys):
    assert main(["stage"], project) == 2
    err = capsys.readouterr().err
    for variable in ("NAME", "OWNER", "COST_CENTER", "ALARM_EMAILS"):
        assert f"\n  {variable}: is required and has no default\n    fix: give it as {variable}=..." in err
