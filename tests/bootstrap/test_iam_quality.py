"""The pipeline's roles pass the quality gates the platform's own roles pass (tests/components/test_iam_quality.py).

Every action exists in policy_sentry's IAM database; cloudsplaining finds no privilege-escalation path and
no data-exfiltration action; what it reports as unconstrained is only what AWS documents without a
resource type (the generated deploy allow-list).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cloudsplaining.scan.policy_document import PolicyDocument
from policy_sentry.querying.actions import get_action_data

from engine import ProgramRun
from environments.iam_deploy_allowlist import DEPLOY_WILDCARD_RESOURCE_ACTIONS
from tests.bootstrap.conftest import ACCOUNTS, policy_documents

ALLOWED_UNCONSTRAINED = {a.lower() for a in DEPLOY_WILDCARD_RESOURCE_ACTIONS}


def _documents(run: ProgramRun) -> dict[str, dict]:
    return policy_documents(run, "aws:iam/policy:Policy", "policy")


def _role_documents(run: ProgramRun) -> dict[str, list[dict]]:
    """role kind and stage (e.g. 'crawl-deploy') -> its managed policies' statements, as one document."""
    roles: dict[str, list[dict]] = {}
    for name, document in _documents(run).items():
        roles.setdefault(name.rsplit("-", 1)[0], []).extend(document["Statement"])
    return roles


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_granted_action_exists_in_the_iam_database(
    bootstrap_runs: Callable[[str, str], ProgramRun], account: str
) -> None:
    unknown = set()
    for document in _documents(bootstrap_runs(account, "up")).values():
        for statement in document["Statement"]:
            for action in statement["Action"]:
                service, name = action.split(":")
                if not get_action_data(service, name):
                    unknown.add(action)
    assert not unknown, f"actions AWS does not have: {sorted(unknown)}"


@pytest.mark.parametrize("account", ACCOUNTS)
def test_cloudsplaining_finds_no_escalation_and_no_unjustified_risk(
    bootstrap_runs: Callable[[str, str], ProgramRun], account: str
) -> None:
    roles = _role_documents(bootstrap_runs(account, "up"))
    assert roles, "no role documents found"
    for role, statements in roles.items():
        # Each role is judged as a whole: escalation paths combine actions across its managed policies.
        scanned = PolicyDocument({"Version": "2012-10-17", "Statement": statements})
        assert scanned.allows_privilege_escalation == [], role
        assert scanned.allows_data_exfiltration_actions == [], role
        assert {a.lower() for a in scanned.permissions_management_without_constraints} <= ALLOWED_UNCONSTRAINED, role
        assert {a.lower() for a in scanned.infrastructure_modification} <= ALLOWED_UNCONSTRAINED, role


def test_the_deploy_allow_list_holds_only_actions_aws_documents_without_resource_types() -> None:
    for action in DEPLOY_WILDCARD_RESOURCE_ACTIONS:
        service, name = action.split(":")
        formats = {row["resource_arn_format"] for row in get_action_data(service, name)[service]}
        assert formats == {"*"}, f"{action} supports resource-level permissions"


@pytest.mark.parametrize("account", ACCOUNTS)
def test_pass_role_names_each_role_for_the_one_service_it_trusts(
    bootstrap_runs: Callable[[str, str], ProgramRun], account: str
) -> None:
    for name, document in _documents(bootstrap_runs(account, "up")).items():
        for statement in document["Statement"]:
            if "iam:PassRole" not in statement["Action"]:
                continue
            assert statement["Action"] == ["iam:PassRole"], name
            assert all("*" not in arn for arn in statement["Resource"]), name
            assert list(statement["Condition"]["StringEquals"]) == ["iam:PassedToService"], name
