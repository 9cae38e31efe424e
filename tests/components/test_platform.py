"""The tier matrix, as the three shipped stages build it."""

from __future__ import annotations

import json

import yaml

from components.base.naming import Kind
from environments import ENVIRONMENTS_DIR, parse_environment
from tests.components.harness import Built, build_platform

LIMITS = {
    "aws:iam/role:Role": ("name", Kind.IAM_ROLE),
    "aws:s3/bucket:Bucket": ("bucket", Kind.S3_BUCKET),
    "aws:lambda/function:Function": ("name", Kind.LAMBDA),
    "aws:dynamodb/table:Table": ("name", Kind.DYNAMODB_TABLE),
    "aws:sqs/queue:Queue": ("name", Kind.SQS_QUEUE),
    "aws:sns/topic:Topic": ("name", Kind.SNS_TOPIC),
    "aws:sfn/stateMachine:StateMachine": ("name", Kind.STATE_MACHINE),
    "aws:bedrock/agentAgent:AgentAgent": ("agentName", Kind.BEDROCK_AGENT),
    "aws:bedrock/guardrail:Guardrail": ("name", Kind.BEDROCK_GUARDRAIL),
    "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": ("name", Kind.BEDROCK_KNOWLEDGE_BASE),
    "aws:s3/vectorsIndex:VectorsIndex": ("indexName", Kind.S3_VECTOR_INDEX),
    "aws:cloudwatch/eventRule:EventRule": ("name", Kind.EVENT_RULE),
    "aws:scheduler/schedule:Schedule": ("name", Kind.SCHEDULE),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", Kind.ALARM),
}


def test_each_tier_builds_every_kind_of_resource_of_the_one_below_and_more(stages: dict[str, Built]) -> None:
    # Kinds, not counts: walk declares more entry agents than run, and each has its own orchestrator.
    # The account's singletons belong to whichever stage owns them (environment file), not to a tier.
    crawl, walk, run = (
        {r.type for r in stages[s].resources if ":AccountSingletons" not in r.urn} for s in ("crawl", "walk", "run")
    )
    assert crawl < walk, sorted(crawl - walk)
    assert walk < run, sorted(walk - run)


def test_run_has_multi_agent_collaboration_workflow_waf_and_cognito(run: Built) -> None:
    assert len(run.of_type("aws:bedrock/agentAgent:AgentAgent")) >= 5
    assert len(run.of_type("aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator")) >= 4
    assert run.of_type("aws:sfn/stateMachine:StateMachine")
    assert run.of_type("aws:wafv2/webAcl:WebAcl")
    assert run.of_type("aws:cognito/userPool:UserPool")


def test_crawl_is_the_minimal_tier(crawl: Built) -> None:
    assert len(crawl.of_type("aws:bedrock/agentAgent:AgentAgent")) == 1
    for capability in ("aws:sfn/stateMachine:StateMachine", "aws:cognito/userPool:UserPool", "aws:wafv2/webAcl:WebAcl"):
        assert not crawl.of_type(capability)


def test_every_agent_has_a_guardrail_and_every_function_a_log_group(stages: dict[str, Built]) -> None:
    for built in stages.values():
        for agent in built.of_type("aws:bedrock/agentAgent:AgentAgent"):
            assert agent.inputs["guardrailConfigurations"][0]["guardrailVersion"]
        groups = {g.inputs["name"] for g in built.of_type("aws:cloudwatch/logGroup:LogGroup")}
        for function in built.of_type("aws:lambda/function:Function"):
            assert function.inputs["loggingConfig"]["logGroup"] in groups


def test_every_resource_is_tagged_for_cost_through_the_provider(stages: dict[str, Built]) -> None:
    for stage, built in stages.items():
        provider = next(
            r for r in built.resources if r.type == "pulumi:providers:aws" and not r.name.startswith("default")
        )
        # Providers receive nested configuration JSON-encoded, as the engine hands it to them.
        tags = json.loads(provider.inputs["defaultTags"])["tags"]
        assert {"environment": stage, "tier": stage}.items() <= tags.items()
        assert {"owner", "cost-center"} <= set(tags)
        custom = [r for r in built.resources if r.custom and not r.type.startswith("pulumi:")]
        assert all(r.provider.startswith(provider.urn) for r in custom)


def test_names_are_unique_and_within_aws_limits(stages: dict[str, Built]) -> None:
    for built in stages.values():
        for type_, (prop, kind) in LIMITS.items():
            names = [r.inputs[prop] for r in built.of_type(type_)]
            assert len(names) == len(set(names)), f"duplicate {type_} names"
            for name in names:
                assert len(name) <= kind.max_length, name
                assert not kind.lowercase or name == name.lower(), name


def test_a_stage_without_knowledge_sources_builds_no_knowledge_resources() -> None:
    data = yaml.safe_load((ENVIRONMENTS_DIR / "crawl.yaml").read_text())
    data["knowledge_sources"] = []
    data["agents"][0]["knowledge_sources"] = []
    built = build_platform(parse_environment(data))
    assert not built.of_type("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase")
    assert not built.of_type("aws:s3/vectorsVectorBucket:VectorsVectorBucket")
    assert not [f for f in built.of_type("aws:lambda/function:Function") if "kb-sync" in f.inputs["name"]]
