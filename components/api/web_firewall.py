"""WAF in front of the run tier's API: AWS managed rule groups, a per-IP rate limit, logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.logs import LogGroupSettings, encrypted_log_group
from components.base.naming import Kind, physical_name

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",  # OWASP top-10 style protections
    "AWSManagedRulesKnownBadInputsRuleSet",  # Log4j, exploit payloads
    "AWSManagedRulesAmazonIpReputationList",  # bots, scanners, known-bad sources
)
REQUESTS_PER_5_MINUTES_PER_IP = 1000


def _visibility(metric: str) -> dict[str, Any]:
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric, "sampled_requests_enabled": True}


@dataclass(frozen=True)
class WebFirewallArgs:
    location: Location
    stage_arn: pulumi.Input[str]  # the API stage it protects
    logs: LogGroupSettings


class WebFirewall(pulumi.ComponentResource):
    def __init__(self, name: str, args: WebFirewallArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:api:WebFirewall", name, None, opts)
        stage = args.location.stage
        acl_name = physical_name(Kind.WAF_WEB_ACL, stage, "api")
        rules = [
            aws.wafv2.WebAclRuleArgs(
                name=group,
                priority=index,
                override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
                    # pulumi-aws generates this empty Args class with an unannotated __init__.
                    none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()  # type: ignore[no-untyped-call]
                ),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                        vendor_name="AWS", name=group
                    )
                ),
                visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**_visibility(group)),
            )
            for index, group in enumerate(MANAGED_RULE_GROUPS)
        ]
        rules.append(
            aws.wafv2.WebAclRuleArgs(
                name="rate-limit-per-ip",
                priority=len(MANAGED_RULE_GROUPS),
                action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                        limit=REQUESTS_PER_5_MINUTES_PER_IP, aggregate_key_type="IP", evaluation_window_sec=300
                    )
                ),
                visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**_visibility("rate-limit-per-ip")),
            )
        )
        self.web_acl = aws.wafv2.WebAcl(
            f"{name}-web-acl",
            aws.wafv2.WebAclArgs(
                name=acl_name,
                description=f"agent-platform {stage}: protects the agents API",
                scope="REGIONAL",
                default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
                rules=rules,
                visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(**_visibility(acl_name)),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.wafv2.WebAclAssociation(
            f"{name}-association",
            aws.wafv2.WebAclAssociationArgs(resource_arn=args.stage_arn, web_acl_arn=self.web_acl.arn),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # WAF only delivers to log groups whose name starts with "aws-waf-logs-".
        log_group = encrypted_log_group(f"{name}-logs", f"aws-waf-logs-{acl_name}", args.logs, self)
        aws.wafv2.WebAclLoggingConfiguration(
            f"{name}-logging",
            aws.wafv2.WebAclLoggingConfigurationArgs(
                resource_arn=self.web_acl.arn,
                log_destination_configs=[log_group.arn],
                redacted_fields=[
                    aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                        single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(
                            name="authorization"
                        )
                    )
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"webAclArn": self.web_acl.arn})
