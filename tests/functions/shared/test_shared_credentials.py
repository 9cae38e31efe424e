"""shared.credentials: the AgentCore Identity API key, cached per container, refreshed by age or on refusal."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from shared.credentials import ApiKeyProvider, CredentialError

from tests.functions.fakes import FakeClock

WORKLOAD = "agent-platform-run-public-holidays"
PROVIDER = "agent-platform-run-data-go-kr"


def queue_key(stubber: Stubber, key: str) -> None:
    stubber.add_response("get_workload_access_token", {"workloadAccessToken": "t"}, {"workloadName": WORKLOAD})
    stubber.add_response(
        "get_resource_api_key",
        {"apiKey": key},
        {"workloadIdentityToken": "t", "resourceCredentialProviderName": PROVIDER},
    )


@pytest.fixture
def identity():
    client = boto3.client("bedrock-agentcore", region_name="ap-northeast-2")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_the_key_is_fetched_once_then_again_after_its_age_or_a_refusal(identity):
    # GIVEN three keys handed out one after another
    client, stubber = identity
    for key in ("k1", "k2", "k3"):
        queue_key(stubber, key)
    clock = FakeClock()
    provider = ApiKeyProvider(
        lambda: client, workload_name=WORKLOAD, provider_name=PROVIDER, max_age_seconds=60, clock=clock
    )

    # WHEN it is read within its age, after it, and after the API refused it
    first, cached = provider.get(), provider.get()
    clock.advance(61)
    aged = provider.get()
    provider.invalidate()
    refreshed = provider.get()

    # THEN AgentCore Identity was asked exactly three times, and the repr never shows a key
    assert (first, cached, aged, refreshed) == ("k1", "k1", "k2", "k3")
    assert "k3" not in repr(provider)


def test_a_refusal_names_provider_and_code_but_not_the_message(identity):
    client, stubber = identity
    stubber.add_client_error("get_workload_access_token", "ResourceNotFoundException", "workload x secret y", 404)
    provider = ApiKeyProvider(lambda: client, workload_name=WORKLOAD, provider_name=PROVIDER)
    with pytest.raises(CredentialError, match="ResourceNotFoundException") as caught:
        provider.get()
    assert "secret y" not in str(caught.value) and caught.value.__cause__ is None
