"""The export comparison: identical graphs pass, moves pass only through aliases, any real change fails."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.compare import compare_exports, main

STACK = "urn:pulumi:dev::tiny::pulumi:pulumi:Stack::tiny-dev"
HOME = "urn:pulumi:dev::tiny::pulumi:pulumi:Stack$tiny:index:Home::home"
PROVIDER = "urn:pulumi:dev::tiny::tiny:index:Home$pulumi:providers:aws::dev-aws"
KEY = "urn:pulumi:dev::tiny::tiny:index:Home$aws:kms/key:Key::home-key"
QUEUE = "urn:pulumi:dev::tiny::tiny:index:Home$aws:sqs/queue:Queue::home-jobs"
# After the move: the queue sits under a new component, itself under Home.
NEST = "urn:pulumi:dev::tiny::tiny:index:Home$tiny:index:Jobs::home-jobs"
MOVED_QUEUE = "urn:pulumi:dev::tiny::tiny:index:Jobs$aws:sqs/queue:Queue::home-jobs"


def _resource(urn: str, parent: str, custom: bool = True, **fields: Any) -> dict[str, Any]:
    resource = {
        "urn": urn,
        "custom": custom,
        "type": urn.split("::")[2].split("$")[-1],
        "inputs": {},
        "outputs": {},
        "parent": parent,
        "dependencies": [],
        "propertyDependencies": {},
        "protect": False,
        "provider": f"{PROVIDER}::provider-id" if custom else "",
    }
    resource.update(fields)
    return resource


def _export(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"version": 3, "deployment": {"manifest": {}, "resources": list(resources)}}


def _base() -> dict[str, Any]:
    return _export(
        _resource(STACK, "", custom=False),
        _resource(HOME, STACK, custom=False),
        _resource(PROVIDER, HOME, provider=""),
        _resource(KEY, HOME, inputs={"enableKeyRotation": True}),
        _resource(
            QUEUE,
            HOME,
            inputs={"kmsMasterKeyId": "arn:aws:kms:eu-west-1:123456789012:key/k"},
            dependencies=[KEY],
            propertyDependencies={"kmsMasterKeyId": [KEY]},
        ),
    )


def _moved(with_alias: bool) -> dict[str, Any]:
    """The base with the queue moved under a new `Jobs` component (and something that depends on the queue)."""
    export = _base()
    resources = export["deployment"]["resources"]
    queue = resources.pop()
    queue["urn"], queue["parent"] = MOVED_QUEUE, NEST
    if with_alias:
        queue["aliases"] = [QUEUE]
    resources += [_resource(NEST, HOME, custom=False), queue]
    return export


def test_the_same_export_is_identical() -> None:
    # GIVEN two builds of the same program
    comparison = compare_exports(_base(), _base())
    # THEN every resource matches and nothing is reported
    assert comparison.ok and comparison.identical == 5 and not comparison.moved


def test_the_order_of_resources_and_of_dependencies_is_not_a_difference() -> None:
    head = _base()
    resources = head["deployment"]["resources"]
    resources.reverse()
    resources[0]["dependencies"] = [KEY, KEY][:1]
    assert compare_exports(_base(), head).ok


def test_a_move_with_an_alias_to_the_old_urn_is_the_same_resource() -> None:
    # GIVEN the queue moved under a new component, carrying an alias to its old URN
    base, head = _base(), _moved(with_alias=True)
    # AND a resource of both sides that depends on the queue (its reference must be compared after mapping)
    alarm = "urn:pulumi:dev::tiny::tiny:index:Home$aws:cloudwatch/metricAlarm:MetricAlarm::home-alarm"
    base["deployment"]["resources"].append(_resource(alarm, HOME, dependencies=[QUEUE]))
    head["deployment"]["resources"].append(_resource(alarm, HOME, dependencies=[MOVED_QUEUE]))
    # WHEN they are compared
    comparison = compare_exports(base, head)
    # THEN the move is accepted, listed, and the new component is reported (not a difference)
    assert comparison.ok, comparison.differences
    assert comparison.moved == {QUEUE: MOVED_QUEUE}
    assert comparison.components_added == [NEST]


def test_a_move_without_an_alias_is_a_difference() -> None:
    comparison = compare_exports(_base(), _moved(with_alias=False))
    assert not comparison.ok
    reported = {(d.urn, d.field) for d in comparison.differences}
    assert (QUEUE, "resource") in reported  # gone from the working tree
    assert (MOVED_QUEUE, "resource") in reported  # new, and nothing says it was the old queue


def test_an_alias_that_names_no_base_resource_does_not_excuse_a_new_resource() -> None:
    head = _moved(with_alias=True)
    head["deployment"]["resources"][-1]["aliases"] = [QUEUE.replace("home-jobs", "elsewhere")]
    comparison = compare_exports(_base(), head)
    assert not comparison.ok
    assert any("name no resource of the base" in d.detail for d in comparison.differences)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda q: q["inputs"].update(kmsMasterKeyId="arn:aws:kms:eu-west-1:123456789012:key/other"), "inputs"),
        (lambda q: q.update(protect=True), "protect"),
        (lambda q: q.update(propertyDependencies={}), "propertyDependencies"),
        (lambda q: q.update(dependencies=[]), "dependencies"),
        (lambda q: q.update(provider=""), "provider"),
        (lambda q: q.update(type="aws:sqs/queue:Other"), "type"),
    ],
)
def test_a_real_change_is_a_difference_even_behind_an_alias(change: Any, field: str) -> None:
    # GIVEN the aliased move, and one real change to the moved queue
    head = _moved(with_alias=True)
    change(head["deployment"]["resources"][-1])
    # THEN the change is reported on the queue's new URN, field by field
    comparison = compare_exports(_base(), head)
    assert [(d.urn, d.field) for d in comparison.differences] == [(MOVED_QUEUE, field)]


def test_a_difference_says_where_the_values_part() -> None:
    head = copy.deepcopy(_base())
    head["deployment"]["resources"][3]["inputs"]["enableKeyRotation"] = False
    (difference,) = compare_exports(_base(), head).differences
    assert difference.field == "inputs"
    assert difference.detail == "enableKeyRotation: true -> false"


def test_an_unknown_base_revision_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "no-such-revision-anywhere"]) == 2
    assert "no-such-revision-anywhere" in capsys.readouterr().err
