"""Build components under the Pulumi mocks (the offline engine's fake cloud) and inspect what they register."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi

from components.base.location import Location
from components.stage_provider import stage_provider
from engine.program import Mode, ProgramRun, run_callable
from engine.project import StackConfig
from engine.recorder import Registration
from environments import Environment, load_environment

REPO = Path(__file__).resolve().parents[2]
REGION = "us-east-1"


def stack_config(stage: str = "crawl", region: str = REGION) -> StackConfig:
    return StackConfig(
        project="agent-platform",
        stack=stage,
        project_dir=REPO,
        main=REPO / "__main__.py",
        config={"aws:region": region, "agent-platform:environment": stage},
    )


class Built:
    """What a build registered, with lookups by type and logical name."""

    def __init__(self, run: ProgramRun) -> None:
        self.run = run
        self.resources = run.resources

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name_contains: str = "") -> Registration:
        matches = [r for r in self.of_type(type_) if name_contains in r.name]
        assert len(matches) == 1, f"expected one {type_} named *{name_contains}*, found {[m.name for m in matches]}"
        return matches[0]

    def by_urn(self, urn: str) -> Registration:
        return next(r for r in self.resources if r.urn == urn)

    @staticmethod
    def document(registration: Registration, prop: str = "policy") -> dict[str, Any]:
        return json.loads(registration.inputs[prop])

    def statements(self, registration: Registration) -> dict[str, dict[str, Any]]:
        return {s["Sid"]: s for s in self.document(registration)["Statement"]}


def build(
    factory: Callable[[Location], Any],
    environment: Environment | str = "crawl",
    mode: Mode = "up",
    region: str = REGION,
) -> Built:
    """Run `factory(location)` as a program of the stage's stack and return what it registered."""
    env = load_environment(environment) if isinstance(environment, str) else environment

    def program() -> None:
        parent = pulumi.ComponentResource("test:index:Harness", "harness")
        factory(stage_provider(env, region, parent=parent)[1])

    return Built(run_callable(stack_config(env.stage, region), program, mode))


def build_platform(environment: Environment, mode: Mode = "up", region: str = REGION) -> Built:
    """Build a whole Platform for an environment that is not one of the shipped files."""
    from components.platform import Platform, PlatformArgs

    def program() -> None:
        Platform(environment.stage, PlatformArgs(environment, region))

    return Built(run_callable(stack_config(environment.stage, region), program, mode))
