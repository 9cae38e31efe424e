"""One running policy pack per stage configuration, shared by every policy test of the session.

Stages (environment files derived from environments/<tier>.yaml, owner of the account singletons
overridden so both cases are covered):
- crawl: tier crawl, owns the account singletons;
- walk:  tier walk, does not own them (crawl does);
- run:   tier run, owns them;
- unresolved: no environment in the stack config (the pack judges by the strictest settings);
- crawl-en: crawl whose users write English only (`languages: [en]`, so Classic-tier guardrails are allowed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from engine import ProgramRun, load_stack, run_program
from engine.policy_report import PolicyReport
from tests.policies.builders import Stack, build_platform
from tests.policies.harness import REPO, PackSession, stack_config, write_environment

OWNERS = {"crawl": "crawl", "walk": "crawl", "run": "run"}
# Variants of a shipped stage: (base stage, environment fields overridden).
VARIANTS: dict[str, tuple[str, dict[str, object]]] = {"crawl-en": ("crawl", {"languages": ["en"]})}


@pytest.fixture(scope="session")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], PackSession]]:
    """`sessions(stage)` -> a started PackSession for that stage (started on first use)."""
    directory = tmp_path_factory.mktemp("environments")
    started: dict[str, PackSession] = {}
    with ExitStack() as stack:

        def get(stage: str) -> PackSession:
            if stage not in started:
                if stage == "unresolved":
                    config = stack_config(None, stack="unresolved")
                elif stage in VARIANTS:
                    base, fields = VARIANTS[stage]
                    path = write_environment(directory, base, OWNERS[base], fields, suffix=stage)
                    config = stack_config(str(path), stack=stage)
                else:
                    config = stack_config(str(write_environment(directory, stage, OWNERS[stage])), stack=stage)
                started[stage] = stack.enter_context(PackSession(config))
            return started[stage]

        yield get


def owns_singletons(stage: str) -> bool:
    stage = VARIANTS[stage][0] if stage in VARIANTS else stage
    return stage == "unresolved" or OWNERS[stage] == stage


def evaluate(session: PackSession, stack: Stack) -> PolicyReport:
    return session.evaluate(stack.registrations())


def platform(stage: str) -> tuple[Stack, dict[str, str]]:
    """A fresh compliant mini platform for `stage` (cost tags matching the stage)."""
    if stage in VARIANTS:
        stack = Stack(VARIANTS[stage][0])
    else:
        stack = Stack(stage if stage != "unresolved" else "run", tier=None if stage != "unresolved" else "run")
    return stack, build_platform(stack, owns_singletons(stage))


STAGES = ("crawl", "walk", "run")


@pytest.fixture(scope="session")
def stage_runs() -> Callable[[str, str], ProgramRun]:
    """`stage_runs(stage, mode)` -> the real program of that stack, run once per session on the mock monitor."""
    cache: dict[tuple[str, str], ProgramRun] = {}

    def get(stage: str, mode: str = "preview") -> ProgramRun:
        if (stage, mode) not in cache:
            cache[(stage, mode)] = run_program(load_stack(REPO, stage), mode)  # type: ignore[arg-type]
        return cache[(stage, mode)]

    return get


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the mutation test's catch rate at the end of the run (also under pytest-xdist)."""
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", []):
                if name == "mutation_catch_rate" and getattr(report, "when", "") == "call":
                    terminalreporter.write_line(f"policy mutation test: {value}")
