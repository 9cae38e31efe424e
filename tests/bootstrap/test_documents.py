"""The bootstrap's pure IAM documents and settings."""

from __future__ import annotations

import json

import pytest

from bootstrap.documents import (
    MANAGED_POLICY_MAX_CHARS,
    DocumentError,
    check_repository,
    github_subject,
    split_for_managed_policies,
    state_statements,
)
from bootstrap.settings import SettingsError, parse_settings


@pytest.mark.parametrize("repository", ["example-org", "a/b/c", "-org/repo", "org/repo.git", "org/", ""])
def test_a_repository_must_be_owner_slash_name(repository: str) -> None:
    with pytest.raises(DocumentError, match="is not '<owner>/<name>'"):
        check_repository(repository)


def test_subjects_follow_githubs_claim_format() -> None:
    assert github_subject("o/r", environment="run") == "repo:o/r:environment:run"
    assert github_subject("o/r", pull_request=True) == "repo:o/r:pull_request"
    assert github_subject("o/r", branch="main") == "repo:o/r:ref:refs/heads/main"


def test_statements_are_packed_into_policies_within_iams_size_quota() -> None:
    statement = {"Sid": "S", "Effect": "Allow", "Action": ["sqs:GetQueueUrl"], "Resource": ["arn:aws:sqs:::q" * 40]}
    chunks = split_for_managed_policies([dict(statement, Sid=f"S{i}") for i in range(40)], "role")
    assert len(chunks) > 1
    for chunk in chunks:
        size = len(json.dumps({"Version": "2012-10-17", "Statement": chunk}, separators=(",", ":")))
        assert size <= MANAGED_POLICY_MAX_CHARS
    assert [s["Sid"] for chunk in chunks for s in chunk] == [f"S{i}" for i in range(40)]


def test_a_role_past_iams_managed_policy_quota_is_refused() -> None:
    big = {"Sid": "S", "Effect": "Allow", "Action": ["sqs:GetQueueUrl"], "Resource": ["x" * 5000]}
    with pytest.raises(DocumentError, match="more than IAM's 10 per role"):
        split_for_managed_policies([dict(big, Sid=f"S{i}") for i in range(11)], "role")


def test_the_read_role_reads_its_own_stack_and_writes_only_its_lock() -> None:
    statements = state_statements("arn:aws:s3:::b", "k1", "k2", "us-east-1", "walk", write=False)
    writes = [s for s in statements if "s3:PutObject" in s["Action"]]
    assert [s["Resource"] for s in writes] == [["arn:aws:s3:::b/.pulumi/locks/agent-platform/walk/*"]]
    assert all("crawl" not in r and "run/" not in r for s in statements for r in s["Resource"])
    (secrets,) = [s for s in statements if s["Sid"] == "StackSecrets"]
    assert secrets["Action"] == ["kms:Decrypt"]


@pytest.mark.parametrize(
    ("repository", "stages", "message"),
    [
        (None, '["crawl"]', "repository is required"),
        ("o/r", None, "stages must list the platform stages"),
        ("o/r", '["crawl", "crawl"]', "names a stage twice"),
        ("o/r", '["nope"]', "no platform stack 'nope'"),
        ("o/r", '["crawl", "run"]', "the stages deploy to different accounts"),
    ],
)
def test_a_wrong_setting_names_the_key_and_the_fix(repository: str | None, stages: str | None, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        parse_settings(repository, stages, None)


def test_the_settings_of_an_account() -> None:
    settings = parse_settings("example-org/agent-platform", '["crawl", "walk"]', None)
    assert settings.account_label == "nonprod"
    assert settings.stage_names == ("crawl", "walk")
    assert settings.default_branch == "main"
