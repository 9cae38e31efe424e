"""Properties of the pure helpers: the IAM policy builder, physical naming and tier resolution."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pulumi.runtime.sync_await import _sync_await

from components.base.iam import KeyGrant, PolicyBuildError, ServiceTrust, Statement, policy_document
from components.base.naming import PREFIX, Kind, physical_name
from environments.iam_allowlist import WILDCARD_RESOURCE_ACTIONS
from environments.tiers import TIERS, ApiAuth, Tier, TierProfile, profile
from tests.property import aws_limits
from tests.property.budget import BUDGET
from tests.property.strategies import STAGE, slugs

pure = settings(max_examples=BUDGET.pure)

# --- IAM policy builder ------------------------------------------------------------------------------------

ALLOW_LISTED = sorted(WILDCARD_RESOURCE_ACTIONS)
SCOPED_ACTIONS = ("s3:GetObject", "dynamodb:PutItem", "kms:Decrypt", "bedrock:InvokeModel", "states:StartExecution")
explicit_actions = st.one_of(
    st.sampled_from(ALLOW_LISTED + list(SCOPED_ACTIONS)),
    st.from_regex(r"[a-z0-9-]{1,12}:[A-Za-z0-9]{1,20}", fullmatch=True),
)
arns = st.builds(
    lambda service, region, resource: f"arn:aws:{service}:{region}:123456789012:{resource}",
    st.sampled_from(("s3", "dynamodb", "kms", "logs", "bedrock")),
    st.sampled_from(("us-east-1", "eu-west-1", "")),
    st.from_regex(r"[a-z][a-z0-9/_.-]{0,30}", fullmatch=True),
)
sids = st.from_regex(r"[A-Za-z0-9]{1,20}", fullmatch=True)


@st.composite
def statements(draw: st.DrawFn) -> tuple[Statement, bool]:
    """A statement the builder accepts, and whether it was asked for Resource '*'."""
    wildcard = draw(st.booleans())
    if wildcard:
        actions = draw(st.lists(st.sampled_from(ALLOW_LISTED), min_size=1, max_size=4))
        resources = ["*"]
    else:
        actions = draw(st.lists(explicit_actions, min_size=1, max_size=5))
        resources = draw(st.lists(arns, min_size=1, max_size=4))
    return Statement(draw(sids), actions, resources), wildcard


def _rendered(*built: Statement) -> dict[str, Any]:
    return json.loads(_sync_await(policy_document(*built).future()))


@pure
@given(built=st.lists(statements(), min_size=1, max_size=6, unique_by=lambda s: s[0].sid))
def test_the_builder_emits_exactly_the_actions_and_resources_it_was_given(built: list[tuple[Statement, bool]]) -> None:
    """A built document allows exactly the explicit actions and resources asked for: no wildcard not given."""
    document = _rendered(*(s for s, _ in built))
    assert document["Version"] == "2012-10-17"
    for (statement, wildcard), rendered in zip(built, document["Statement"], strict=True):
        resources = rendered["Resource"] if isinstance(rendered["Resource"], list) else [rendered["Resource"]]
        assert rendered["Effect"] == "Allow" and rendered["Sid"] == statement.sid
        assert rendered["Action"] == sorted(set(statement.actions))
        assert all("*" not in action and "?" not in action for action in rendered["Action"])
        assert resources == list(statement.resources)
        assert ("*" in resources) == wildcard
        assert "NotAction" not in rendered and "NotResource" not in rendered


wildcard_actions = st.one_of(
    st.just("*"),
    st.builds(lambda s: f"{s}:*", st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True)),
    st.builds(
        lambda a, i, c: a[:i] + c + a[i:],
        st.sampled_from(SCOPED_ACTIONS + tuple(ALLOW_LISTED)),
        st.integers(0, 30),
        st.sampled_from("*?"),
    ),
)


@pure
@given(
    actions=st.lists(explicit_actions, max_size=3),
    wild=wildcard_actions,
    resources=st.lists(arns, min_size=1, max_size=2),
)
def test_the_builder_refuses_any_wildcard_action(actions: list[str], wild: str, resources: list[str]) -> None:
    """A statement with a wildcard action (`*`, `service:*`, `s3:Get*`, `?`) is refused, whatever else it holds."""
    with pytest.raises(PolicyBuildError):
        Statement("Wild", [*actions, wild], resources)


@pure
@given(actions=st.lists(explicit_actions, min_size=1, max_size=4), named=st.lists(arns, max_size=2))
@example(actions=["dynamodb:GetItem"], named=[])
def test_a_wildcard_resource_is_granted_only_to_allow_listed_actions(actions: list[str], named: list[str]) -> None:
    """Resource '*' is accepted only alone and only when every action is in iam_allowlist.WILDCARD_RESOURCE_ACTIONS."""
    allowed = not named and all(a in WILDCARD_RESOURCE_ACTIONS for a in actions)
    if allowed:
        assert Statement("Star", actions, ["*"]).to_json()["Resource"] == "*"
    else:
        with pytest.raises(PolicyBuildError):
            Statement("Star", actions, ["*", *named])


@pure
@given(sid=sids, built=st.lists(statements(), min_size=1, max_size=3))
def test_a_document_refuses_duplicate_statement_ids(sid: str, built: list[tuple[Statement, bool]]) -> None:
    """Two statements with the same Sid never make it into one document."""
    same = [dataclasses.replace(s, sid=sid) for s, _ in built]
    with pytest.raises(PolicyBuildError):
        policy_document(same[0], *same)


@pure
@given(
    service=st.from_regex(r"[a-z]{2,12}\.amazonaws\.com", fullmatch=True),
    account=st.from_regex(r"\d{12}", fullmatch=True),
)
def test_every_service_trust_is_pinned_to_the_account(service: str, account: str) -> None:
    """A trust statement always carries aws:SourceAccount (confused deputy) and grants only sts:AssumeRole."""
    trust = ServiceTrust(service, account).to_json()
    assert trust["Action"] == "sts:AssumeRole" and trust["Principal"] == {"Service": service}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == account


@pure
@given(actions=st.lists(st.one_of(explicit_actions, wildcard_actions), min_size=1, max_size=4), scoped=st.booleans())
def test_a_key_grant_is_scoped_and_explicit_or_refused(actions: list[str], scoped: bool) -> None:
    """A key-policy grant to a service needs a condition and explicit kms: actions; anything else is refused."""
    conditions = {"StringEquals": {"aws:SourceAccount": "123456789012"}} if scoped else {}
    acceptable = scoped and all(re.fullmatch(r"kms:[A-Za-z0-9]+", a) for a in actions)
    if acceptable:
        KeyGrant("Grant", "logs.amazonaws.com", actions, conditions)
    else:
        with pytest.raises(PolicyBuildError):
            KeyGrant("Grant", "logs.amazonaws.com", actions, conditions)


# --- physical names ---------------------------------------------------------------------------------------

stages = slugs(STAGE["min_length"], STAGE["max_length"])
part_lists = st.lists(slugs(), min_size=1, max_size=4)
any_parts = st.lists(st.text(st.characters(categories=("L", "N"), include_characters="-_."), max_size=80), max_size=4)

# The AWS rule (tests/property/aws_limits.py) each naming kind must satisfy, and what AWS adds in front of it.
# Keyed by member name: Kind members with equal (max_length, lowercase) values are Enum aliases
# (Kind.LAMBDA is Kind.IAM_ROLE), so a dict keyed by Kind would silently merge them.
KIND_RULES: dict[str, tuple[str, str]] = {
    "IAM_ROLE": ("aws:iam/role:Role", ""),
    "IAM_POLICY": ("aws:iam/rolePolicy:RolePolicy", ""),
    "S3_BUCKET": ("aws:s3/bucket:Bucket", ""),
    "S3_VECTOR_BUCKET": ("aws:s3/vectorsVectorBucket:VectorsVectorBucket", ""),
    "S3_VECTOR_INDEX": ("aws:s3/vectorsIndex:VectorsIndex", ""),
    "LAMBDA": ("aws:lambda/function:Function", ""),
    "LOG_GROUP": ("aws:cloudwatch/logGroup:LogGroup", ""),
    "DYNAMODB_TABLE": ("aws:dynamodb/table:Table", ""),
    "SQS_QUEUE": ("aws:sqs/queue:Queue", ""),
    "SNS_TOPIC": ("aws:sns/topic:Topic", ""),
    "STATE_MACHINE": ("aws:sfn/stateMachine:StateMachine", ""),
    "BEDROCK_AGENT": ("aws:bedrock/agentAgent:AgentAgent", ""),
    "BEDROCK_ALIAS": ("aws:bedrock/agentAgentAlias:AgentAgentAlias", ""),
    "BEDROCK_GUARDRAIL": ("aws:bedrock/guardrail:Guardrail", ""),
    "BEDROCK_KNOWLEDGE_BASE": ("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", ""),
    "BEDROCK_DATA_SOURCE": ("aws:bedrock/agentDataSource:AgentDataSource", ""),
    "BEDROCK_ACTION_GROUP": ("aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup", ""),
    "KMS_ALIAS": ("aws:kms/alias:Alias", "alias/"),  # the Kind's length excludes the "alias/" prefix
    "EVENT_BUS": ("aws:cloudwatch/eventBus:EventBus", ""),
    "EVENT_RULE": ("aws:cloudwatch/eventRule:EventRule", ""),
    "SCHEDULE": ("aws:scheduler/schedule:Schedule", ""),
    "COGNITO_USER_POOL": ("aws:cognito/userPool:UserPool", ""),
    "API": ("aws:apigateway/restApi:RestApi", ""),
    "WAF_WEB_ACL": ("aws:wafv2/webAcl:WebAcl", ""),
    "ALARM": ("aws:cloudwatch/metricAlarm:MetricAlarm", ""),
    "DASHBOARD": ("aws:cloudwatch/dashboard:Dashboard", ""),
    "BUDGET": ("aws:budgets/budget:Budget", ""),
    "XRAY_GROUP": ("aws:xray/group:Group", ""),
}


KIND_NAMES = sorted(Kind.__members__)


@pytest.mark.parametrize("member", KIND_NAMES)
def test_every_naming_kind_fits_the_aws_limit_of_what_it_names(member: str) -> None:
    """Every Kind (aliases included) is judged by an AWS rule here, and its maximum plus AWS's prefix fits that rule."""
    type_, prefix = KIND_RULES[member]
    rule = aws_limits.NAMES[type_][0]
    assert Kind[member].max_length + len(prefix) <= rule.max_length, (
        f"Kind.{member} allows {Kind[member].max_length} characters, AWS allows {rule.max_length} for "
        f"{prefix}<name> ({type_} {rule.prop})"
    )


