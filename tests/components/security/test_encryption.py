from __future__ import annotations

import pytest

from tests.components.harness import Built

KEY = "aws:kms/key:Key"


@pytest.mark.parametrize(("stage", "window"), [("crawl", 7), ("walk", 14), ("run", 30)])
def test_one_rotated_key_per_domain_with_the_tiers_deletion_window(
    stages: dict[str, Built], stage: str, window: int
) -> None:
    keys = stages[stage].of_type(KEY)
    assert sorted(k.name.split("-")[-2] for k in keys) == ["agents", "data", "logs"]
    for key in keys:
        assert key.inputs["enableKeyRotation"] is True
        assert key.inputs["deletionWindowInDays"] == window
        assert key.inputs["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"


def test_only_the_account_root_holds_kms_star_and_services_are_scoped(run: Built) -> None:
    for key in run.of_type(KEY):
        for statement in run.document(key)["Statement"]:
            if statement["Action"] == "kms:*":
                assert statement["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
            else:
                assert "Service" in statement["Principal"]
                assert statement["Condition"], f"{statement['Sid']} is not scoped"


def test_the_logs_key_is_usable_only_for_this_accounts_log_groups(crawl: Built) -> None:
    logs_key = crawl.one(KEY, "logs-key")
    [grant] = [s for s in crawl.document(logs_key)["Statement"] if s["Action"] != "kms:*"]
    assert grant["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert grant["Condition"]["ArnLike"] == {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*"
    }


def test_workflow_log_delivery_grant_exists_only_with_workflows(crawl: Built, walk: Built) -> None:
    def sids(built: Built) -> set[str]:
        return {s["Sid"] for s in built.document(built.one(KEY, "data-key"))["Statement"]}

    assert "LogDeliveryReadsThisStagesWorkflows" not in sids(crawl)
    assert "LogDeliveryReadsThisStagesWorkflows" in sids(walk)


def test_every_key_has_an_alias_and_run_keys_are_protected(crawl: Built, run: Built) -> None:
    aliases = {a.inputs["name"] for a in run.of_type("aws:kms/alias:Alias")}
    assert aliases == {"alias/ap_run_agents", "alias/ap_run_data", "alias/ap_run_logs"}
    assert all(k.protect and k.retain_on_delete for k in run.of_type(KEY))
    assert not any(k.protect for k in crawl.of_type(KEY))


def test_identity_policies_name_keys_by_alias_so_preview_can_judge_them(crawl: Built) -> None:
    # GIVEN the tool role's statement on the data key
    function = crawl.one("aws:lambda/function:Function", "ticket-create")
    policy = next(p for p in crawl.of_type("aws:iam/rolePolicy:RolePolicy") if p.parent == function.parent)
    statement = crawl.statements(policy)["UseTableKey"]
    # THEN it is scoped to exactly the data key through its alias, not to every key of the account
    assert statement["Resource"] == "arn:aws:kms:us-east-1:123456789012:key/*"
    assert statement["Condition"]["ForAnyValue:StringEquals"] == {"kms:ResourceAliases": ["alias/ap_crawl_data"]}
    # AND the document no longer depends on the key's (unknown in preview) ARN
    assert not any("aws:kms/key:Key" in urn for urn in policy.property_dependencies.get("policy", []))
