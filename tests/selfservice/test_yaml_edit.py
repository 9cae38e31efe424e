"""Appending an agent keeps every comment and line of the file a team wrote."""

from __future__ import annotations

import pytest
import yaml

from selfservice.yaml_edit import EditError, append_list_item
from tests.selfservice.harness import REPO

ITEM = "- name: new-agent\n  owner: team\n"


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_the_item_goes_after_the_last_agent_and_nothing_else_changes(stage):
    # GIVEN a shipped environment file (comments, folded instructions, flow lists)
    text = (REPO / "environments" / f"{stage}.yaml").read_text()

    # WHEN an agent is appended
    edited = append_list_item(text, "agents", ITEM)

    # THEN the original text is untouched, the item follows with the file's own indentation
    assert edited == text + "  - name: new-agent\n    owner: team\n"
    assert yaml.safe_load(edited)["agents"][-1] == {"name": "new-agent", "owner": "team"}


def test_a_list_followed_by_other_keys_and_comments_keeps_them_after_it():
    # GIVEN agents in the middle of the file, a column-0 comment between items and one before the next key
    text = "agents:\n    - name: a\n# about b\n    - name: b\n\n# the budget\nbudget: 1\n"

    # WHEN an agent is appended
    edited = append_list_item(text, "agents", ITEM)

    # THEN it is the last agent, indented like the others, and the next key keeps its comment
    assert edited == (
        "agents:\n    - name: a\n# about b\n    - name: b\n    - name: new-agent\n      owner: team\n"
        "\n# the budget\nbudget: 1\n"
    )


def test_an_empty_list_gets_its_first_item():
    assert yaml.safe_load(append_list_item("stage: x\nagents:\n", "agents", ITEM))["agents"] == [
        {"name": "new-agent", "owner": "team"}
    ]


def test_a_look_alike_key_does_not_catch_the_item():
    text = "agents:\n  - name: a\nagents_note: |\n  - name: b\n"
    assert yaml.safe_load(append_list_item(text, "agents", ITEM))["agents"][-1]["name"] == "new-agent"


@pytest.mark.parametrize("text", ["agents: [{name: a}]\n", "stage: x\n"])
def test_layouts_that_cannot_be_appended_to_as_text_are_refused(text):
    with pytest.raises(EditError, match="no top-level `agents:` block list"):
        append_list_item(text, "agents", ITEM)
