"""Which stage the pack is judging: its tier thresholds and whether it owns the account singletons.

The Pulumi CLI (and the offline engine) starts the pack with the stack's config in PULUMI_CONFIG;
`<project>:environment` names the environment file, resolved exactly as the program resolves it
(`environments.load_environment`). Without it - or when it does not load - the pack judges by the
strictest settings (`environments.tiers.strictest()`, owning the account singletons) and says so (policy
`policy-stage-resolved`).

The bootstrap program (bootstrap/) serves the stages of one account instead: its `<project>:stages` names
their environment files, and the pack judges it as `bootstrap-<account label>` on the highest of their
tiers, owning none of the account's singletons.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from environments import Environment, EnvironmentFileError, TierProfile, load_environment, profile
from environments.tiers import strictest

DEFAULT_PROJECT = "agent-platform"
DEFAULT_LANGUAGES: tuple[str, ...] = Environment.model_fields["languages"].default


@dataclass(frozen=True)
class Stage:
    name: str | None  # the environment's stage, None when unresolved
    tier: TierProfile
    owns_account_singletons: bool
    owner_stage: str | None  # the stage that owns the account singletons, when known
    resolved: bool
    source: str  # how it was resolved, or why it was not
    # The stack's `aws:region` (None when the config has none) and the environment's languages (the schema's
    # default, which needs the guardrails' Standard tier, when unresolved): environments/models.py and
    # environments/guardrail_tiers.py judge models and guardrails by them.
    region: str | None = None
    languages: tuple[str, ...] = DEFAULT_LANGUAGES

    @property
    def label(self) -> str:
        return f"stage {self.name} (tier {self.tier.tier.value})" if self.name else f"tier {self.tier.tier.value}"


def _strictest(reason: str, region: str | None = None) -> Stage:
    tier = strictest()
    return Stage(
        name=None,
        tier=tier,
        owns_account_singletons=True,
        owner_stage=None,
        resolved=False,
        source=f"{reason}; judging by the strictest settings (tier {tier.tier.value}, owning the account singletons)",
        region=region,
    )


def from_environment(environment: Environment, source: str, region: str | None = None) -> Stage:
    return Stage(
        name=environment.stage,
        tier=profile(environment.tier),
        owns_account_singletons=environment.owns_account_singletons,
        owner_stage=environment.account.owner_stage,
        resolved=True,
        source=source,
        region=region,
        languages=environment.languages,
    )


def from_bootstrap(stages_json: str, key: str, region: str | None = None) -> Stage:
    """The bootstrap stack of the account that the listed stages deploy to."""
    try:
        names = json.loads(stages_json)
        environments = [load_environment(str(name)) for name in names]
    except (json.JSONDecodeError, TypeError, EnvironmentFileError) as error:
        return _strictest(f"{key} does not name loadable environments ({error})", region)
    if not environments:
        return _strictest(f"{key} names no stage", region)
    highest = max((e.tier for e in environments), key=lambda tier: tier.rank)
    account = environments[0].account
    return Stage(
        name=f"bootstrap-{account.account_label}",
        tier=profile(highest),
        owns_account_singletons=False,
        owner_stage=account.owner_stage,
        resolved=True,
        source=f"{key}={','.join(e.stage for e in environments)}",
        region=region,
        languages=tuple(dict.fromkeys(language for e in environments for language in e.languages)),
    )


def resolve(config: Mapping[str, str], project: str = DEFAULT_PROJECT) -> Stage:
    """The stage described by a stack config (fully-qualified keys -> string values)."""
    key = f"{project}:environment"
    name = config.get(key) or config.get(f"{DEFAULT_PROJECT}:environment")
    region = config.get("aws:region") or None
    if not name and f"{project}:stages" in config:
        return from_bootstrap(config[f"{project}:stages"], f"{project}:stages", region)
    if not name:
        return _strictest(f"the stack config has no {key}", region)
    try:
        environment = load_environment(name)
    except EnvironmentFileError as error:
        return _strictest(f"environment {name!r} does not load ({error})", region)
    return from_environment(environment, f"{key}={name}", region)


def _config_from_env() -> tuple[dict[str, str], str]:
    raw = os.environ.get("PULUMI_CONFIG", "")
    project = os.environ.get("PULUMI_PROJECT") or DEFAULT_PROJECT
    if not raw:
        return {}, project
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}, project
    return ({str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}), project


@lru_cache(maxsize=1)
def current() -> Stage:
    """The stage of the stack the pack runs for (the pack process serves one stack)."""
    config, project = _config_from_env()
    return resolve(config, project)
