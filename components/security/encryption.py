"""Customer-managed KMS keys, one per data domain, rotated, with least-privilege key policies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from components.base.iam import KEY_SERVICE_ACTIONS, KeyGrant, Statement, key_policy
from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options


class KeyDomain(StrEnum):
    DATA = "data"  # documents, sessions, tool data, queues, topics, vectors
    LOGS = "logs"  # CloudWatch log groups, model-invocation logs
    AGENTS = "agents"  # Bedrock agents, guardrails, knowledge-base ingestion


_PURPOSE = {
    KeyDomain.DATA: "application data at rest: documents, sessions, tool data, queues, topics and vectors",
    KeyDomain.LOGS: "CloudWatch log groups: function, workflow, API access and model-invocation logs",
    KeyDomain.AGENTS: "Bedrock agents, guardrails and knowledge-base ingestion",
}


def _grants(domain: KeyDomain, location: Location, workflow_log_delivery: bool) -> list[KeyGrant]:
    """Service principals that use the key directly (not through an IAM role), each scoped to this account."""
    account = {"StringEquals": {"aws:SourceAccount": location.account_id}}
    if domain is KeyDomain.LOGS:
        # CloudWatch Logs sends no aws:SourceAccount; AWS scopes it through the log-group encryption context.
        log_groups = location.arn("logs", "log-group:*")
        return [
            KeyGrant(
                sid="CloudWatchLogsEncryptsThisAccountsLogGroups",
                service=f"logs.{location.region}.amazonaws.com",
                actions=KEY_SERVICE_ACTIONS,
                conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
            )
        ]
    if domain is KeyDomain.DATA:
        grants = [
            KeyGrant(
                sid="CloudWatchAlarmsPublishToEncryptedTopics",
                service="cloudwatch.amazonaws.com",
                actions=("kms:Decrypt", "kms:GenerateDataKey"),
                conditions=account,
            ),
            KeyGrant(
                sid="EventBridgeDeliversToEncryptedQueues",
                service="events.amazonaws.com",
                actions=("kms:Decrypt", "kms:GenerateDataKey"),
                conditions=account,
            ),
        ]
        if workflow_log_delivery:
            # Vended log delivery reads the execution data of CMK-encrypted state machines to log it.
            grants.append(
                KeyGrant(
                    sid="LogDeliveryReadsThisStagesWorkflows",
                    service="delivery.logs.amazonaws.com",
                    actions=("kms:Decrypt",),
                    conditions={
                        **account,
                        "StringLike": {
                            "kms:EncryptionContext:aws:states:stateMachineArn": location.arn(
                                "states", f"stateMachine:{physical_name(Kind.STATE_MACHINE, location.stage)}_*"
                            )
                        },
                    },
                )
            )
        return grants
    return []


@dataclass(frozen=True)
class EncryptionArgs:
    location: Location
    deletion_window_days: int  # TierProfile.kms_deletion_window_days
    retain_on_delete: bool  # TierProfile.retain_on_delete
    workflow_log_delivery: bool  # the stage runs Step Functions workflows (TierProfile.workflow): logs read them


class Encryption(pulumi.ComponentResource):
    """Creates one CMK (and alias) per `KeyDomain`; `key(domain)` hands them to the other components."""

    def __init__(self, name: str, args: EncryptionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:security:Encryption", name, None, opts)
        location = args.location
        self._location = location
        self.keys: dict[KeyDomain, aws.kms.Key] = {}
        self.aliases: dict[KeyDomain, str] = {}
        for domain in KeyDomain:
            key = aws.kms.Key(
                f"{name}-{domain.value}-key",
                aws.kms.KeyArgs(
                    description=f"agent-platform {location.stage}: {_PURPOSE[domain]}",
                    enable_key_rotation=True,
                    rotation_period_in_days=365,
                    deletion_window_in_days=args.deletion_window_days,
                    key_usage="ENCRYPT_DECRYPT",
                    customer_master_key_spec="SYMMETRIC_DEFAULT",
                    policy=key_policy(
                        location.account_id, location.partition, _grants(domain, location, args.workflow_log_delivery)
                    ),
                ),
                opts=data_options(self, args.retain_on_delete),
            )
            self.aliases[domain] = f"alias/{physical_name(Kind.KMS_ALIAS, location.stage, domain.value)}"
            aws.kms.Alias(
                f"{name}-{domain.value}-alias",
                aws.kms.AliasArgs(
                    name=self.aliases[domain],
                    target_key_id=key.key_id,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.keys[domain] = key
        self.register_outputs({f"{d.value}KeyArn": k.arn for d, k in self.keys.items()})

    def key(self, domain: KeyDomain) -> aws.kms.Key:
        return self.keys[domain]

    def use(
        self,
        domain: KeyDomain,
        sid: str,
        actions: Sequence[str],
        *,
        via: Sequence[str] = (),
        conditions: Mapping[str, Mapping[str, object]] | None = None,
    ) -> Statement:
        """An identity-policy statement on this stage's `domain` key, used through the `via` services.

        The key is named by its alias (`kms:ResourceAliases`) rather than its ARN: the alias is known before
        the key exists, so the whole policy document stays known in preview and the policy pack can judge it
        there. The alias condition narrows `key/*` to exactly this key.
        """
        location = self._location
        scoped: dict[str, dict[str, object]] = {
            "ForAnyValue:StringEquals": {"kms:ResourceAliases": [self.aliases[domain]]}
        }
        if via:
            services = [f"{service}.{location.region}.amazonaws.com" for service in via]
            scoped["StringEquals"] = {"kms:ViaService": services[0] if len(services) == 1 else services}
        for operator, values in (conditions or {}).items():
            scoped.setdefault(operator, {}).update(values)
        return Statement(sid=sid, actions=tuple(actions), resources=(location.arn("kms", "key/*"),), conditions=scoped)
