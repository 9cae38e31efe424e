"""Mutation property: any single catalogued security degradation of any generated stage is refused.

The catalogue is the policy tests' (tests/policies/mutations.py), and so is the meaning of "caught"
(tests/policies/test_mutations.py): the pack, over the analyzer protocol, reports a mandatory violation
on the degraded resource that the unmutated stage did not have. Here the stage is generated and
hypothesis picks the mutation and the resource it degrades.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, seed
from hypothesis import strategies as st

from policies.core import stage as stage_module
from tests.policies.harness import PackSession
from tests.policies.mutations import CATALOGUE, Mutation, RunView
from tests.policies.test_mutations import _evaluate, _keys, _new_catches
from tests.property.budget import BUDGET, SPEC_SEED, expensive
from tests.property.stages import Workbench
from tests.property.strategies import environments

MUTATIONS = [m.id for m in CATALOGUE]
RUN_SPEC: dict[str, Any] = {
    "stage": "prod-eu",
    "tier": "run",
    "owner": "platform-team",
    "cost_center": "cc-2001",
    "account": {"account_label": "prod", "owner_stage": "prod-eu"},
    "alarm_emails": ["oncall@example.com"],
    "budget": {"monthly_limit_usd": 1000},
    "knowledge_sources": [{"name": "handbook", "description": "The support handbook and its FAQs."}],
    "agents": [
        {
            "name": "lead",
            "owner": "platform-team",
            "description": "Delegates to the ticket agent.",
            "instruction": "Delegate ticket work to the ticket agent and compose the final answer for the user.",
            "collaborators": ["tickets"],
        },
        {
            "name": "tickets",
            "owner": "support-team",
            "description": "Looks up and creates tickets.",
            "instruction": "Look up tickets and create new ones only after the user confirmed the exact content.",
            "tools": ["ticket-lookup", "ticket-create"],
            "knowledge_sources": ["handbook"],
            "guardrail_profile": "strict",
        },
    ],
}


def _applicable(view: RunView, wanted: str) -> Mutation:
    """The wanted mutation, or the next one in catalogue order that has a target in this stage."""
    start = MUTATIONS.index(wanted)
    for mutation in CATALOGUE[start:] + CATALOGUE[:start]:
        if mutation.candidates(view):
            return mutation
    raise AssertionError("no catalogued mutation applies to this stage")


@seed(SPEC_SEED)
@expensive(BUDGET.policy)
@given(spec=environments(), wanted=st.sampled_from(MUTATIONS), pick=st.integers(0, 1000))
@example(spec=RUN_SPEC, wanted="tool-confirmation-removed", pick=0)
@example(spec=RUN_SPEC, wanted="waf-disassociated", pick=0)
def test_any_catalogued_degradation_of_a_generated_stage_is_caught(
    workbench: Workbench, spec: dict[str, Any], wanted: str, pick: int
) -> None:
    """Any catalogued security degradation of any resource of any stage raises a new mandatory violation on it."""
    # GIVEN a generated stage in preview and the pack's verdict on it
    stage = workbench.stage(spec)
    run = stage.run("preview")
    resolved = stage_module.resolve(run.stack.config, run.stack.project)
    view = RunView(run.registrations, resolved.tier, resolved.owns_account_singletons)
    mutation = _applicable(view, wanted)
    candidates = mutation.candidates(view)
    # WHEN one catalogued degradation is applied to one of its candidate resources
    mutated = view.fork()
    target = mutation.apply(mutated, candidates[pick % len(candidates)])
    with PackSession(run.stack) as session:
        if "preview" not in stage.reports:  # no other property evaluated this spec yet
            stage.reports["preview"] = session.evaluate_run(run)
        baseline = stage.reports["preview"]
        report = _evaluate(session, view, mutated)
    # THEN the pack reports a new mandatory violation on the degraded resource
    caught = _new_catches(report, _keys(baseline), target)
    assert caught, (
        f"{mutation.id} ({mutation.description}) on {target.rsplit('::', 1)[-1] or 'the stack'} was not caught "
        f"(expected {mutation.expected})\n{stage.shown}"
    )
