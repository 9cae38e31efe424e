"""The README's model tables come from the catalogue and the stages."""

from __future__ import annotations

from environments import load_environment
from environments.model_docs import END, START, models_markdown
from environments.models import CATALOGUE


def test_each_stage_shows_its_guardrail_tier_and_how_each_model_is_called() -> None:
    korean = load_environment("crawl")
    english = korean.model_copy(update={"stage": "crawl-en", "languages": ("en",)})
    table = models_markdown([(korean, "us-east-1"), (english, "us-east-1"), (korean, "ap-northeast-2")])
    us, english_us, seoul = table.splitlines()[2:5]
    assert "| Standard | `us.guardrail.v1:0` |" in us and "(US profile)" in us and "(in-Region)" in us
    assert "| Classic | \u2013 (in-Region) |" in english_us
    assert "`apac.guardrail.v1:0`" in seoul and "(global profile)" in seoul


def test_the_catalogue_table_has_a_row_per_model_with_its_source() -> None:
    table = models_markdown([])
    for model in CATALOGUE:
        row = next(line for line in table.splitlines() if f"`{model.model_id}` |" in line)
        assert model.source.url in row and str(model.source.read_on) in row


def test_the_markers_are_html_comments() -> None:
    assert START.startswith("<!-- models:start") and END == "<!-- models:end -->"
