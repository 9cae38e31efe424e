from __future__ import annotations

import json

from components.messaging.secure_queue import MAX_RECEIVE_COUNT
from tests.components.harness import Built


def test_escalations_are_queued_with_a_dead_letter_queue_and_reach_humans(walk: Built) -> None:
    queue = walk.one("aws:sqs/queue:Queue", "escalation-queue-queue")
    dlq = walk.one("aws:sqs/queue:Queue", "escalation-queue-dlq")
    data_key = walk.one("aws:kms/key:Key", "data-key").outputs["arn"]
    assert json.loads(queue.inputs["redrivePolicy"]) == {
        "deadLetterTargetArn": dlq.outputs["arn"],
        "maxReceiveCount": MAX_RECEIVE_COUNT,
    }
    assert queue.inputs["kmsMasterKeyId"] == data_key and dlq.inputs["kmsMasterKeyId"] == data_key
    assert json.loads(dlq.inputs["redriveAllowPolicy"])["sourceQueueArns"] == [queue.outputs["arn"]]
    mapping = walk.one("aws:lambda/eventSourceMapping:EventSourceMapping", "escalation-trigger")
    assert mapping.inputs["eventSourceArn"] == queue.outputs["arn"]
    assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
    topic = walk.one("aws:sns/topic:Topic", "escalation-topic")
    assert topic.inputs["kmsMasterKeyId"] == data_key
    subscriptions = [
        s
        for s in walk.of_type("aws:sns/topicSubscription:TopicSubscription")
        if s.inputs["topic"] == topic.outputs["arn"]
    ]
    assert [s.inputs["endpoint"] for s in subscriptions] == ["support-leads@example.com"]
    alarm = walk.one("aws:cloudwatch/metricAlarm:MetricAlarm", "escalation-dlq-alarm")
    assert alarm.inputs["dimensions"] == {"QueueName": dlq.outputs["name"]}


def test_the_escalation_function_only_consumes_its_queue_and_publishes_its_topic(walk: Built) -> None:
    function = walk.one("aws:lambda/function:Function", "escalation")
    policy = next(p for p in walk.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    statements = walk.statements(policy)
    assert (
        statements["ConsumeEscalations"]["Resource"]
        == walk.one("aws:sqs/queue:Queue", "escalation-queue-queue").outputs["arn"]
    )
    assert statements["NotifyHumans"]["Resource"] == walk.one("aws:sns/topic:Topic", "escalation-topic").outputs["arn"]


def test_crawl_has_no_escalation_queue(crawl: Built) -> None:
    assert not [q for q in crawl.of_type("aws:sqs/queue:Queue") if "escalation" in q.name]
