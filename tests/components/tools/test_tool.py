from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from components.platform import tool_tables
from components.tools.manifest import ToolManifest, ToolManifestError, load_manifest
from components.tools.tool import _require_confirmation_for_writes, openapi_schema, table_env_var
from tests.components.harness import Built


@pytest.mark.parametrize("tool", ["ticket-lookup", "ticket-create"])
def test_the_schema_is_generated_from_the_handler_and_is_valid_openapi(tool: str) -> None:
    schema = openapi_schema(load_manifest(tool))
    validate(schema)
    assert schema["openapi"].startswith("3.0")
    assert all(op.get("description") for ops in schema["paths"].values() for op in ops.values())


def test_the_mutating_tool_asks_the_user_to_confirm_every_write() -> None:
    schema = openapi_schema(load_manifest("ticket-create"))
    writes = [op for ops in schema["paths"].values() for method, op in ops.items() if method != "get"]
    assert writes and all(op["x-requireConfirmation"] == "ENABLED" for op in writes)


def _manifest(mutating: bool) -> ToolManifest:
    return ToolManifest(name="demo-tool", description="A tool used by the tests only.", mutating=mutating)


def test_a_write_without_confirmation_is_refused() -> None:
    schema = {"paths": {"/things": {"post": {"description": "creates"}}}}
    with pytest.raises(ToolManifestError, match=r"must set openapi_extensions=.*x-requireConfirmation"):
        _require_confirmation_for_writes(_manifest(mutating=True), schema)


def test_a_write_in_a_tool_declared_read_only_is_refused() -> None:
    schema = {"paths": {"/things": {"delete": {"description": "deletes", "x-requireConfirmation": "ENABLED"}}}}
    with pytest.raises(ToolManifestError, match="says mutating: false"):
        _require_confirmation_for_writes(_manifest(mutating=False), schema)


def test_tools_must_agree_on_shared_tables() -> None:
    first = ToolManifest.model_validate(
        {
            "name": "a-tool",
            "description": "first tool here",
            "mutating": False,
            "tables": {"tickets": {"partition_key": "ticket_id", "actions": ["dynamodb:GetItem"]}},
        }
    )
    second = ToolManifest.model_validate(
        {
            "name": "b-tool",
            "description": "second tool here",
            "mutating": False,
            "tables": {"tickets": {"partition_key": "id", "actions": ["dynamodb:GetItem"]}},
        }
    )
    assert tool_tables([first]) == {"tickets": "ticket_id"}
    with pytest.raises(ToolManifestError, match="disagree on table 'tickets'"):
        tool_tables([first, second])


def test_a_manifest_cannot_ask_for_table_management() -> None:
    with pytest.raises(ValueError, match="dynamodb:DeleteTable not allowed for tools"):
        ToolManifest.model_validate(
            {
                "name": "x-tool",
                "description": "a greedy tool",
                "mutating": True,
                "tables": {"t": {"partition_key": "id", "actions": ["dynamodb:DeleteTable"]}},
            }
        )


@pytest.mark.parametrize(
    ("tool", "actions"),
    [("ticket-lookup", ["dynamodb:GetItem"]), ("ticket-create", ["dynamodb:GetItem", "dynamodb:PutItem"])],
)
def test_the_role_grants_exactly_what_the_manifest_declares(crawl: Built, tool: str, actions: list[str]) -> None:
    function = crawl.one("aws:lambda/function:Function", f"{tool}-tool")
    policy = next(p for p in crawl.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    statements = crawl.statements(policy)
    tickets = crawl.one("aws:dynamodb/table:Table", "tickets")
    assert statements["TableTickets"] == {
        "Sid": "TableTickets",
        "Effect": "Allow",
        "Action": actions,
        "Resource": tickets.outputs["arn"],
    }
    assert statements["UseTableKey"]["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/ap_crawl_data"]},
        "StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"},
    }
    assert function.inputs["environment"]["variables"][table_env_var("tickets")] == tickets.inputs["name"]
