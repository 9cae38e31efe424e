from __future__ import annotations

from components.base.models import model_access


def test_a_foundation_model_is_invoked_in_the_stage_region_only() -> None:
    access = model_access("anthropic.claude-3-haiku-20240307-v1:0", "eu-west-1", "123456789012")
    assert access.invoke_arns == ("arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",)


def test_a_cross_region_profile_needs_the_profile_and_its_model_in_every_region() -> None:
    access = model_access("us.anthropic.claude-3-5-haiku-20241022-v1:0", "us-east-1", "123456789012")
    assert access.model_id == "us.anthropic.claude-3-5-haiku-20241022-v1:0"
    assert access.invoke_arns == (
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
        "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
    )
