"""The turn-replay queue: where a workflow parks the turns it could not record, drained by its orchestrator."""

from __future__ import annotations

import json

import pytest

from components.messaging.secure_queue import MAX_RECEIVE_COUNT
from components.orchestration.turn_replay import VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT
from tests.components.harness import Built

ENTRY_AGENTS = {"walk": ("hr-assistant", "incident-analyst", "support-assistant"), "run": ("coordinator",)}
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"


def _queues(built: Built, agent: str):
    queue = built.one("aws:sqs/queue:Queue", f"{agent}-turn-replay-queue-queue")
    dlq = built.one("aws:sqs/queue:Queue", f"{agent}-turn-replay-queue-dlq")
    return queue, dlq


def _policy(built: Built, function_name: str) -> dict:
    function = built.one("aws:lambda/function:Function", function_name)
    policy = next(p for p in built.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    return built.statements(policy)


@pytest.mark.parametrize("stage", sorted(ENTRY_AGENTS))
def test_each_workflow_parks_turns_in_an_encrypted_queue_with_a_dead_letter_queue(
    stages: dict[str, Built], stage: str
) -> None:
    built = stages[stage]
    data_key = built.one("aws:kms/key:Key", "data-key").outputs["arn"]
    for agent in ENTRY_AGENTS[stage]:
        queue, dlq = _queues(built, agent)
        assert queue.inputs["kmsMasterKeyId"] == data_key and dlq.inputs["kmsMasterKeyId"] == data_key
        assert json.loads(queue.inputs["redrivePolicy"]) == {
            "deadLetterTargetArn": dlq.outputs["arn"],
            "maxReceiveCount": MAX_RECEIVE_COUNT,
        }
        assert json.loads(dlq.inputs["redriveAllowPolicy"])["sourceQueueArns"] == [queue.outputs["arn"]]
        alarm = built.one("aws:cloudwatch/metricAlarm:MetricAlarm", f"{agent}-turn-replay-dlq-alarm")
        assert alarm.inputs["dimensions"] == {"QueueName": dlq.outputs["name"]}


@pytest.mark.parametrize("stage", sorted(ENTRY_AGENTS))
def test_the_orchestrator_drains_its_queue_reporting_failed_turns_one_by_one(
    stages: dict[str, Built], stage: str
) -> None:
    built = stages[stage]
    for agent in ENTRY_AGENTS[stage]:
        queue, _ = _queues(built, agent)
        function = built.one("aws:lambda/function:Function", f"{agent}-orchestrator")
        mapping = built.one(MAPPING, f"{agent}-orchestrator-turn-replay")
        assert mapping.inputs["eventSourceArn"] == queue.outputs["arn"]
        assert mapping.inputs["functionName"] == function.outputs["arn"]
        assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
        # AWS: the visibility timeout is at least six times the function timeout.
        assert queue.inputs["visibilityTimeoutSeconds"] == (
            VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT * function.inputs["timeout"]
        )
        # Lambda checks the role when the mapping is created: the mapping waits for the role's policy.
        policy = next(p for p in built.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
        assert policy.urn in mapping.dependencies


def test_the_orchestrator_may_read_delete_and_decrypt_only_its_own_parked_turns(walk: Built) -> None:
    statements = _policy(walk, "support-assistant-orchestrator")
    queue, _ = _queues(walk, "support-assistant")
    replay = statements["ReplayParkedTurns"]
    assert sorted(replay["Action"]) == ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    assert replay["Resource"] == queue.outputs["arn"]
    decrypt = statements["DecryptParkedTurns"]
    assert decrypt["Action"] == ["kms:Decrypt"]
    assert decrypt["Condition"]["StringEquals"] == {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}
    # AND the session store's Query (the highest stored turn, when TTL removed part of a session)
    assert "dynamodb:Query" in statements["SessionStore"]["Action"]


def test_the_workflow_may_park_turns_only_in_its_own_queue(walk: Built) -> None:
    machine = walk.one("aws:sfn/stateMachine:StateMachine", "support-assistant")
    policy = next(p for p in walk.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == machine.parent)
    statements = walk.statements(policy)
    queue, _ = _queues(walk, "support-assistant")
    assert statements["ParkTurns"]["Action"] == ["sqs:SendMessage"]
    assert statements["ParkTurns"]["Resource"] == queue.outputs["arn"]
    assert sorted(statements["EncryptParkedTurns"]["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    states = json.loads(machine.inputs["definition"])["States"]
    assert states["ParkRecord"]["Arguments"]["QueueUrl"] == queue.outputs["url"]
    assert states["ParkRecordBlocked"]["Arguments"]["QueueUrl"] == queue.outputs["url"]


def test_crawl_has_no_workflow_so_nothing_to_park(crawl: Built) -> None:
    assert not [q for q in crawl.of_type("aws:sqs/queue:Queue") if "turn-replay" in q.name]
    assert not crawl.of_type(MAPPING)
    statements = _policy(crawl, "support-assistant-orchestrator")
    assert "ReplayParkedTurns" not in statements
