"""Values land in YAML so that the file reads back exactly what was answered, whatever the text."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from selfservice import Project
from selfservice.rendering import jinja_environment, render_tree, yaml_item, yaml_scalar, yaml_text


def test_plain_text_stays_plain_and_ambiguous_text_is_quoted():
    assert yaml_scalar("billing-team") == "billing-team"
    assert yaml_scalar("Answers billing questions, politely; cites the handbook.") == (
        "Answers billing questions, politely; cites the handbook."
    )
    # YAML 1.1 would read these as a boolean, a number, null, a mapping, a comment or a list
    for value in ("no", "on", "1.0", "null", "team: billing", "#hash", "[x]", " padded"):
        assert yaml_scalar(value).startswith('"'), value
    # inside a flow list, a comma would split the item
    assert yaml_item("a,b@example.com") == '"a,b@example.com"'
    assert yaml_item("ticket-lookup") == "ticket-lookup"


@given(st.text())
def test_any_scalar_reads_back_as_the_same_text(value):
    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}
    assert yaml.safe_load(f"key: [{yaml_item(value)}, x]\n") == {"key": [value, "x"]}


def test_prose_is_a_folded_block_wrapped_like_the_hand_written_files():
    # GIVEN a long instruction
    text = "You answer questions about invoices. " * 6

    # WHEN it is rendered four spaces in
    folded = yaml_text(text.strip(), 4)

    # THEN it is a `>-` block of lines that fit in 100 columns
    assert folded.startswith(">-\n    You answer")
    assert all(len(line) <= 100 for line in folded.splitlines())


@given(st.text())
def test_any_prose_reads_back_as_the_same_text(value):
    # folded when that is faithful (single spaces, printable), quoted otherwise
    assert yaml.safe_load(f"key: {yaml_text(value, 4)}\n") == {"key": value}


def test_path_tokens_name_the_files_and_empty_renders_are_skipped():
    # GIVEN the tool template for a read-only tool
    environment = jinja_environment(Project().templates_dir)
    context = {
        "name": "order-status",
        "package": "order_status",
        "description": "Looks up orders.",
        "mutating": False,
        "table": "orders",
        "table_env": "ORDERS_TABLE_NAME",
    }

    # WHEN its tree is rendered
    files = render_tree(environment, "tool", context, {"package": "order_status"})

    # THEN __package__ became the package, and the create event (mutating tools only) is not written
    assert "functions/tools/order_status/__init__.py" in files
    assert "tests/functions/tools/order_status/test_order_status.py" in files
    assert "tests/events/order_status_get_item.json" in files
    assert "tests/events/order_status_create_item.json" not in files
