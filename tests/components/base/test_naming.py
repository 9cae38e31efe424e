from __future__ import annotations

import pytest

from components.base.naming import Kind, bucket_name, physical_name


def test_names_are_prefixed_and_joined() -> None:
    assert physical_name(Kind.IAM_ROLE, "crawl", "support-assistant", "agent") == "ap_crawl_support-assistant_agent"


def test_bucket_names_are_lowercase_and_carry_account_and_region() -> None:
    assert bucket_name("Walk", "documents", "123456789012", "us-east-1") == "ap-walk-documents-123456789012-us-east-1"


@pytest.mark.parametrize("kind", list(Kind))
def test_long_names_are_cut_to_the_limit_with_a_stable_hash(kind: Kind) -> None:
    # GIVEN two long names that differ only at the end
    long_a = physical_name(kind, "crawl", "x" * 600, "a")
    long_b = physical_name(kind, "crawl", "x" * 600, "b")
    # THEN both fit the limit, differ, and are the same on every call
    assert len(long_a) <= kind.max_length and len(long_b) <= kind.max_length
    assert long_a != long_b
    assert long_a == physical_name(kind, "crawl", "x" * 600, "a")


def test_segments_cannot_run_into_each_other() -> None:
    # Slugs contain hyphens but never underscores: ("a-b",) and ("a", "b") stay different names.
    assert physical_name(Kind.IAM_ROLE, "run", "kb", "sync-fn") != physical_name(Kind.IAM_ROLE, "run", "kb-sync", "fn")
    assert physical_name(Kind.IAM_ROLE, "dev", "eu-support") != physical_name(Kind.IAM_ROLE, "dev-eu", "support")
    assert physical_name(Kind.LAMBDA, "run", "-agent-", "", "fn") == "ap_run_agent_fn"


def test_kinds_are_distinct_members() -> None:
    assert Kind.LAMBDA is not Kind.IAM_ROLE and Kind.LAMBDA.name == "LAMBDA"
