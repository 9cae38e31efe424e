from __future__ import annotations

import json

from components.orchestration.workflow_definition import WORKFLOW_TIMEOUT_SECONDS
from tests.components.harness import Built


def test_each_entry_agent_has_an_express_workflow_that_is_encrypted_logged_and_traced(walk: Built) -> None:
    machines = walk.of_type("aws:sfn/stateMachine:StateMachine")
    assert sorted(m.inputs["name"] for m in machines) == [
        "ap_walk_hr-assistant_workflow",
        "ap_walk_incident-analyst_workflow",
        "ap_walk_support-assistant_workflow",
    ]
    data_key = walk.one("aws:kms/key:Key", "data-key").outputs["arn"]
    for machine in machines:
        assert machine.inputs["type"] == "EXPRESS"
        assert machine.inputs["encryptionConfiguration"]["type"] == "CUSTOMER_MANAGED_KMS_KEY"
        assert machine.inputs["encryptionConfiguration"]["kmsKeyId"] == data_key
        assert machine.inputs["loggingConfiguration"]["level"] == "ALL"
        assert machine.inputs["tracingConfiguration"] == {"enabled": True}
        group = walk.by_urn(machine.property_dependencies["loggingConfiguration"][0])
        assert machine.inputs["loggingConfiguration"]["logDestination"] == f"{group.outputs['arn']}:*"
        definition = json.loads(machine.inputs["definition"])
        assert definition["QueryLanguage"] == "JSONata" and definition["TimeoutSeconds"] == WORKFLOW_TIMEOUT_SECONDS


def test_the_workflow_role_is_scoped_to_its_agents_steps_knowledge_and_guardrail(walk: Built) -> None:
    machine = walk.one("aws:sfn/stateMachine:StateMachine", "support-assistant")
    policy = next(p for p in walk.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == machine.parent)
    statements = walk.statements(policy)
    function = walk.one("aws:lambda/function:Function", "support-assistant-orchestrator")
    assert statements["RunOrchestratorSteps"]["Resource"] == [function.outputs["arn"], f"{function.outputs['arn']}:*"]
    knowledge = walk.one("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", "support-handbook")
    assert statements["RetrieveKnowledge"]["Resource"] == knowledge.outputs["arn"]
    assert statements["EncryptExecutionData"]["Condition"]["StringEquals"] == {
        "kms:EncryptionContext:aws:states:stateMachineArn": machine.outputs["arn"]
    }
    role = walk.by_urn(policy.property_dependencies["role"][0])
    [trust] = walk.document(role, "assumeRolePolicy")["Statement"]
    assert trust["Principal"] == {"Service": "states.amazonaws.com"}
    assert trust["Condition"]["ArnEquals"] == {"aws:SourceArn": machine.outputs["arn"]}


def test_the_definition_names_the_real_targets(walk: Built) -> None:
    machine = walk.one("aws:sfn/stateMachine:StateMachine", "support-assistant")
    states = json.loads(machine.inputs["definition"])["States"]
    function = walk.one("aws:lambda/function:Function", "support-assistant-orchestrator")
    queue = walk.one("aws:sqs/queue:Queue", "escalation-queue-queue")
    assert states["InvokeAgent"]["Arguments"]["FunctionName"] == function.outputs["arn"]
    assert states["Escalate"]["Arguments"]["QueueUrl"] == queue.outputs["url"]
    knowledge = walk.one("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", "support-handbook")
    assert (
        states["Retrieve"]["Branches"][0]["States"]["Search0"]["Arguments"]["KnowledgeBaseId"]
        == knowledge.outputs["id"]
    )


def test_the_workflow_answers_escalations_with_the_orchestrators_text_in_the_stage_language(walk: Built) -> None:
    # The stage's first language is Korean (no `languages` list: the default).
    from orchestrator.messages import messages_for

    machine = walk.one("aws:sfn/stateMachine:StateMachine", "support-assistant")
    states = json.loads(machine.inputs["definition"])["States"]
    assert states["Escalate"]["Assign"]["reply"]["answer"] == messages_for("ko").handed_to_human
