"""Quality gates no hand-written test can fake: a maintained IAM database and cloudsplaining."""

from __future__ import annotations

import json

import pytest
from cloudsplaining.scan.policy_document import PolicyDocument
from policy_sentry.querying.actions import get_action_data

from environments.iam_allowlist import WILDCARD_RESOURCE_ACTIONS
from tests.components.harness import Built

POLICY_TYPES = {"aws:iam/rolePolicy:RolePolicy": "policy", "aws:iam/role:Role": "assumeRolePolicy"}


def _documents(built: Built) -> list[tuple[str, dict]]:
    return [(r.name, json.loads(r.inputs[prop])) for type_, prop in POLICY_TYPES.items() for r in built.of_type(type_)]


def _actions(document: dict) -> set[str]:
    actions: set[str] = set()
    for statement in document["Statement"]:
        value = statement["Action"]
        actions.update([value] if isinstance(value, str) else value)
    return actions


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_every_granted_action_exists_in_the_iam_database(stages: dict[str, Built], stage: str) -> None:
    unknown = set()
    for _, document in _documents(stages[stage]):
        for action in _actions(document):
            service, name = action.split(":")
            if not get_action_data(service, name):
                unknown.add(action)
    assert not unknown, f"actions AWS does not have: {sorted(unknown)}"


@pytest.mark.parametrize("stage", ["crawl", "walk", "run"])
def test_cloudsplaining_finds_no_risk_beyond_the_justified_allow_list(stages: dict[str, Built], stage: str) -> None:
    for name, document in _documents(stages[stage]):
        if any(s.get("Principal") for s in document["Statement"]):
            continue  # trust policies are checked by the policy pack, not cloudsplaining
        scanned = PolicyDocument(document)
        assert scanned.allows_privilege_escalation == [], name
        assert scanned.allows_data_exfiltration_actions == [], name
        assert scanned.permissions_management_without_constraints == [], name
        assert set(scanned.infrastructure_modification) <= set(WILDCARD_RESOURCE_ACTIONS), name


def test_allow_listed_actions_really_have_no_resource_level_permissions() -> None:
    for action in WILDCARD_RESOURCE_ACTIONS:
        service, name = action.split(":")
        formats = {row["resource_arn_format"] for row in get_action_data(service, name)[service]}
        assert formats == {"*"}, f"{action} supports resource-level permissions; remove it from the allow-list"
