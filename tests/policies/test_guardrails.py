"""Guardrails family: pinned guardrails of this stack on every agent, strong filters, scoped agents."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from environments.models import DEFAULTS, ModelUse
from tests.policies.builders import Platform, Stack, U, allow, doc
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

Build = Callable[[Stack, Platform, dict[str, str]], str]


def _guardrail(name: str, change: Callable[[dict[str, Any]], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        guardrail, _ = p.guardrail(name, found["agents_key"])
        change(s[guardrail].inputs)
        return guardrail

    return build


def _filter(kind: str, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(inputs: dict[str, Any]) -> None:
        filters = inputs["contentPolicyConfig"]["filtersConfigs"]
        for entry in filters:
            if entry["type"] == kind:
                entry.update(changes)

    return change


def _without_filter(kind: str) -> Callable[[dict[str, Any]], None]:
    def change(inputs: dict[str, Any]) -> None:
        config = inputs["contentPolicyConfig"]
        config["filtersConfigs"] = [f for f in config["filtersConfigs"] if f["type"] != kind]

    return change


def _agent(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        agent = p.agent(name, found["agents_key"], found["guardrail"], found["guardrail_version"])
        change(s, agent)
        return agent

    return build


def _detached(s: Stack, agent: str) -> None:
    s.drop(agent, "guardrailConfigurations", prop="guardrailConfigurations")


def _draft(s: Stack, agent: str) -> None:
    s.set(agent, "guardrailConfigurations.0.guardrailVersion", "DRAFT")
    s[agent].property_dependencies["guardrailConfigurations"] = [
        u for u in s[agent].property_dependencies["guardrailConfigurations"] if "guardrailVersion" not in u
    ]


def _foreign_guardrail(s: Stack, agent: str) -> None:
    s.set(agent, "guardrailConfigurations.0.guardrailIdentifier", "gr-elsewhere")
    s.set(agent, "guardrailConfigurations.0.guardrailVersion", "3")
    s[agent].property_dependencies.pop("guardrailConfigurations")


def _agent_policy(name: str, document: str) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        agent = p.agent(name, found["agents_key"], found["guardrail"], found["guardrail_version"])
        s.set(s.urn("aws:iam/rolePolicy:RolePolicy", f"{name}-policy"), "policy", document)
        return agent

    return build


def _full_access_agent(s: Stack, p: Platform, found: dict[str, str]) -> str:
    agent = p.agent("case-full-access", found["agents_key"], found["guardrail"], found["guardrail_version"])
    s.set(
        s.urn("aws:iam/role:Role", "case-full-access-role"),
        "managedPolicyArns",
        ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"],
    )
    return agent


def _action_group(name: str, change: Callable[[Stack, str], None]) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        group = p.action_group(name, found["agent"], found["tool"])
        change(s, group)
        return group

    return build


def _unconfirmed(s: Stack, group: str) -> None:
    schema = json.loads(s[group].inputs["apiSchema"]["payload"])
    del schema["paths"]["/tickets"]["post"]["x-requireConfirmation"]
    s.set(group, "apiSchema.payload", json.dumps(schema))


def _foreign_collaborator(s: Stack, p: Platform, found: dict[str, str]) -> str:
    return s.add(
        "aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator",
        "case-foreign-collaborator",
        {
            "agentId": U,
            "collaboratorName": "x",
            "agentDescriptor": {"aliasArn": "arn:aws:bedrock:us-east-1:999999999999:agent-alias/A/B"},
        },
        {"agentId": [found["agent"]]},
    )


MODEL_ARN = "arn:aws:bedrock:us-east-1::foundation-model/"

CASES = [
    clean("bedrock-agent-guardrail-attached", "agent"),
    Case(
        "bedrock-agent-guardrail-attached",
        "guardrail detached",
        _agent("case-detached", _detached),
        contains="no guardrailConfigurations",
    ),
    Case("bedrock-agent-guardrail-attached", "DRAFT version", _agent("case-draft", _draft), contains="DRAFT"),
    Case(
        "bedrock-agent-guardrail-attached", "guardrail of another stack", _agent("case-foreign-gr", _foreign_guardrail)
    ),
    clean("bedrock-guardrail-prompt-attack", "guardrail"),
    Case(
        "bedrock-guardrail-prompt-attack",
        "LOW strength",
        _guardrail("case-pa-low", _filter("PROMPT_ATTACK", inputStrength="LOW")),
    ),
    Case(
        "bedrock-guardrail-prompt-attack",
        "detect only",
        _guardrail("case-pa-detect", _filter("PROMPT_ATTACK", inputAction="NONE")),
    ),
    Case(
        "bedrock-guardrail-prompt-attack",
        "filter missing",
        _guardrail("case-pa-missing", _without_filter("PROMPT_ATTACK")),
    ),
    clean("bedrock-guardrail-content-filters", "guardrail"),
    Case(
        "bedrock-guardrail-content-filters",
        "violence filter missing",
        _guardrail("case-no-violence", _without_filter("VIOLENCE")),
        contains="VIOLENCE",
    ),
    Case(
        "bedrock-guardrail-content-filters",
        "hate output MEDIUM",
        _guardrail("case-hate-medium", _filter("HATE", outputStrength="MEDIUM")),
    ),
    clean("bedrock-guardrail-sensitive-information", "guardrail"),
    Case(
        "bedrock-guardrail-sensitive-information",
        "no PII policy",
        _guardrail("case-no-pii", lambda i: i.pop("sensitiveInformationPolicyConfig")),
        contains="no sensitiveInformationPolicyConfig",
    ),
    Case(
        "bedrock-guardrail-sensitive-information",
        "passwords pass through",
        _guardrail(
            "case-no-password",
            lambda i: i["sensitiveInformationPolicyConfig"].update(
                piiEntitiesConfigs=[
                    e for e in i["sensitiveInformationPolicyConfig"]["piiEntitiesConfigs"] if e["type"] != "PASSWORD"
                ]
            ),
        ),
        contains="PASSWORD",
    ),
    clean("bedrock-guardrail-blocked-messaging", "guardrail"),
    Case(
        "bedrock-guardrail-blocked-messaging",
        "empty output message",
        _guardrail("case-no-message", lambda i: i.update(blockedOutputsMessaging="")),
    ),
    clean("bedrock-guardrail-contextual-grounding", "guardrail", stage="walk"),
    Case(
        "bedrock-guardrail-contextual-grounding",
        "no grounding in walk",
        _guardrail("case-ungrounded", lambda i: i.pop("contextualGroundingPolicyConfig")),
        stage="walk",
        contains="GROUNDING",
    ),
    Case(
        "bedrock-guardrail-contextual-grounding",
        "grounding threshold 0.3",
        _guardrail(
            "case-weak-grounding",
            lambda i: i["contextualGroundingPolicyConfig"]["filtersConfigs"][0].update(threshold=0.3),
        ),
    ),
    Case(
        "bedrock-guardrail-contextual-grounding",
        "no grounding needed in crawl",
        _guardrail("case-crawl-ungrounded", lambda i: i.pop("contextualGroundingPolicyConfig")),
        stage="crawl",
        expect="not-applicable",
    ),
    clean("bedrock-guardrail-language-tier", "guardrail"),
    Case(
        "bedrock-guardrail-language-tier",
        "Classic content filters in a Korean stage",
        _guardrail("case-classic", lambda i: i["contentPolicyConfig"].update(tierConfigs=[{"tierName": "CLASSIC"}])),
        contains="contentPolicyConfig uses the CLASSIC tier",
    ),
    Case(
        "bedrock-guardrail-language-tier",
        "no tier (the API's default, Classic)",
        _guardrail("case-no-tier", lambda i: i["contentPolicyConfig"].pop("tierConfigs")),
        stage="unresolved",
        contains="default (Classic)",
    ),
    Case(
        "bedrock-guardrail-language-tier",
        "Classic denied topics",
        _guardrail(
            "case-classic-topics",
            lambda i: i.update(
                topicPolicyConfig={
                    "topicsConfigs": [{"name": "credentials", "definition": "Credentials.", "type": "DENY"}],
                    "tierConfigs": [{"tierName": "CLASSIC"}],
                }
            ),
        ),
        stage="walk",
        contains="topicPolicyConfig",
    ),
    Case(
        "bedrock-guardrail-language-tier",
        "Standard without a guardrail profile",
        _guardrail("case-no-profile", lambda i: i.pop("crossRegionConfig")),
        contains="has no crossRegionConfig",
    ),
    Case(
        "bedrock-guardrail-language-tier",
        "the guardrail profile of another geography",
        _guardrail(
            "case-eu-profile", lambda i: i["crossRegionConfig"].update(guardrailProfileIdentifier="eu.guardrail.v1:0")
        ),
        contains="not us.guardrail.v1:0",
    ),
    Case(
        "bedrock-guardrail-language-tier",
        "Classic in an English-only stage",
        _guardrail(
            "case-english-classic",
            lambda i: (
                i["contentPolicyConfig"].update(tierConfigs=[{"tierName": "CLASSIC"}]),
                i.pop("crossRegionConfig"),
            ),
        ),
        stage="crawl-en",
        expect="not-applicable",
    ),
    clean("bedrock-agent-role-scoped", "agent"),
    Case(
        "bedrock-agent-role-scoped",
        "AmazonBedrockFullAccess on the agent role",
        _full_access_agent,
        contains="AmazonBedrockFullAccess",
    ),
    Case(
        "bedrock-agent-role-scoped",
        "bedrock:* granted",
        _agent_policy("case-bedrock-star", doc(allow("bedrock:*", MODEL_ARN + "x"))),
    ),
    Case(
        "bedrock-agent-role-scoped",
        "InvokeModel on every model",
        _agent_policy("case-any-model", doc(allow("bedrock:InvokeModel", MODEL_ARN + "*"))),
        contains="not scoped to one model",
    ),
    Case(
        "bedrock-agent-role-scoped",
        "InvokeModel on another model only",
        _agent_policy(
            "case-other-model", doc(allow("bedrock:InvokeModel", MODEL_ARN + DEFAULTS[ModelUse.STRONG].model_id))
        ),
        contains="another model than the agent's",
    ),
    clean("bedrock-action-group-confirmation", "action_group"),
    Case(
        "bedrock-action-group-confirmation",
        "POST without confirmation",
        _action_group("case-unconfirmed", _unconfirmed),
        contains="POST /tickets",
    ),
    Case(
        "bedrock-action-group-confirmation",
        "schema kept in S3",
        _action_group(
            "case-s3-schema", lambda s, g: s.set(g, "apiSchema", {"s3": {"s3BucketName": "b", "s3ObjectKey": "k"}})
        ),
    ),
    Case(
        "bedrock-action-group-confirmation",
        "function schema",
        _action_group(
            "case-function-schema",
            lambda s, g: (
                s.drop(g, "apiSchema"),
                s.set(g, "functionSchema", {"memberFunctions": {"functions": [{"name": "f"}]}}),
            ),
        ),
    ),
    Case(
        "bedrock-action-group-confirmation",
        "schema unknown in preview",
        _action_group("case-unknown-schema", lambda s, g: s.set(g, "apiSchema.payload", U)),
        expect="not-applicable",
    ),
    clean("bedrock-collaborators-in-stack", "collaborator"),
    Case("bedrock-collaborators-in-stack", "collaborator outside the stack", _foreign_collaborator),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])
