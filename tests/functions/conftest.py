"""Fixtures for the Lambda functions: fake AWS (moto + botocore Stubber), never a real account.

The environment is set at import time because Powertools reads it when handler modules are imported.
"""

from __future__ import annotations

import os

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_METRICS_NAMESPACE": "AgentPlatform",
        "POWERTOOLS_SERVICE_NAME": "agent-platform-tests",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "POWERTOOLS_DEV": "false",
        "STAGE": "test",
    }
)

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from shared.aws import reset_clients

from tests.functions.fakes import LambdaContext

SESSION_TABLE = "agent-platform-test-sessions"
TICKETS_TABLE = "agent-platform-test-tickets"


@pytest.fixture
def aws() -> Iterator[None]:
    """moto for DynamoDB/S3/SQS/SNS; the cached platform clients are rebuilt inside the mock."""
    reset_clients()
    with mock_aws():
        yield
    reset_clients()


@pytest.fixture
def dynamodb(aws: None) -> Any:
    return boto3.client("dynamodb", region_name="us-east-1")


@pytest.fixture
def session_table(dynamodb: Any) -> str:
    dynamodb.create_table(
        TableName=SESSION_TABLE,
        KeySchema=[{"AttributeName": "session_id", "KeyType": "HASH"}, {"AttributeName": "turn", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "session_id", "AttributeType": "S"},
            {"AttributeName": "turn", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=SESSION_TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
    return SESSION_TABLE


@pytest.fixture
def tickets_table(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    dynamodb.create_table(
        TableName=TICKETS_TABLE,
        KeySchema=[{"AttributeName": "ticket_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "ticket_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    monkeypatch.setenv("TICKETS_TABLE_NAME", TICKETS_TABLE)
    return TICKETS_TABLE


@pytest.fixture
def sqs(aws: None) -> Any:
    return boto3.client("sqs", region_name="us-east-1")


@pytest.fixture
def escalation_queue(sqs: Any) -> str:
    return sqs.create_queue(QueueName="agent-platform-test-escalations")["QueueUrl"]


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()
