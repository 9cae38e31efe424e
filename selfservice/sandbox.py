"""The programs of the projects `pulumi new templates/<kind>` creates.

Their answers are stack config (`pulumi new` stored them there), read and validated exactly like `make`'s.
- agent: a sandbox. The platform's Platform component for the chosen stage file, with the new agent as its
  only agent, for a team's own AWS account. The stage comes from `agent-platform:environment`, the key the
  policy pack resolves too, so `pulumi preview --policy-pack <platform>/policies` judges the same stage.
- tool, stage: nothing to deploy (both live in the platform repository); `pulumi preview` validates the
  answers and exports the files `make` would write and the `make new-<kind>` command to run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi

from selfservice.errors import AnswerError
from selfservice.kinds import KINDS, make_command
from selfservice.project import Project
from selfservice.prompts import Answers, Prompt, collect_answers, load_prompts


def _config_answers(kind: str, project: Project) -> tuple[tuple[Prompt, ...], Answers]:
    prompts = load_prompts(project.template_dir(kind))
    given = {}
    for prompt in prompts:
        namespace, _, key = prompt.key.rpartition(":")
        value = pulumi.Config(namespace or None).get(key)
        if value is not None:
            given[prompt.key] = value
    try:
        return prompts, collect_answers(kind, prompts, given, lambda key: key)
    except AnswerError as error:
        raise _run_error(error) from None


def _run_error(error: AnswerError) -> pulumi.RunError:
    return pulumi.RunError(f"{error}\nfix them with `pulumi config set <question> <value>`")


def agent_sandbox(platform_dir: Path) -> None:
    """The stage's shared infrastructure with the new agent, built by the platform's own components."""
    from components.platform import Platform, PlatformArgs
    from selfservice.agent import sandbox_environment

    project = Project(platform_dir)
    prompts, answers = _config_answers("agent", project)
    try:
        environment = sandbox_environment(project, answers)
    except AnswerError as error:
        raise _run_error(error) from None
    pulumi.runtime.register_stack_transformation(_anchored_assets(project.root))
    Platform(environment.stage, PlatformArgs(environment, answers["aws:region"]))
    pulumi.export("stage", environment.stage)
    pulumi.export("agent", answers["name"])
    pulumi.export("submit", make_command("agent", prompts, answers))


def submission_preview(kind: str, platform_dir: Path) -> None:
    """Validate the answers as `make new-<kind>` does (writing nothing) and say what it would create."""
    project = Project(platform_dir)
    prompts, answers = _config_answers(kind, project)
    try:
        changes = KINDS[kind].create(project, answers)
    except AnswerError as error:
        raise _run_error(error) from None
    pulumi.export("files", [project.shown(change.path) for change in changes])
    pulumi.export("submit", make_command(kind, prompts, answers))


def _anchored_assets(root: Path) -> Callable[[pulumi.ResourceTransformationArgs], None]:
    """Function archives name their files relative to the platform checkout, which the Pulumi CLI would
    resolve against this project's directory: anchor them to the checkout (in place, before registration)."""

    def anchor(value: Any) -> None:
        if isinstance(value, pulumi.AssetArchive):
            for asset in value.assets.values():
                anchor(asset)
        elif isinstance(value, (pulumi.FileAsset, pulumi.FileArchive)) and not Path(value.path).is_absolute():
            value.path = str(root / value.path)

    def transformation(args: pulumi.ResourceTransformationArgs) -> None:
        properties = args.props if isinstance(args.props, dict) else vars(args.props)
        for value in properties.values():
            anchor(value)

    return transformation
