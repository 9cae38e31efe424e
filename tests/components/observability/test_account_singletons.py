from __future__ import annotations

from tests.components.harness import Built

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def _metrics_of(alarm) -> set[str]:
    if "metricName" in alarm.inputs:
        return {alarm.inputs["metricName"]}
    return {q["metric"]["metricName"] for q in alarm.inputs["metricQueries"] if "metric" in q}


def test_account_singletons_exist_only_in_their_owner_stage(stages: dict[str, Built]) -> None:
    owners = {stage for stage, built in stages.items() if built.of_type("aws:apigateway/account:Account")}
    assert owners == {"crawl", "run"}  # crawl owns the non-prod account, run the prod account
    for stage in owners:
        built = stages[stage]
        logging = built.one("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration")
        [group] = [built.by_urn(u) for u in logging.property_dependencies["loggingConfig"] if "logGroup:LogGroup" in u]
        assert group.inputs["kmsKeyId"] == built.one("aws:kms/key:Key", "logs-key").outputs["arn"]
    assert not stages["walk"].of_type("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration")
