"""Observability of a stage: the seed's metrics, alarms on them, a dashboard, X-Ray and a budget.

Metrics (namespace AgentPlatform, dimensions service + stage) are emitted by the functions through
Powertools (`functions/shared/metrics.py` names them): latency, error rate, tool failure rate and
token spend each get an alarm that notifies the stage's alarm topic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.compute.lambda_function import METRICS_NAMESPACE
from components.messaging.resource_policy import ServicePublisher
from components.messaging.secure_topic import SecureTopic, SecureTopicArgs
from environments.schema import Alarms, Budget

FIVE_MINUTES = 300
ONE_DAY = 86_400


@dataclass(frozen=True)
class ObservabilityArgs:
    location: Location
    key: aws.kms.Key  # the data CMK: encrypts the alarm topic
    alarm_emails: Sequence[str]  # who receives alarms and budget notifications
    alarms: Alarms  # the environment file's thresholds
    budget: Budget


class Observability(pulumi.ComponentResource):
    def __init__(self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:observability:Observability", name, None, opts)
        location = args.location
        self._location = location
        self._prefix = name
        self.alarm_topic = SecureTopic(
            f"{name}-alarms",
            SecureTopicArgs(
                location=location,
                purpose="alarms",
                key=args.key,
                email_subscribers=args.alarm_emails,
                publishers=(ServicePublisher("cloudwatch.amazonaws.com", location.arn("cloudwatch", "alarm:*")),),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        ).topic
        thresholds = args.alarms
        orchestrator = {"service": "orchestrator", "stage": location.stage}
        tools = {"service": "tools", "stage": location.stage}
        self._alarm(
            "agent-latency-p99",
            f"p99 agent latency above {thresholds.latency_p99_ms} ms",
            threshold=thresholds.latency_p99_ms,
            metric=("AgentLatency", orchestrator, "p99"),
        )
        self._ratio_alarm(
            "agent-error-rate",
            f"agent error rate above {thresholds.error_rate_percent} %",
            ("AgentErrors", "AgentInvocations", orchestrator),
            thresholds.error_rate_percent,
        )
        self._ratio_alarm(
            "tool-failure-rate",
            f"tool failure rate above {thresholds.tool_failure_rate_percent} %",
            ("ToolFailures", "ToolInvocations", tools),
            thresholds.tool_failure_rate_percent,
        )
        self._token_spend_alarm(thresholds.daily_token_budget, orchestrator)
        aws.xray.Group(
            f"{name}-xray-group",
            aws.xray.GroupArgs(
                group_name=physical_name(Kind.XRAY_GROUP, location.stage, "traces"),
                filter_expression=f'annotation.stage = "{location.stage}"',
                insights_configuration=aws.xray.GroupInsightsConfigurationArgs(
                    insights_enabled=True, notifications_enabled=True
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            aws.cloudwatch.DashboardArgs(
                dashboard_name=physical_name(Kind.DASHBOARD, location.stage, "agents"),
                dashboard_body=json.dumps(self._dashboard_body(orchestrator, tools)),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        budget = args.budget
        aws.budgets.Budget(
            f"{name}-budget",
            aws.budgets.BudgetArgs(
                name=physical_name(Kind.BUDGET, location.stage, "monthly"),
                budget_type="COST",
                time_unit="MONTHLY",
                limit_amount=f"{budget.monthly_limit_usd:.2f}",
                limit_unit="USD",
                # Costs of this stage only: every resource carries the `environment` cost-allocation tag.
                cost_filters=[
                    aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=[f"user:environment${location.stage}"])
                ],
                notifications=[
                    aws.budgets.BudgetNotificationArgs(
                        comparison_operator="GREATER_THAN",
                        notification_type=kind,
                        threshold=budget.alert_threshold_percent,
                        threshold_type="PERCENTAGE",
                        subscriber_email_addresses=list(args.alarm_emails),
                    )
                    for kind in ("ACTUAL", "FORECASTED")
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"alarmTopicArn": self.alarm_topic.arn, "dashboard": self.dashboard.dashboard_name})

    def _alarm_args(self, suffix: str, description: str) -> dict[str, Any]:
        return {
            "name": physical_name(Kind.ALARM, self._location.stage, suffix),
            "alarm_description": f"agent-platform {self._location.stage}: {description}",
            "alarm_actions": [self.alarm_topic.arn],
            "ok_actions": [self.alarm_topic.arn],
            "comparison_operator": "GreaterThanThreshold",
            "treat_missing_data": "notBreaching",
        }

    def _alarm(self, suffix: str, description: str, threshold: float, metric: tuple[str, dict[str, str], str]) -> None:
        metric_name, dimensions, statistic = metric
        aws.cloudwatch.MetricAlarm(
            f"{self._prefix}-{suffix}",
            aws.cloudwatch.MetricAlarmArgs(
                **self._alarm_args(suffix, description),
                namespace=METRICS_NAMESPACE,
                metric_name=metric_name,
                dimensions=dimensions,
                extended_statistic=statistic,
                period=FIVE_MINUTES,
                evaluation_periods=3,
                datapoints_to_alarm=2,
                threshold=threshold,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _ratio_alarm(
        self, suffix: str, description: str, metrics: tuple[str, str, dict[str, str]], percent: float
    ) -> None:
        failures, total, dimensions = metrics
        aws.cloudwatch.MetricAlarm(
            f"{self._prefix}-{suffix}",
            aws.cloudwatch.MetricAlarmArgs(
                **self._alarm_args(suffix, description),
                evaluation_periods=3,
                datapoints_to_alarm=2,
                threshold=percent,
                metric_queries=[
                    self._sum_query("failures", failures, dimensions, FIVE_MINUTES),
                    self._sum_query("total", total, dimensions, FIVE_MINUTES),
                    aws.cloudwatch.MetricAlarmMetricQueryArgs(
                        id="rate",
                        expression="IF(total > 0, 100 * failures / total, 0)",
                        label=description,
                        return_data=True,
                    ),
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _token_spend_alarm(self, daily_budget: int, dimensions: dict[str, str]) -> None:
        aws.cloudwatch.MetricAlarm(
            f"{self._prefix}-daily-token-spend",
            aws.cloudwatch.MetricAlarmArgs(
                **self._alarm_args("daily-token-spend", f"more than {daily_budget} tokens in a day"),
                evaluation_periods=1,
                threshold=daily_budget,
                metric_queries=[
                    self._sum_query("input", "InputTokens", dimensions, ONE_DAY),
                    self._sum_query("output", "OutputTokens", dimensions, ONE_DAY),
                    aws.cloudwatch.MetricAlarmMetricQueryArgs(
                        id="tokens", expression="input + output", label="tokens per day", return_data=True
                    ),
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    @staticmethod
    def _sum_query(
        query_id: str, metric: str, dimensions: dict[str, str], period: int
    ) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
        return aws.cloudwatch.MetricAlarmMetricQueryArgs(
            id=query_id,
            return_data=False,
            metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                namespace=METRICS_NAMESPACE, metric_name=metric, dimensions=dimensions, period=period, stat="Sum"
            ),
        )

    def queue_depth_alarm(self, resource_name: str, queue: aws.sqs.Queue, purpose: str) -> aws.cloudwatch.MetricAlarm:
        """Anything in a dead-letter queue needs a human: alarm on the first message."""
        return aws.cloudwatch.MetricAlarm(
            resource_name,
            aws.cloudwatch.MetricAlarmArgs(
                **self._alarm_args(f"{purpose}-dlq-not-empty", f"messages waiting in the {purpose} dead-letter queue"),
                namespace="AWS/SQS",
                metric_name="ApproximateNumberOfMessagesVisible",
                dimensions={"QueueName": queue.name},
                statistic="Maximum",
                period=FIVE_MINUTES,
                evaluation_periods=1,
                threshold=0,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _dashboard_body(self, orchestrator: dict[str, str], tools: dict[str, str]) -> dict[str, Any]:
        def metric(name: str, dims: dict[str, str], stat: str = "Sum") -> list[Any]:
            return [METRICS_NAMESPACE, name, *[x for kv in dims.items() for x in kv], {"stat": stat}]

        def widget(title: str, metrics: list[list[Any]], x: int, y: int) -> dict[str, Any]:
            return {
                "type": "metric",
                "x": x,
                "y": y,
                "width": 12,
                "height": 6,
                "properties": {"title": title, "region": self._location.region, "metrics": metrics, "period": 300},
            }

        return {
            "widgets": [
                widget(
                    "Agent latency (ms)",
                    [metric("AgentLatency", orchestrator, "p50"), metric("AgentLatency", orchestrator, "p99")],
                    0,
                    0,
                ),
                widget(
                    "Agent invocations and errors",
                    [metric("AgentInvocations", orchestrator), metric("AgentErrors", orchestrator)],
                    12,
                    0,
                ),
                widget(
                    "Tool invocations and failures",
                    [metric("ToolInvocations", tools), metric("ToolFailures", tools)],
                    0,
                    6,
                ),
                widget("Tokens", [metric("InputTokens", orchestrator), metric("OutputTokens", orchestrator)], 12, 6),
                widget(
                    "Guard, fallbacks and escalations",
                    [
                        metric("GuardBlocked", orchestrator),
                        metric("Fallbacks", orchestrator),
                        metric("Escalations", orchestrator),
                        metric("CircuitOpen", orchestrator),
                    ],
                    0,
                    12,
                ),
            ]
        }
