from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from environments import ENVIRONMENTS_DIR, EnvironmentFileError, Tier, load_environment, parse_environment
from environments.models import CATALOGUE, DEFAULTS, Lifecycle, ModelUse

STAGES = ("crawl", "walk", "run")


def _base() -> dict[str, Any]:
    return yaml.safe_load((ENVIRONMENTS_DIR / "crawl.yaml").read_text())


def _error(data: Any) -> str:
    with pytest.raises(EnvironmentFileError) as caught:
        parse_environment(data, "environments/test.yaml")
    return str(caught.value)


@pytest.mark.parametrize("stage", [s for s in STAGES if (ENVIRONMENTS_DIR / f"{s}.yaml").exists()])
def test_every_shipped_environment_is_valid_and_names_its_stage(stage: str) -> None:
    environment = load_environment(stage)
    assert environment.stage == stage
    assert environment.tier == Tier(stage)


def test_an_unknown_key_names_the_field_and_the_allowed_ones() -> None:
    data = _base()
    data["agents"][0]["colour"] = "blue"
    message = _error(data)
    assert message.startswith("environments/test.yaml: agents[0].colour: unknown field; allowed fields here: ")
    assert "guardrail_profile" in message and "model_class" in message


def test_a_wrong_type_names_the_field() -> None:
    data = _base()
    data["budget"]["monthly_limit_usd"] = "a lot"
    assert "budget.monthly_limit_usd: input should be a valid number" in _error(data)


def test_an_impossible_value_says_what_is_allowed() -> None:
    data = _base()
    data["agents"][0]["model_class"] = "medium"
    assert "agents[0].model_class: input should be 'light' or 'strong' (got 'medium')" in _error(data)


def test_a_missing_field_is_named() -> None:
    data = _base()
    del data["cost_center"]
    assert "cost_center: required field is missing" in _error(data)


def test_an_agent_name_that_aws_would_reject_is_refused() -> None:
    data = _base()
    data["agents"][0]["name"] = "Support--Assistant"
    assert "agents[0].name: string should match pattern" in _error(data)


def test_an_unknown_tool_names_the_available_ones() -> None:
    data = _base()
    data["agents"][0]["tools"] = ["launch-rockets"]
    assert "agents[0] (support-assistant).tools: unknown tool 'launch-rockets'; available:" in _error(data)


def test_an_undeclared_knowledge_source_is_refused() -> None:
    data = _base()
    data["agents"][0]["knowledge_sources"] = ["handbook"]
    assert "'handbook' is not declared under knowledge_sources" in _error(data)


def test_duplicate_agent_names_are_refused() -> None:
    data = _base()
    data["tier"] = "walk"
    data["agents"].append(copy.deepcopy(data["agents"][0]))
    assert "agents: name 'support-assistant' is used more than once" in _error(data)


def test_the_crawl_tier_allows_one_agent() -> None:
    data = _base()
    second = copy.deepcopy(data["agents"][0]) | {"name": "second-agent"}
    data["agents"].append(second)
    assert "tier crawl allows at most 1 agent(s), found 2" in _error(data)


def test_collaborators_are_a_run_tier_capability() -> None:
    data = _base()
    data["tier"] = "walk"
    data["agents"].append(copy.deepcopy(data["agents"][0]) | {"name": "helper"})
    data["agents"][0]["collaborators"] = ["helper"]
    assert "multi-agent collaboration is a run-tier capability (this stage is walk)" in _error(data)


def test_collaborators_must_be_leaf_agents_and_exist() -> None:
    data = _base()
    data["tier"] = "run"
    data["agents"].append(copy.deepcopy(data["agents"][0]) | {"name": "helper", "collaborators": ["support-assistant"]})
    data["agents"][0]["collaborators"] = ["helper"]
    assert "'helper' is itself a supervisor" in _error(data)
    data["agents"][1]["collaborators"] = []
    data["agents"][0]["collaborators"] = ["ghost"]
    assert "unknown agent 'ghost'" in _error(data)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("stage: crawl\nagents: [\n")
    with pytest.raises(EnvironmentFileError, match=r"bad.yaml: line \d+, column \d+: invalid YAML"):
        load_environment(str(path))


def test_a_missing_file_names_the_known_environments() -> None:
    with pytest.raises(EnvironmentFileError, match=r"no such environment file; known environments: .*crawl"):
        load_environment("nope")


def test_the_top_level_must_be_a_mapping() -> None:
    assert "must be a YAML mapping" in _error(["stage", "crawl"])


def test_walk_and_run_need_a_knowledge_source() -> None:
    data = _base()
    data["tier"] = "walk"
    data["knowledge_sources"] = []
    data["agents"][0]["knowledge_sources"] = []
    assert "knowledge_sources: tier walk grounds answers in knowledge; declare at least one source" in _error(data)


# --- models and languages -------------------------------------------------------------------------------


def test_the_defaults_are_the_catalogues_active_models_and_korean_first() -> None:
    environment = load_environment("crawl")
    assert environment.models.light == DEFAULTS[ModelUse.LIGHT].model_id
    assert environment.models.strong == DEFAULTS[ModelUse.STRONG].model_id
    assert environment.models.embedding == DEFAULTS[ModelUse.EMBEDDING].model_id
    assert environment.languages == ("ko", "en")


def test_a_legacy_model_is_refused_with_its_replacement_and_end_of_life_date() -> None:
    legacy = next(m for m in CATALOGUE if m.status() is Lifecycle.LEGACY)
    data = _base()
    data["models"] = {"strong": legacy.model_id}
    message = _error(data)
    assert f"models.strong: {legacy.model_id} is Legacy on Amazon Bedrock (end of life {legacy.eol}" in message
    assert f"use {legacy.replacement}" in message


def test_an_end_of_life_model_is_refused_always() -> None:
    eol = next(m for m in CATALOGUE if m.status() is Lifecycle.EOL and m.use is ModelUse.LIGHT)
    data = _base()
    data["models"] = {"light": eol.model_id}
    assert f"models.light: {eol.model_id} is End-of-Life on Amazon Bedrock" in _error(data)


def test_a_pinned_profile_of_an_active_model_is_accepted() -> None:
    data = _base()
    data["models"] = {"light": f"global.{DEFAULTS[ModelUse.LIGHT].model_id}"}
    assert parse_environment(data).models.light.startswith("global.")


def test_an_embedding_size_the_model_does_not_produce_is_refused() -> None:
    data = _base()
    data["models"] = {"embedding_dimensions": 300}
    assert "models.embedding_dimensions: " in _error(data) and "256, 512, 1024" in _error(data)


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        ([], "languages: name at least one language"),
        (["fr", "en"], "put ko or en first"),
        (["ko", "xx"], "xx is not a language the guardrails support"),
        (["ko", "ko"], "lists ko more than once"),
    ],
)
def test_languages_are_checked(languages: list[str], expected: str) -> None:
    data = _base()
    data["languages"] = languages
    assert expected in _error(data)


def test_an_english_only_stage_is_valid() -> None:
    data = _base()
    data["languages"] = ["en"]
    assert parse_environment(data).languages == ("en",)
