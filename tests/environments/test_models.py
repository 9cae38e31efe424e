"""The model catalogue: the one place model ids are written, with lifecycle facts and routes that hold together."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from environments.catalog import REPO_ROOT
from environments.models import (
    CATALOGUE,
    DEFAULTS,
    MODEL_ID_IN_TEXT,
    MODELS,
    Geography,
    Lifecycle,
    ModelCatalogueError,
    ModelUse,
    invocation,
    lookup,
    refusal,
    split_reference,
)

CATALOGUE_FILE = REPO_ROOT / "environments" / "models.py"
# The README's model table is generated from the catalogue (readme_sync.py): it may show ids between its markers.
GENERATED = {REPO_ROOT / "README.md": ("<!-- models:start", "<!-- models:end -->")}
SKIPPED_DIRS = {".git", ".venv", "build", "__pycache__", "node_modules", ".hypothesis", ".mypy_cache", ".ruff_cache"}
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".j2", ".txt", ".toml", ".cfg", ".ini", ".sh", ""}


def _repository_files() -> list[Path]:
    found = []
    for path in REPO_ROOT.rglob("*"):
        relative = path.relative_to(REPO_ROOT)
        if SKIPPED_DIRS & set(relative.parts) or not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        found.append(path)
    return found


def _without_generated(path: Path, text: str) -> str:
    if path in GENERATED:
        start, end = GENERATED[path]
        return re.sub(re.escape(start) + r".*?" + re.escape(end), "", text, flags=re.S)
    return text


def test_no_model_id_is_written_outside_the_catalogue() -> None:
    # GIVEN every text file of the repository (code, tests, templates, fixtures, docs) but the catalogue
    offending = []
    for path in _repository_files():
        if path == CATALOGUE_FILE:
            continue
        text = _without_generated(path, path.read_text(encoding="utf-8", errors="ignore"))
        offending += [f"{path.relative_to(REPO_ROOT)}: {m}" for m in MODEL_ID_IN_TEXT.findall(text)]
    # THEN none names a model: they import it from environments/models.py
    assert not offending, "model ids outside environments/models.py:\n" + "\n".join(offending)


def test_the_pattern_finds_the_ids_of_every_catalogue_entry_and_their_profiles() -> None:
    for model in CATALOGUE:
        for reference in (model.model_id, *(p.profile_id(model.model_id) for p in model.profiles)):
            assert MODEL_ID_IN_TEXT.findall(f"x {reference}, y") == [reference]


def test_the_defaults_are_active_and_of_their_class() -> None:
    for use, model in DEFAULTS.items():
        assert model.status() is Lifecycle.ACTIVE and model.use is use
        assert refusal(model.model_id, use) is None


@pytest.mark.parametrize("model", CATALOGUE, ids=lambda m: m.model_id)
def test_every_entry_says_where_its_facts_come_from(model) -> None:
    assert model.source.url.startswith("https://docs.aws.amazon.com/bedrock/")
    assert model.source.read_on <= date(2026, 12, 2) and model.source.evidence
    if model.lifecycle is Lifecycle.ACTIVE:
        assert model.regions(), f"{model.model_id}: an Active model names the Regions it answers in"
        assert model.use is not ModelUse.EMBEDDING or model.dimensions
    else:
        assert model.eol is not None
        replacement = MODELS[str(model.replacement)]
        assert replacement.lifecycle is Lifecycle.ACTIVE
        assert replacement.use.generates_text == model.use.generates_text


@pytest.mark.parametrize("model", [m for m in CATALOGUE if m.profiles], ids=lambda m: m.model_id)
def test_profile_routes_hold_together(model) -> None:
    for profile in model.profiles:
        assert profile.routes
        for source, destinations in profile.routes.items():
            if profile.is_global:
                assert destinations == ()  # every commercial Region: not enumerable
            else:
                assert source in destinations and len(set(destinations)) == len(destinations)


def test_a_legacy_model_is_refused_naming_its_replacement_and_end_of_life() -> None:
    legacy = next(m for m in CATALOGUE if m.lifecycle is Lifecycle.LEGACY)
    assert legacy.eol is not None
    before = legacy.eol - timedelta(days=1)
    message = str(refusal(legacy.model_id, legacy.use, on=before))
    assert "is Legacy" in message and str(legacy.eol) in message and str(legacy.replacement) in message
    # AND from its end-of-life date on it is End-of-Life, refused always
    assert "End-of-Life" in str(refusal(legacy.model_id, legacy.use, on=legacy.eol))


def test_an_eol_model_is_refused_always() -> None:
    for model in (m for m in CATALOGUE if m.lifecycle is Lifecycle.EOL):
        assert "End-of-Life" in str(refusal(model.model_id, model.use, on=date(2000, 1, 1)))


def test_unknown_models_and_profiles_are_refused_with_the_fix() -> None:
    with pytest.raises(ModelCatalogueError, match="not in the model catalogue"):
        lookup(f"{DEFAULTS[ModelUse.LIGHT].model_id}-preview")
    with pytest.raises(ModelCatalogueError, match="does not offer"):
        lookup(f"apac.{DEFAULTS[ModelUse.LIGHT].model_id}")
    assert "embedding model" in str(refusal(DEFAULTS[ModelUse.EMBEDDING].model_id, ModelUse.LIGHT))


def test_the_route_prefers_in_region_then_the_geography_then_global() -> None:
    embedding, light = DEFAULTS[ModelUse.EMBEDDING], DEFAULTS[ModelUse.LIGHT]
    assert invocation(embedding.model_id, "us-east-1").profile is None
    us = invocation(light.model_id, "us-east-1")
    assert us.profile is not None and us.profile.geography is Geography.US and us.route == "US profile"
    seoul = invocation(light.model_id, "ap-northeast-2")
    assert seoul.is_global and seoul.model_id == f"global.{light.model_id}" and seoul.destinations == ()


def test_a_profile_id_splits_into_its_geography_and_model() -> None:
    light = DEFAULTS[ModelUse.LIGHT].model_id
    assert split_reference(f"us.{light}") == (Geography.US, light)
    assert split_reference(f"global.{light}") == (Geography.GLOBAL, light)
    assert split_reference(light) == (None, light)
