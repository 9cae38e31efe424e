"""Models family: every model a stage calls is Active in the catalogue and answers in the stage's Region."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from environments.models import CATALOGUE, DEFAULTS, TITAN_TEXT_EMBEDDINGS_V2, Lifecycle, ModelUse, invocation
from policies.models import model_problem
from tests.policies.builders import MODEL, Platform, Stack
from tests.policies.cases import Case, Outcome, check, clean, ids, run_cases
from tests.policies.harness import PackSession

POLICY = "model-lifecycle-active"
LIGHT = DEFAULTS[ModelUse.LIGHT]
LEGACY = next(m for m in CATALOGUE if m.status() is Lifecycle.LEGACY)
EOL = next(m for m in CATALOGUE if m.status() is Lifecycle.EOL and m.use is ModelUse.LIGHT)
UNKNOWN = f"{LIGHT.model_id}-preview"  # shaped like a model id, recorded nowhere
EMBEDDING_ARN = f"arn:aws:bedrock:us-east-1::foundation-model/{TITAN_TEXT_EMBEDDINGS_V2.model_id}"

Build = Callable[[Stack, Platform, dict[str, str]], str]


def _agent_model(name: str, model: str) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        agent = p.agent(name, found["agents_key"], found["guardrail"], found["guardrail_version"])
        s.set(agent, "foundationModel", model)
        return agent

    return build


def _fallback_model(name: str, model: str) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        function = p.function(name, found["data_key"], found["logs_key"])
        s.set(function, "environment.variables.FALLBACK_MODEL_ID", model)
        return function

    return build


def _embedding(name: str, arn: str) -> Build:
    def build(s: Stack, p: Platform, found: dict[str, str]) -> str:
        base, _ = p.knowledge_base(name, found["agents_key"], found["documents"], found["index"])
        s.set(base, "knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn", arn)
        return base

    return build


CASES = [
    clean(POLICY, "agent"),
    clean(POLICY, "handler"),
    Case(POLICY, "an agent on an End-of-Life model", _agent_model("case-eol", EOL.model_id), contains="End-of-Life"),
    Case(
        POLICY,
        "an agent on a Legacy model",
        _agent_model("case-legacy", LEGACY.model_id),
        contains=f"Legacy on Amazon Bedrock (end of life {LEGACY.eol}",
    ),
    Case(POLICY, "an agent on an unrecorded model", _agent_model("case-unknown", UNKNOWN), contains="not in the model"),
    Case(
        POLICY,
        "a profile-only model called in-Region",
        _agent_model("case-in-region", LIGHT.model_id),
        contains=f"call {MODEL}",
    ),
    Case(POLICY, "the global profile", _agent_model("case-global", f"global.{LIGHT.model_id}"), expect="clean"),
    Case(
        POLICY,
        "a fallback on an End-of-Life model",
        _fallback_model("case-fallback-eol", EOL.model_id),
        contains="environment.variables.FALLBACK_MODEL_ID",
    ),
    Case(POLICY, "the embedding model in-Region", _embedding("case-embedding", EMBEDDING_ARN), expect="clean"),
    Case(
        POLICY,
        "the embedding model of another Region",
        _embedding("case-embedding-elsewhere", EMBEDDING_ARN.replace("us-east-1", "us-west-2")),
        contains="not the stage's Region us-east-1",
    ),
    Case(
        POLICY,
        "an agent on an End-of-Life model, unresolved stage",
        _agent_model("case-eol-2", EOL.model_id),
        stage="unresolved",
        contains="End-of-Life",
    ),
]


@pytest.fixture(scope="module")
def outcomes(sessions: Callable[[str], PackSession]) -> dict[str, Outcome]:
    return run_cases(sessions, CASES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_case(outcomes: dict[str, Outcome], case: Case) -> None:
    check(case, outcomes[case.id])


def test_seoul_calls_the_claude_models_through_the_global_profile_only() -> None:
    # GIVEN a stage in ap-northeast-2, where AWS offers Claude Haiku 5.5 only through the global profile
    # THEN the US profile and the in-Region id are refused with the route that works, the global one accepted
    assert f"call global.{LIGHT.model_id}" in str(model_problem(f"us.{LIGHT.model_id}", "ap-northeast-2"))
    assert f"call global.{LIGHT.model_id}" in str(model_problem(LIGHT.model_id, "ap-northeast-2"))
    assert model_problem(invocation(LIGHT.model_id, "ap-northeast-2").model_id, "ap-northeast-2") is None
    # AND the embedding model answers in-Region there
    assert model_problem(EMBEDDING_ARN.replace("us-east-1", "ap-northeast-2"), "ap-northeast-2") is None


def test_a_model_no_profile_reaches_is_refused_with_the_regions_it_answers_in() -> None:
    problem = str(model_problem(LIGHT.model_id, "sa-east-1"))
    assert "is not offered in sa-east-1" in problem and "us-east-1" in problem


def test_strings_that_are_not_models_are_ignored() -> None:
    for text in ("support-assistant", "arn:aws:bedrock:us-east-1:123456789012:agent-alias/A/B", "amazon.com"):
        assert model_problem(text, "us-east-1") is None
