"""The crawl -> walk -> run tier matrix: what each tier turns on, in one explicit table.

The program (components/platform.py, which hands each component the values it needs), the environment
schema and the policy pack all read this table, so a capability can't be on in the program and off in the
rules (or the reverse). Every decision that differs by tier is a field of its own here: a component never
derives one decision from another tier value, and never compares tier names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    CRAWL = "crawl"
    WALK = "walk"
    RUN = "run"

    @property
    def rank(self) -> int:
        return list(Tier).index(self)


class ApiAuth(StrEnum):
    IAM = "iam"
    COGNITO = "cognito"

    @property
    def label(self) -> str:
        """How people call it (README's tier matrix, `make new-stage`)."""
        return {ApiAuth.IAM: "IAM (SigV4)", ApiAuth.COGNITO: "Cognito JWT"}[self]

    @property
    def method_authorizations(self) -> tuple[str, ...]:
        """The API Gateway method `authorization` values that meet this mode: IAM accepts a Cognito user-pool
        authorizer too (as strong, and what the next tier needs); Cognito accepts only Cognito."""
        return {
            ApiAuth.IAM: ("AWS_IAM", "COGNITO_USER_POOLS"),
            ApiAuth.COGNITO: ("COGNITO_USER_POOLS",),
        }[self]


@dataclass(frozen=True)
class TierProfile:
    tier: Tier
    max_agents: int
    requires_knowledge: bool  # the grounded-agent workflow needs at least one knowledge source
    multi_agent_collaboration: bool
    api_auth: ApiAuth
    waf: bool
    workflow: bool  # Step Functions grounded-agent workflow + human-escalation queue
    async_work: bool  # EventBridge bus + SQS work queue with DLQ
    log_retention_days: int
    point_in_time_recovery: bool
    # The services' own deletion protection: DynamoDB tables, Cognito user pools, CloudWatch log groups.
    deletion_protection: bool
    retain_on_delete: bool  # Pulumi `protect` and retain-on-delete on every data-bearing resource
    # What Bedrock does with a knowledge source's vectors when its data source is deleted: DELETE or RETAIN.
    knowledge_data_deletion_policy: str
    kms_deletion_window_days: int
    contextual_grounding: bool
    step_functions_log_level: str
    code_signing: bool  # Lambda runs only packages the pipeline signed (AWS Signer + code-signing config)
    user_pool_mfa: str  # Cognito mfa_configuration: OPTIONAL lets users enrol a factor, ON requires one
    audience: str


TIERS: dict[Tier, TierProfile] = {
    Tier.CRAWL: TierProfile(
        tier=Tier.CRAWL,
        max_agents=1,
        requires_knowledge=False,
        multi_agent_collaboration=False,
        api_auth=ApiAuth.IAM,
        waf=False,
        workflow=False,
        async_work=False,
        log_retention_days=30,
        point_in_time_recovery=False,
        deletion_protection=False,
        retain_on_delete=False,
        knowledge_data_deletion_policy="DELETE",
        kms_deletion_window_days=7,
        contextual_grounding=False,
        step_functions_log_level="ERROR",
        code_signing=False,
        user_pool_mfa="OPTIONAL",
        audience="internal users",
    ),
    Tier.WALK: TierProfile(
        tier=Tier.WALK,
        max_agents=10,
        requires_knowledge=True,
        multi_agent_collaboration=False,
        api_auth=ApiAuth.COGNITO,
        waf=False,
        workflow=True,
        async_work=False,
        log_retention_days=90,
        point_in_time_recovery=True,
        deletion_protection=False,
        retain_on_delete=False,
        knowledge_data_deletion_policy="DELETE",
        kms_deletion_window_days=14,
        contextual_grounding=True,
        step_functions_log_level="ALL",
        code_signing=False,
        user_pool_mfa="OPTIONAL",
        audience="extended user groups",
    ),
    Tier.RUN: TierProfile(
        tier=Tier.RUN,
        max_agents=200,
        requires_knowledge=True,
        multi_agent_collaboration=True,
        api_auth=ApiAuth.COGNITO,
        waf=True,
        workflow=True,
        async_work=True,
        log_retention_days=365,
        point_in_time_recovery=True,
        deletion_protection=True,
        retain_on_delete=True,
        knowledge_data_deletion_policy="RETAIN",
        kms_deletion_window_days=30,
        contextual_grounding=True,
        step_functions_log_level="ALL",
        code_signing=True,
        user_pool_mfa="ON",
        audience="all users",
    ),
}


def profile(tier: Tier | str) -> TierProfile:
    """The profile of a tier, given as enum or name."""
    return TIERS[Tier(tier)]


def strictest() -> TierProfile:
    """The profile at least as strict as every other in each capability: the last tier's, since the matrix only
    grows stricter from tier to tier (tests/property/test_pure_helpers.py::test_tiers_are_monotone)."""
    return TIERS[max(Tier, key=lambda tier: tier.rank)]
