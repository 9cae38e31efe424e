from __future__ import annotations

import json

from shared.metrics import MetricName

from tests.components.harness import Built

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def _metrics_of(alarm) -> set[str]:
    if "metricName" in alarm.inputs:
        return {alarm.inputs["metricName"]}
    return {q["metric"]["metricName"] for q in alarm.inputs["metricQueries"] if "metric" in q}


def test_the_seeds_metrics_each_have_an_alarm_on_the_names_the_functions_emit(crawl: Built) -> None:
    emitted = {m.value for m in MetricName}
    alarms = {a.name.split("observability-")[-1]: a for a in crawl.of_type(ALARM) if "observability-" in a.name}
    assert _metrics_of(alarms["agent-latency-p99"]) == {"AgentLatency"}
    assert _metrics_of(alarms["agent-error-rate"]) == {"AgentErrors", "AgentInvocations"}
    assert _metrics_of(alarms["tool-failure-rate"]) == {"ToolFailures", "ToolInvocations"}
    assert _metrics_of(alarms["daily-token-spend"]) == {"InputTokens", "OutputTokens"}
    for alarm in alarms.values():
        assert _metrics_of(alarm) <= emitted, "an alarm watches a metric no function emits"


def test_alarms_notify_the_encrypted_alarm_topic(crawl: Built) -> None:
    topic = crawl.one("aws:sns/topic:Topic", "alarms")
    assert topic.inputs["kmsMasterKeyId"] == crawl.one("aws:kms/key:Key", "data-key").outputs["arn"]
    for alarm in crawl.of_type(ALARM):
        assert alarm.inputs["alarmActions"] == [topic.outputs["arn"]]
    policy = json.loads(crawl.one("aws:sns/topicPolicy:TopicPolicy", "alarms").inputs["policy"])
    publish = next(s for s in policy["Statement"] if s["Effect"] == "Allow")
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}


def test_dashboard_and_budget_for_the_stage(run: Built) -> None:
    body = json.loads(run.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = {w["properties"]["title"] for w in body["widgets"]}
    assert {"Agent latency (ms)", "Tokens", "Tool invocations and failures"} <= titles
    budget = run.one("aws:budgets/budget:Budget")
    assert budget.inputs["limitAmount"] == "12000.00"
    assert budget.inputs["costFilters"] == [{"name": "TagKeyValue", "values": ["user:environment$run"]}]
    assert {n["notificationType"] for n in budget.inputs["notifications"]} == {"ACTUAL", "FORECASTED"}
