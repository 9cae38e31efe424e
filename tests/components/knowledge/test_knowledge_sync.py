from __future__ import annotations

import json

from tests.components.harness import Built


def test_documents_changes_and_schedules_trigger_ingestion_with_failures_kept(walk: Built) -> None:
    function = walk.one("aws:lambda/function:Function", "kb-sync")
    sources = json.loads(function.inputs["environment"]["variables"]["KNOWLEDGE_SOURCES"])
    assert set(sources) == {"support-handbook", "hr-policies"} and sources["hr-policies"]["prefix"] == "hr-policies/"
    rule = walk.one("aws:cloudwatch/eventRule:EventRule", "documents-changed")
    assert json.loads(rule.inputs["eventPattern"])["detail-type"] == ["Object Created", "Object Deleted"]
    failures = walk.one("aws:sqs/queue:Queue", "kb-sync-failures")
    target = walk.one("aws:cloudwatch/eventTarget:EventTarget", "documents-changed-target")
    assert target.inputs["deadLetterConfig"] == {"arn": failures.outputs["arn"]}
    async_config = walk.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
    assert async_config.inputs["destinationConfig"]["onFailure"]["destination"] == failures.outputs["arn"]
    schedules = {s.inputs["name"]: s for s in walk.of_type("aws:scheduler/schedule:Schedule")}
    assert schedules["ap_walk_kb-sync_hr-policies"].inputs["scheduleExpression"] == "rate(12 hours)"
    assert json.loads(schedules["ap_walk_kb-sync_hr-policies"].inputs["target"]["input"]) == {"source": "hr-policies"}
