"""kb-sync through its Lambda handler, with bedrock-agent stubbed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber
from kb_sync import handler
from kb_sync.config import KbSyncConfig, parse_sources
from kb_sync.ingestion import client_token
from shared.aws import client
from shared.config import ConfigError
from shared.errors import InvalidInputError

from tests.events import load_event
from tests.functions.fakes import LambdaContext, emitted_metrics

SOURCES = {
    "product-docs": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "prefix": "product-docs/"},
    "policies": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS87654321", "prefix": "policies/"},
}
RUNNING_FILTER = [{"attribute": "STATUS", "operator": "EQ", "values": ["STARTING", "IN_PROGRESS"]}]


@pytest.fixture
def bedrock(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    monkeypatch.setenv("KNOWLEDGE_SOURCES", json.dumps(SOURCES))
    monkeypatch.setenv("DOCUMENTS_BUCKET", "agent-platform-walk-documents")
    handler.service.reset()
    stubber = Stubber(client("bedrock-agent", handler.BEDROCK_AGENT))
    with stubber:
        yield stubber
        stubber.assert_no_pending_responses()
    handler.service.reset()


def expect_no_running_job(stubber: Stubber, data_source: str = "DS12345678") -> None:
    stubber.add_response(
        "list_ingestion_jobs",
        {"ingestionJobSummaries": []},
        {"knowledgeBaseId": "KB12345678", "dataSourceId": data_source, "filters": RUNNING_FILTER, "maxResults": 1},
    )


def ingestion_job(job_id: str = "JOB1234567", data_source: str = "DS12345678") -> dict[str, Any]:
    return {
        "ingestionJob": {
            "knowledgeBaseId": "KB12345678",
            "dataSourceId": data_source,
            "ingestionJobId": job_id,
            "status": "STARTING",
            "startedAt": "2025-03-10T13:42:11Z",
            "updatedAt": "2025-03-10T13:42:11Z",
        }
    }


def test_an_uploaded_document_starts_an_ingestion_job_once(bedrock, capsys):
    # GIVEN the documented S3 "Object Created" event for a product-docs document
    event = load_event("eventbridge_s3_object_created")
    expect_no_running_job(bedrock)
    source = parse_sources(SOURCES)["product-docs"]
    bedrock.add_response(
        "start_ingestion_job",
        ingestion_job(),
        {
            "knowledgeBaseId": "KB12345678",
            "dataSourceId": "DS12345678",
            # derived from the EventBridge event id: Lambda's async retries reuse it
            "clientToken": client_token(event["id"], source),
            "description": "Object Created: product-docs/vpn/troubleshooting.md",
        },
    )

    # WHEN the function runs
    result = handler.lambda_handler(event, LambdaContext())

    # THEN one job started for that source, and it was counted
    assert result == {"outcome": "started", "source": "product-docs", "ingestionJobId": "JOB1234567"}
    assert emitted_metrics(capsys.readouterr().out) == {"IngestionJobsStarted": 1}


def test_a_deleted_document_also_syncs_its_source(bedrock):
    # GIVEN an "Object Deleted" event
    expect_no_running_job(bedrock)
    bedrock.add_response("start_ingestion_job", ingestion_job())

    # WHEN it runs, THEN the source is re-synced (Bedrock removes the document from the index)
    assert handler.lambda_handler(load_event("eventbridge_s3_object_deleted"), LambdaContext())["outcome"] == "started"


def test_a_running_job_is_not_started_twice(bedrock, capsys):
    # GIVEN a job already in progress for the data source
    bedrock.add_response(
        "list_ingestion_jobs",
        {
            "ingestionJobSummaries": [
                {
                    "knowledgeBaseId": "KB12345678",
                    "dataSourceId": "DS12345678",
                    "ingestionJobId": "JOBRUNNING1",
                    "status": "IN_PROGRESS",
                    "startedAt": "2025-03-10T13:40:00Z",
                    "updatedAt": "2025-03-10T13:41:00Z",
                }
            ]
        },
    )

    # WHEN another document lands
    result = handler.lambda_handler(load_event("eventbridge_s3_object_created"), LambdaContext())

    # THEN nothing new starts (the Stubber would fail on an unexpected start_ingestion_job)
    assert result["outcome"] == "already_running" and result["ingestionJobId"] == "JOBRUNNING1"
    assert "IngestionJobsStarted" not in emitted_metrics(capsys.readouterr().out)


def test_a_conflict_from_bedrock_means_already_running(bedrock):
    # GIVEN a job started between the check and the start
    expect_no_running_job(bedrock)
    bedrock.add_client_error("start_ingestion_job", "ConflictException", "job in progress", 409)

    # WHEN the function runs, THEN it is not a failure
    assert handler.lambda_handler(load_event("eventbridge_s3_object_created"), LambdaContext())["outcome"] == (
        "already_running"
    )


def test_objects_outside_every_source_prefix_are_ignored(bedrock):
    # GIVEN a key outside product-docs/ and policies/
    event = load_event("eventbridge_s3_object_created")
    event["detail"]["object"]["key"] = "drafts/unreviewed.md"

    # WHEN the function runs, THEN no Bedrock call is made
    assert handler.lambda_handler(event, LambdaContext())["outcome"] == "ignored"


def test_events_for_another_bucket_are_ignored(bedrock):
    # GIVEN an event from a bucket that is not the documents bucket
    event = load_event("eventbridge_s3_object_created")
    event["detail"]["bucket"]["name"] = "someone-elses-bucket"

    # WHEN the function runs, THEN it is ignored
    assert handler.lambda_handler(event, LambdaContext())["outcome"] == "ignored"


def test_the_schedule_syncs_its_source_with_a_retry_stable_token(bedrock):
    # GIVEN the scheduler payload, and the Lambda request id async retries keep
    context = LambdaContext(aws_request_id="7f5c2a1e-0000-4000-8000-000000000001")
    source = parse_sources(SOURCES)["product-docs"]
    for _ in range(2):
        expect_no_running_job(bedrock)
        bedrock.add_response(
            "start_ingestion_job",
            ingestion_job(),
            {
                "knowledgeBaseId": "KB12345678",
                "dataSourceId": "DS12345678",
                "clientToken": client_token(context.aws_request_id, source),
                "description": "scheduled sync of product-docs",
            },
        )

    # WHEN the same invocation is retried, THEN both attempts use the same clientToken (checked by the Stubber)
    for _ in range(2):
        assert handler.lambda_handler(load_event("scheduler_kb_sync"), context)["outcome"] == "started"


def test_bedrock_failures_are_counted_and_raised_for_the_async_retry(bedrock, capsys):
    # GIVEN Bedrock refuses the job
    expect_no_running_job(bedrock)
    bedrock.add_client_error("start_ingestion_job", "ValidationException", "data source is deleting", 400)

    # WHEN the function runs, THEN it raises (Lambda retries, then the on-failure destination keeps the event)
    with pytest.raises(Exception, match="starting ingestion for product-docs failed"):
        handler.lambda_handler(load_event("eventbridge_s3_object_created"), LambdaContext())
    assert emitted_metrics(capsys.readouterr().out) == {"IngestionFailures": 1}


@pytest.mark.parametrize(
    "event",
    [{"source": "unknown-source"}, {"source": "aws.s3", "detail-type": "Object Restore Completed", "detail": {}}, []],
)
def test_misrouted_events_fail_loudly(bedrock, capsys, event):
    # GIVEN an event the function was never meant to get
    # WHEN it runs, THEN it raises the caller's error (the on-failure destination keeps the event)
    with pytest.raises(InvalidInputError):
        handler.lambda_handler(event, LambdaContext())
    # AND it is not an ingestion failure: alarms on IngestionFailures watch Bedrock, not the callers
    assert emitted_metrics(capsys.readouterr().out) == {}


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ("{}", "non-empty JSON object"),
        ('{"a": {"knowledgeBaseId": "short", "dataSourceId": "DS12345678", "prefix": "a/"}}', "a.knowledgeBaseId"),
        ('{"a": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "prefix": "a"}}', "a.prefix"),
        ("not json", "not valid JSON"),
    ],
)
def test_a_bad_knowledge_sources_setting_names_the_problem(sources, message):
    # GIVEN a malformed KNOWLEDGE_SOURCES, WHEN the config is read, THEN the error says what to fix
    with pytest.raises(ConfigError, match=message):
        KbSyncConfig.from_env({"STAGE": "walk", "DOCUMENTS_BUCKET": "b", "KNOWLEDGE_SOURCES": sources})


def test_the_longest_prefix_wins():
    # GIVEN nested prefixes
    config = KbSyncConfig.from_env(
        {
            "STAGE": "walk",
            "DOCUMENTS_BUCKET": "b",
            "KNOWLEDGE_SOURCES": json.dumps(
                {
                    "docs": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "prefix": "docs/"},
                    "docs-api": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS00000001", "prefix": "docs/api/"},
                }
            ),
        }
    )
    # WHEN a key under both is mapped, THEN the more specific source owns it
    assert config.source_for_key("docs/api/v1.md").name == "docs-api"
    assert config.source_for_key("docs/intro.md").name == "docs"
