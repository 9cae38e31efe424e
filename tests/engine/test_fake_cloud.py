from __future__ import annotations

import re

import pytest

from engine.fake_cloud import _BUILDERS, ACCOUNT_ID, FakeCloud

ARN = re.compile(r"^arn:aws:[a-z0-9-]+:([a-z]{2}-[a-z]+-\d)?:(\d{12})?:[^\s]+$")


@pytest.mark.parametrize("type_", sorted(_BUILDERS))
def test_up_mode_gives_every_known_type_an_id_and_well_formed_arns(type_: str) -> None:
    # GIVEN the fake cloud in up mode
    cloud = FakeCloud("us-west-2", preview=False)
    # WHEN a resource of the type is created
    resource_id, outputs = cloud.provision(type_, "thing", f"urn:pulumi:s::p::{type_}::thing", {"name": "thing"})
    # THEN it has an id and every ARN it reports is well formed, in our account and region
    assert resource_id
    # invokeArn is an API Gateway integration URI ("...:lambda:path/..."), not a resource ARN.
    arns = [v for k, v in outputs.items() if k.lower().endswith("arn") and k != "invokeArn" and v]
    for arn in arns:
        assert ARN.match(arn), arn
        assert ":us-east-1:" not in arn
        region, account = ARN.match(arn).groups()
        assert region in (None, "us-west-2")
        assert account in (None, ACCOUNT_ID)


def test_unknown_aws_types_still_get_a_well_formed_arn() -> None:
    _, outputs = FakeCloud("us-east-1", preview=False).provision("aws:xray/group:Group", "g", "urn:x", {})
    assert ARN.match(outputs["arn"])


def test_preview_mode_computes_nothing_but_names() -> None:
    # GIVEN the fake cloud in preview mode
    cloud = FakeCloud("us-east-1", preview=True)
    # WHEN a role without an explicit name is planned
    resource_id, outputs = cloud.provision("aws:iam/role:Role", "agent-role", "urn:r", {"path": "/"})
    # THEN id and ARN stay unknown while the auto-name is known, as the provider's Check would give it
    assert resource_id == ""
    assert "arn" not in outputs
    assert re.fullmatch(r"agent-role-[0-9a-f]{7}", outputs["name"])


def test_ids_are_deterministic() -> None:
    first = FakeCloud("us-east-1", preview=False).provision("aws:kms/key:Key", "k", "urn:k", {})
    second = FakeCloud("us-east-1", preview=False).provision("aws:kms/key:Key", "k", "urn:k", {})
    assert first == second