@pure
@given(member=st.sampled_from(KIND_NAMES), stage=stages, parts=part_lists)
def test_physical_names_are_stable_bounded_and_accepted_by_aws(member: str, stage: str, parts: list[str]) -> None:
    """For schema slugs, a physical name is stable, within the kind's and AWS's limits, and in AWS's pattern."""
    kind = Kind[member]
    name = physical_name(kind, stage, *parts)
    assert name == physical_name(kind, stage, *parts)
    assert len(name) <= kind.max_length
    assert name.startswith(f"{PREFIX}{kind.separator}")
    type_, prefix = KIND_RULES[member]
    problem = aws_limits.fits(aws_limits.NAMES[type_][0], prefix + name)
    assert problem is None, f"Kind.{member}: {problem}"


@pure
@given(kind=st.sampled_from([Kind[m] for m in KIND_NAMES]), stage=st.text(max_size=20), parts=any_parts)
@example(kind=Kind.S3_BUCKET, stage="Walk", parts=["Documents", "X" * 80])
def test_physical_names_never_exceed_the_kind_and_are_lowercase_where_required(
    kind: Kind, stage: str, parts: list[str]
) -> None:
    """For any input, a name fits its kind's maximum, is lowercase where required, has no edge '-' or '_'."""
    name = physical_name(kind, stage, *parts)
    assert len(name) <= kind.max_length
    assert not kind.lowercase or name == name.lower()
    assert not name.startswith(("-", "_")) and not name.endswith(("-", "_"))


