from __future__ import annotations

import json

from tests.components.harness import Built


def test_run_routes_async_tasks_from_an_encrypted_bus_to_the_coordinators_workflow(run: Built) -> None:
    bus = run.one("aws:cloudwatch/eventBus:EventBus")
    assert bus.inputs["kmsKeyIdentifier"] == run.one("aws:kms/key:Key", "data-key").outputs["arn"]
    [rule] = [
        r
        for r in run.of_type("aws:cloudwatch/eventRule:EventRule")
        if r.inputs.get("eventBusName") == bus.outputs["name"]
    ]
    assert json.loads(rule.inputs["eventPattern"])["detail"] == {"agent": ["coordinator"]}
    target = run.one("aws:cloudwatch/eventTarget:EventTarget", "coordinator-target")
    machine = run.one("aws:sfn/stateMachine:StateMachine", "coordinator")
    dlq = run.one("aws:sqs/queue:Queue", "async-dead-letters")
    assert target.inputs["arn"] == machine.outputs["arn"]
    assert target.inputs["deadLetterConfig"] == {"arn": dlq.outputs["arn"]}
    assert target.inputs["retryPolicy"]["maximumRetryAttempts"] > 0
    assert json.loads(dlq.inputs["redriveAllowPolicy"]) == {"redrivePermission": "denyAll"}
    assert run.one("aws:cloudwatch/eventArchive:EventArchive").inputs["eventSourceArn"] == bus.outputs["arn"]


def test_async_work_is_a_run_tier_capability(crawl: Built, walk: Built) -> None:
    assert not crawl.of_type("aws:cloudwatch/eventBus:EventBus") and not walk.of_type(
        "aws:cloudwatch/eventBus:EventBus"
    )
