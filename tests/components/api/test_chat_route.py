from __future__ import annotations

import pytest

from components.api.chat_route import SYNC_WORKFLOW_RESPONSE
from tests.components.harness import Built


def test_the_workflow_response_passes_status_and_body_through() -> None:
    assert "$context.responseOverride.status = $output.statusCode" in SYNC_WORKFLOW_RESPONSE
    assert "$output.body" in SYNC_WORKFLOW_RESPONSE


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_route_resources_keep_the_urns_they_had_as_the_gateways_own(stages: dict[str, Built], stage: str) -> None:
    # GIVEN each entry agent's route, a component of the gateway since routes were split out of it
    built = stages[stage]
    gateway = built.one("agent-platform:api:Gateway")
    routes = built.of_type("agent-platform:api:ChatRoute")
    assert routes and all(route.parent == gateway.urn for route in routes)
    for route in routes:
        children = [r for r in built.resources if r.parent == route.urn]
        assert {c.type for c in children} >= {"aws:apigateway/resource:Resource", "aws:apigateway/method:Method"}
        for child in children:
            # THEN each carries an alias to the URN it had as the gateway's child: a `pulumi up` updates, not replaces
            assert child.urn.replace("agent-platform:api:ChatRoute$", "agent-platform:api:Gateway$") in child.aliases