@pure
@given(kind=st.sampled_from([Kind[m] for m in KIND_NAMES]), stage=stages, first=part_lists, second=part_lists)
@example(
    kind=Kind.IAM_ROLE, stage="run", first=["x" * 32, "orchestrator", "fn"], second=["x" * 32, "orchestrator", "fm"]
)
def test_distinct_names_stay_distinct_up_to_the_hash(
    kind: Kind, stage: str, first: list[str], second: list[str]
) -> None:
    """Inputs whose full names differ get different physical names, also when both are cut and hashed."""
    full_first, full_second = (kind.separator.join([PREFIX, stage, *parts]) for parts in (first, second))
    if full_first != full_second:
        assert physical_name(kind, stage, *first) != physical_name(kind, stage, *second)


# --- tier resolution --------------------------------------------------------------------------------------

ORDERS: dict[str, tuple[Any, ...]] = {
    "api_auth": (ApiAuth.IAM, ApiAuth.COGNITO),
    "step_functions_log_level": ("OFF", "FATAL", "ERROR", "ALL"),
    "user_pool_mfa": ("OPTIONAL", "ON"),
    "knowledge_data_deletion_policy": ("DELETE", "RETAIN"),
}
DESCRIPTIVE = {"tier", "audience"}
CLOUDWATCH_RETENTION_DAYS = {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557}
CLOUDWATCH_RETENTION_DAYS |= {2922, 3288, 3653}


