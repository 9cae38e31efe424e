"""IAM for models in AWS's documented forms: in-Region, geographic profile, global profile."""

from __future__ import annotations

import pytest

from components.base.iam import policy_document
from components.base.models import ModelAccessError, model_access, stage_invocations
from engine.program import ProgramError
from environments import load_environment
from environments.models import CLAUDE_HAIKU_5_5, CLAUDE_SONNET_5_5, TITAN_TEXT_EMBEDDINGS_V2, ModelUse
from environments.schema import Models
from tests.components.harness import build_platform

ACCOUNT = "123456789012"
HAIKU = CLAUDE_HAIKU_5_5.model_id
SONNET = CLAUDE_SONNET_5_5.model_id
TITAN = TITAN_TEXT_EMBEDDINGS_V2.model_id


def _json(access, sid="Invoke"):
    return [s.to_json() for s in access.statements(sid)]


def test_an_in_region_model_is_granted_in_the_stage_region_only() -> None:
    access = model_access(TITAN, "us-east-1", ACCOUNT)
    assert access.model_id == TITAN
    assert access.invoke_arns == (f"arn:aws:bedrock:us-east-1::foundation-model/{TITAN}",)
    assert _json(access) == [
        {
            "Sid": "Invoke",
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
            "Resource": f"arn:aws:bedrock:us-east-1::foundation-model/{TITAN}",
        }
    ]


def test_a_profile_only_model_is_called_through_the_geographic_profile_of_the_region() -> None:
    # GIVEN Claude Haiku 5.5, which answers only through inference profiles, called from us-east-1
    access = model_access(HAIKU, "us-east-1", ACCOUNT)
    profile = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.{HAIKU}"
    # THEN Bedrock is called with the US profile, and IAM has AWS's geographic form: the profile, plus the model
    # in the source and every destination Region, only through that profile
    assert access.model_id == f"us.{HAIKU}"
    profile_statement, models_statement = _json(access)
    assert profile_statement["Resource"] == profile and "Condition" not in profile_statement
    assert models_statement["Resource"] == [
        f"arn:aws:bedrock:{region}::foundation-model/{HAIKU}" for region in ("us-east-1", "us-east-2", "us-west-2")
    ]
    assert models_statement["Condition"] == {"StringEquals": {"bedrock:InferenceProfileArn": profile}}
    assert set(access.invoke_arns) == {profile, *models_statement["Resource"]}


def test_a_source_region_outside_the_core_routes_to_itself_too() -> None:
    access = model_access(SONNET, "us-west-1", ACCOUNT)
    regions = {arn.split(":")[3] for arn in _json(access)[1]["Resource"]}
    assert regions == {"us-east-1", "us-east-2", "us-west-1", "us-west-2"}


def test_seoul_uses_the_global_profile_in_the_three_statements_aws_documents() -> None:
    # GIVEN ap-northeast-2, where AWS offers Claude Haiku 5.5 through the global profile only
    access = model_access(HAIKU, "ap-northeast-2", ACCOUNT)
    profile = f"arn:aws:bedrock:ap-northeast-2:{ACCOUNT}:inference-profile/global.{HAIKU}"
    assert access.model_id == f"global.{HAIKU}"
    statements = {s["Sid"]: s for s in _json(access, "Model")}
    # THEN the profile in the source Region, the model there, and the Region-less model, each through the profile
    assert statements["ModelProfile"]["Resource"] == profile
    assert statements["ModelProfile"]["Condition"] == {"StringEquals": {"aws:RequestedRegion": "ap-northeast-2"}}
    assert statements["ModelModel"]["Resource"] == f"arn:aws:bedrock:ap-northeast-2::foundation-model/{HAIKU}"
    assert statements["ModelModel"]["Condition"] == {
        "StringEquals": {"aws:RequestedRegion": "ap-northeast-2", "bedrock:InferenceProfileArn": profile}
    }
    assert statements["ModelGlobalModel"]["Resource"] == f"arn:aws:bedrock:::foundation-model/{HAIKU}"
    assert statements["ModelGlobalModel"]["Condition"] == {
        "StringEquals": {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile}
    }


def test_a_pinned_profile_is_kept_and_the_statements_fit_one_document() -> None:
    access = model_access(f"global.{SONNET}", "us-east-1", ACCOUNT)
    assert access.model_id == f"global.{SONNET}"
    policy_document(*access.statements("Invoke"), *access.statements("Other", ("bedrock:InvokeModel",)))


def test_the_actions_are_the_callers() -> None:
    statements = model_access(HAIKU, "us-east-1", ACCOUNT).statements("Fallback", ("bedrock:InvokeModel",))
    assert all(list(s.actions) == ["bedrock:InvokeModel"] for s in statements)


def test_a_region_the_model_does_not_reach_is_a_one_line_error() -> None:
    with pytest.raises(ModelAccessError, match="not offered in sa-east-1"):
        model_access(HAIKU, "sa-east-1", ACCOUNT)
    with pytest.raises(ModelAccessError, match="source Regions are"):
        model_access(f"us.{HAIKU}", "ap-northeast-2", ACCOUNT)


def test_a_stages_models_are_resolved_before_anything_is_built_naming_the_field() -> None:
    resolved = stage_invocations(Models(), "ap-northeast-2")
    assert resolved[ModelUse.LIGHT].model_id == f"global.{HAIKU}"
    assert resolved[ModelUse.EMBEDDING].model_id == TITAN
    with pytest.raises(ModelAccessError, match=r"^models\.light: .* sa-east-1"):
        stage_invocations(Models(), "sa-east-1")


def test_a_stage_in_a_region_its_models_do_not_reach_fails_before_any_resource() -> None:
    # GIVEN a shipped stage deployed to a Region where neither the models nor a guardrail profile are offered
    # THEN the program stops with one line naming the field (Platform checks before its first resource)
    with pytest.raises(ProgramError, match=r"^models\.light: .* not offered in sa-east-1"):
        build_platform(load_environment("crawl"), region="sa-east-1")
