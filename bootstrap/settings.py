"""The bootstrap stack's configuration, validated before any resource exists.

`bootstrap/Pulumi.<account label>.yaml` names the GitHub repository the pipeline runs in and the platform
stages that deploy into this account (crawl and walk share `nonprod`, run has `prod`). Each stage must
have its stack file, its environment file and its derived permissions, and all of them must name this
account; a mistake stops the program with one line naming the key and the fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bootstrap.documents import PERMISSIONS_DIR, DocumentError, check_repository
from environments import Environment, EnvironmentFileError, load_environment

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = "agent-platform-bootstrap"


class SettingsError(ValueError):
    """The bootstrap stack's config is wrong; the message names the key and the fix."""


@dataclass(frozen=True)
class Settings:
    repository: str
    stages: tuple[Environment, ...]
    default_branch: str

    @property
    def account_label(self) -> str:
        return self.stages[0].account.account_label

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(e.stage for e in self.stages)


def _stage(name: str) -> Environment:
    if not (REPO_ROOT / f"Pulumi.{name}.yaml").is_file():
        raise SettingsError(
            f"{PROJECT}:stages: no platform stack {name!r} (Pulumi.{name}.yaml); name an existing stage"
        )
    if not (PERMISSIONS_DIR / f"{name}.json").is_file():
        raise SettingsError(
            f"{PROJECT}:stages: stage {name!r} has no derived permissions; run `python -m bootstrap.derivation --write`"
        )
    try:
        return load_environment(name)
    except EnvironmentFileError as error:
        raise SettingsError(f"{PROJECT}:stages: {error}") from None


def parse_settings(repository: str | None, stages_json: str | None, default_branch: str | None) -> Settings:
    if not repository:
        raise SettingsError(f"{PROJECT}:repository is required: the GitHub '<owner>/<name>' the pipeline runs in")
    try:
        check_repository(repository)
    except DocumentError as error:
        raise SettingsError(f"{PROJECT}:repository: {error}") from None
    try:
        names = json.loads(stages_json or "null")
    except json.JSONDecodeError:
        names = None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise SettingsError(f"{PROJECT}:stages must list the platform stages of this account, e.g. [crawl, walk]")
    if len(set(names)) != len(names):
        raise SettingsError(f"{PROJECT}:stages names a stage twice: {names}")
    stages = tuple(_stage(name) for name in names)
    labels = {e.account.account_label for e in stages}
    if len(labels) > 1:
        listed = ", ".join(f"{e.stage}: {e.account.account_label}" for e in stages)
        raise SettingsError(
            f"{PROJECT}:stages: the stages deploy to different accounts ({listed}); one bootstrap stack per account"
        )
    return Settings(repository, stages, default_branch or "main")