@pure
@given(tier=st.sampled_from(list(Tier)), as_text=st.booleans())
def test_tier_resolution_is_total(tier: Tier, as_text: bool) -> None:
    """Every tier, as enum or as its name, resolves to its own profile, with AWS-valid retention and key window."""
    resolved = profile(tier.value if as_text else tier)
    assert resolved is TIERS[tier] and resolved.tier is tier
    assert resolved.log_retention_days in CLOUDWATCH_RETENTION_DAYS
    assert 7 <= resolved.kms_deletion_window_days <= 30
    assert resolved.max_agents >= 1


@pure
@given(name=st.text(max_size=12).filter(lambda s: s not in {t.value for t in Tier}))
def test_an_unknown_tier_is_refused(name: str) -> None:
    """Any other tier name is refused, never silently mapped to a default."""
    with pytest.raises(ValueError):
        profile(name)


@pure
@given(lower=st.sampled_from(list(Tier)), higher=st.sampled_from(list(Tier)))
def test_tiers_are_monotone(lower: Tier, higher: Tier) -> None:
    """A higher tier never weakens a lower one: limits, retention, key window, protections, auth, logging grow."""
    if lower.rank > higher.rank:
        lower, higher = higher, lower
    low, high = profile(lower), profile(higher)
    for field in dataclasses.fields(TierProfile):
        a, b = getattr(low, field.name), getattr(high, field.name)
        if field.name in DESCRIPTIVE:
            continue
        if field.name in ORDERS:
            order = ORDERS[field.name]
            assert order.index(a) <= order.index(b), f"{field.name}: {lower.value}={a} > {higher.value}={b}"
        elif isinstance(a, bool):
            assert not a or b, f"{field.name}: on in {lower.value}, off in {higher.value}"
        elif isinstance(a, int):
            assert a <= b, f"{field.name}: {lower.value}={a} > {higher.value}={b}"
        else:
            raise AssertionError(f"TierProfile.{field.name} has no order here: classify it in ORDERS or DESCRIPTIVE")
