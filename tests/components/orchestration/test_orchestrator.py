from __future__ import annotations

from environments.models import DEFAULTS, ModelUse, invocation
from tests.components.harness import REGION, Built

LIGHT = invocation(DEFAULTS[ModelUse.LIGHT].model_id, REGION)


def _orchestrator(built: Built, agent: str):
    function = built.one("aws:lambda/function:Function", f"{agent}-orchestrator")
    policy = next(p for p in built.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    return function, built.statements(policy)


def test_the_orchestrator_may_invoke_exactly_its_agents_alias(crawl: Built) -> None:
    function, statements = _orchestrator(crawl, "support-assistant")
    alias = crawl.one("aws:bedrock/agentAgentAlias:AgentAgentAlias")
    assert statements["InvokeOwnAgent"]["Resource"] == alias.outputs["agentAliasArn"]
    variables = function.inputs["environment"]["variables"]
    assert variables["AGENT_ALIAS_ID"] == alias.outputs["agentAliasId"]
    assert variables["FALLBACK_MODEL_ID"] == LIGHT.model_id  # the light model, through the stage's profile
    assert statements["FallbackModelProfile"]["Resource"].endswith(f"inference-profile/{LIGHT.model_id}")
    assert statements["FallbackModelModels"]["Action"] == ["bedrock:InvokeModel"]
    assert statements["FallbackGuardrailProfile"]["Resource"][0].endswith("guardrail-profile/us.guardrail.v1:0")


def test_crawl_has_no_escalation_queue_walk_does(crawl: Built, walk: Built) -> None:
    crawl_function, crawl_statements = _orchestrator(crawl, "support-assistant")
    walk_function, walk_statements = _orchestrator(walk, "support-assistant")
    assert "ESCALATION_QUEUE_URL" not in crawl_function.inputs["environment"]["variables"]
    assert "Escalate" not in crawl_statements
    queue = walk.one("aws:sqs/queue:Queue", "escalation-queue-queue")
    assert walk_function.inputs["environment"]["variables"]["ESCALATION_QUEUE_URL"] == queue.outputs["url"]
    assert walk_statements["Escalate"]["Resource"] == queue.outputs["arn"]


def test_collaborators_have_no_orchestrator(run: Built) -> None:
    names = sorted(
        f.inputs["name"] for f in run.of_type("aws:lambda/function:Function") if "orchestrator" in f.inputs["name"]
    )
    assert names == ["ap_run_coordinator_orchestrator"]


def test_the_orchestrator_speaks_the_stages_first_language(crawl: Built, walk: Built) -> None:
    # Neither stage lists `languages` yet: Korean, the platform's default.
    for built in (crawl, walk):
        function, _ = _orchestrator(built, "support-assistant")
        assert function.inputs["environment"]["variables"]["AGENT_LANGUAGE"] == "ko"
