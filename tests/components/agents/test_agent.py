from __future__ import annotations

import json

from engine.fake_cloud import ACCOUNT_ID
from environments.models import DEFAULTS, ModelUse, invocation
from tests.components.harness import REGION, Built

LIGHT = invocation(DEFAULTS[ModelUse.LIGHT].model_id, REGION)
STRONG = invocation(DEFAULTS[ModelUse.STRONG].model_id, REGION)

AGENT = "aws:bedrock/agentAgent:AgentAgent"


def _policy(built: Built, agent_name: str) -> dict[str, dict]:
    agent = built.one(AGENT, f"{agent_name}-agent-agent")
    policy = next(p for p in built.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == agent.parent)
    return built.statements(policy)


def test_the_agent_is_encrypted_guarded_with_a_pinned_version_and_remembers(crawl: Built) -> None:
    agent = crawl.one(AGENT, "support-assistant")
    guardrail = crawl.one("aws:bedrock/guardrail:Guardrail")
    version = crawl.one("aws:bedrock/guardrailVersion:GuardrailVersion")
    assert agent.inputs["customerEncryptionKeyArn"] == crawl.one("aws:kms/key:Key", "agents-key").outputs["arn"]
    assert agent.inputs["guardrailConfigurations"] == [
        {"guardrailIdentifier": guardrail.outputs["guardrailId"], "guardrailVersion": version.outputs["version"]}
    ]
    assert set(agent.property_dependencies["guardrailConfigurations"]) == {guardrail.urn, version.urn}
    assert agent.inputs["memoryConfigurations"][0]["enabledMemoryTypes"] == ["SESSION_SUMMARY"]
    assert agent.inputs["idleSessionTtlInSeconds"] == 600
    assert agent.inputs["agentName"] == "ap_crawl_support-assistant"
    assert agent.inputs["agentCollaboration"] == "DISABLED"


def test_the_role_is_scoped_to_its_model_guardrail_knowledge_and_key(crawl: Built) -> None:
    statements = _policy(crawl, "support-assistant")
    profile = f"arn:aws:bedrock:us-east-1:{ACCOUNT_ID}:inference-profile/{LIGHT.model_id}"
    # AWS's geographic cross-Region form: the profile, and the model in every Region it routes to, through it
    assert statements["InvokeOwnModelProfile"]["Resource"] == profile
    assert statements["InvokeOwnModelModels"]["Resource"] == [
        f"arn:aws:bedrock:{region}::foundation-model/{LIGHT.model.model_id}" for region in sorted(LIGHT.destinations)
    ]
    assert statements["InvokeOwnModelModels"]["Condition"] == {"StringEquals": {"bedrock:InferenceProfileArn": profile}}
    assert (
        statements["ApplyOwnGuardrail"]["Resource"]
        == crawl.one("aws:bedrock/guardrail:Guardrail").outputs["guardrailArn"]
    )
    assert statements["ApplyOwnGuardrailProfile"]["Action"] == ["bedrock:ApplyGuardrail"]
    assert (
        statements["RetrieveOwnKnowledge"]["Resource"]
        == crawl.one("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase").outputs["arn"]
    )
    assert statements["UseAgentKey"]["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/ap_crawl_agents"]},
        "StringEquals": {"kms:ViaService": "bedrock.us-east-1.amazonaws.com"},
    }


def test_the_model_follows_the_agents_class(walk: Built) -> None:
    strong = walk.one(AGENT, "incident-analyst")
    light = walk.one(AGENT, "hr-assistant")
    assert strong.inputs["foundationModel"] == STRONG.model_id
    assert light.inputs["foundationModel"] == LIGHT.model_id
    assert "RetrieveOwnKnowledge" not in _policy(walk, "incident-analyst")


def test_each_tool_is_an_action_group_whose_lambda_only_this_agent_may_invoke(crawl: Built) -> None:
    agent = crawl.one(AGENT, "support-assistant")
    for tool in ("ticket-lookup", "ticket-create"):
        group = crawl.one("aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup", f"{tool}-action-group")
        permission = crawl.one("aws:lambda/permission:Permission", f"agent-{tool}-invoke")
        function = crawl.one("aws:lambda/function:Function", f"{tool}-tool")
        assert group.inputs["actionGroupExecutor"] == {"lambda": function.outputs["arn"]}
        assert json.loads(group.inputs["apiSchema"]["payload"])["openapi"].startswith("3.0")
        assert permission.inputs["principal"] == "bedrock.amazonaws.com"
        assert permission.inputs["sourceArn"] == agent.outputs["agentArn"]
        alias = crawl.one("aws:bedrock/agentAgentAlias:AgentAgentAlias")
        assert {permission.urn, group.urn} <= set(alias.dependencies)  # both exist before the agent is published


def test_the_alias_is_published_after_everything_attached_to_the_agent(crawl: Built) -> None:
    alias = crawl.one("aws:bedrock/agentAgentAlias:AgentAgentAlias")
    attached = crawl.of_type("aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup") + crawl.of_type(
        "aws:bedrock/agentAgentKnowledgeBaseAssociation:AgentAgentKnowledgeBaseAssociation"
    )
    assert attached and all(part.urn in alias.dependencies for part in attached)


def test_the_coordinator_supervises_four_collaborators_through_their_aliases(run: Built) -> None:
    coordinator = run.one(AGENT, "coordinator")
    links = run.of_type("aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator")
    assert coordinator.inputs["agentCollaboration"] == "SUPERVISOR"
    assert sorted(link.inputs["collaboratorName"] for link in links) == [
        "analysis-agent",
        "execution-agent",
        "search-agent",
        "validation-agent",
    ]
    aliases = {a.outputs["agentAliasArn"] for a in run.of_type("aws:bedrock/agentAgentAlias:AgentAgentAlias")}
    assert all(link.inputs["agentDescriptor"]["aliasArn"] in aliases for link in links)
    invoke = _policy(run, "coordinator")["InvokeCollaborators"]
    assert sorted(invoke["Action"]) == ["bedrock:GetAgentAlias", "bedrock:InvokeAgent"]
    assert len(invoke["Resource"]) == 4
