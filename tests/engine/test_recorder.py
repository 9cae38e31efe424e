"""The recorder resolves resource aliases as the Pulumi engine does, and an aliased resource keeps its ids."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from engine.export import stack_export
from engine.program import ProgramRun, run_callable
from engine.project import StackConfig
from tests.engine.conftest import TINY

STACK = StackConfig(
    project="tiny", stack="dev", project_dir=TINY, main=TINY / "__main__.py", config={"aws:region": "eu-west-1"}
)


def _queue_program(moved: bool) -> None:
    """A queue under `old-home`; when `moved`, under `new-home` (itself under `old-home`) with an alias."""
    old_home = pulumi.ComponentResource("tiny:index:OldHome", "home")
    parent: pulumi.Resource = old_home
    aliases: list[pulumi.Alias] = []
    if moved:
        parent = pulumi.ComponentResource("tiny:index:NewHome", "new", opts=pulumi.ResourceOptions(parent=old_home))
        aliases = [pulumi.Alias(parent=old_home)]
    aws.sqs.Queue("jobs", aws.sqs.QueueArgs(name="jobs"), opts=pulumi.ResourceOptions(parent=parent, aliases=aliases))


def _run(moved: bool) -> ProgramRun:
    return run_callable(STACK, lambda: _queue_program(moved), "up")


def _queue(run: ProgramRun):
    return next(r for r in run.registrations if r.type == "aws:sqs/queue:Queue")


def test_an_alias_spec_resolves_to_the_urn_the_resource_had_under_its_old_parent() -> None:
    # GIVEN a queue that moved under a new component and says where it was
    before, after = _queue(_run(moved=False)), _queue(_run(moved=True))
    # THEN its URN changed, and its alias is exactly the URN it had before
    assert after.urn != before.urn
    assert after.aliases == [before.urn]


def test_an_aliased_resource_keeps_the_ids_of_the_resource_it_was() -> None:
    # GIVEN the same move in up mode
    before, after = _queue(_run(moved=False)), _queue(_run(moved=True))
    # THEN the fake cloud treats it as the same queue: same id, same ARN (a real `pulumi up` keeps its state)
    assert after.id == before.id
    assert after.outputs["arn"] == before.outputs["arn"]


def test_the_export_names_aliases_only_where_there_are_some() -> None:
    exported = stack_export(_run(moved=True))["deployment"]["resources"]
    queue = next(r for r in exported if r["type"] == "aws:sqs/queue:Queue")
    assert queue["aliases"] and queue["aliases"][0].endswith("tiny:index:OldHome$aws:sqs/queue:Queue::jobs")
    assert all("aliases" not in r for r in exported if r is not queue)
