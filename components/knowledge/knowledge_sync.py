"""Knowledge freshness: re-ingest a source when its documents change, and on its schedule anyway.

S3 sends object events to EventBridge; a rule invokes the kb_sync function, which starts an ingestion
job for the source whose prefix changed. EventBridge Scheduler invokes it on each source's schedule.
Every asynchronous path ends in a failure queue: nothing fails silently.

Nine kinds of AWS resource, one more than a component usually holds: the sync function's two triggers
(an EventBridge rule with its target and invoke permission; Scheduler schedules with their role and
policy), Lambda's own asynchronous retry config, and the failure queue (with its policy) that all three
delivery paths share. Split, that one queue would be handed between components and no single place
would show that every path ends in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.packaging import FUNCTIONS_DIR
from components.base.roles import service_role
from components.compute.lambda_function import (
    FunctionBaseline,
    FunctionCode,
    FunctionSize,
    LambdaFunction,
    LambdaFunctionArgs,
)
from components.knowledge.knowledge_base import KnowledgeBase
from components.messaging.dead_end_queue import dead_end_queue
from components.messaging.resource_policy import ServicePublisher
from components.observability.observability import Observability
from components.security.encryption import Encryption, KeyDomain
from components.storage.secure_bucket import SecureBucket

RETRY_ATTEMPTS = 2
MAX_EVENT_AGE_SECONDS = 3600


@dataclass(frozen=True)
class KnowledgeSyncArgs:
    baseline: FunctionBaseline  # the stage's location, keys and log settings (function, queue, schedules)
    observability: Observability  # alarms on the failure queue
    documents: SecureBucket
    bases: Mapping[str, KnowledgeBase]
    retain_on_delete: bool  # TierProfile.retain_on_delete: the failure queue holds work to look at


class KnowledgeSync(pulumi.ComponentResource):
    def __init__(self, name: str, args: KnowledgeSyncArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:knowledge:KnowledgeSync", name, None, opts)
        location, encryption = args.baseline.location, args.baseline.encryption
        data_key = encryption.key(KeyDomain.DATA)
        rule_name = physical_name(Kind.EVENT_RULE, location.stage, "documents-changed")
        rule_arn = location.arn("events", f"rule/{rule_name}")

        # Where invocations that failed every retry wait for a human.
        failures = dead_end_queue(
            f"{name}-failures",
            location,
            purpose=("kb-sync-failures",),
            key=data_key,
            publishers=(ServicePublisher("events.amazonaws.com", rule_arn),),
            parent=self,
            retain_on_delete=args.retain_on_delete,
        )
        self.failures, self.failures_arn = failures.queue, failures.named_arn
        args.observability.queue_depth_alarm(f"{name}-failures-alarm", self.failures, "kb-sync")

        sources = {
            source: {
                "knowledgeBaseId": base.knowledge_base.id,
                "dataSourceId": base.data_source.data_source_id,
                "prefix": base.prefix,
            }
            for source, base in args.bases.items()
        }
        self.function = LambdaFunction(
            f"{name}-function",
            LambdaFunctionArgs(
                baseline=args.baseline,
                name_parts=("kb-sync",),
                code=FunctionCode(FUNCTIONS_DIR / "kb_sync", service="kb-sync"),
                description="Starts knowledge-base ingestion when documents change and on schedule",
                environment={
                    "KNOWLEDGE_SOURCES": pulumi.Output.json_dumps(sources),
                    "DOCUMENTS_BUCKET": args.documents.name,
                },
                statements=(
                    Statement(
                        sid="IngestOwnKnowledgeBases",
                        actions=("bedrock:StartIngestionJob", "bedrock:ListIngestionJobs"),
                        resources=tuple(base.arn for base in args.bases.values()),
                    ),
                    *self._report_failures(encryption),
                ),
                size=FunctionSize(memory_mb=256, timeout_seconds=60),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        function = self.function.function
        aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async-config",
            aws.lambda_.FunctionEventInvokeConfigArgs(
                function_name=function.name,
                maximum_retry_attempts=RETRY_ATTEMPTS,
                maximum_event_age_in_seconds=MAX_EVENT_AGE_SECONDS,
                destination_config=aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                    on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                        destination=self.failures.arn
                    )
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._documents_changed_trigger(name, location, args.documents, rule_name, rule_arn)
        self._schedules(name, location, encryption, args.bases)
        self.register_outputs({"functionName": function.name, "failureQueueUrl": self.failures.url})

    def _report_failures(self, encryption: Encryption) -> tuple[Statement, ...]:
        """What every sender of failed invocations to the failure queue needs (Lambda and Scheduler alike)."""
        return (
            Statement(sid="ReportFailures", actions=("sqs:SendMessage",), resources=(self.failures_arn,)),
            encryption.use(
                KeyDomain.DATA, "EncryptFailureReports", ("kms:GenerateDataKey", "kms:Decrypt"), via=("sqs",)
            ),
        )

    def _documents_changed_trigger(
        self, name: str, location: Location, documents: SecureBucket, rule_name: str, rule_arn: str
    ) -> None:
        rule = aws.cloudwatch.EventRule(
            f"{name}-documents-changed",
            aws.cloudwatch.EventRuleArgs(
                name=rule_name,
                description="Documents added to or removed from the knowledge-base bucket",
                event_pattern=json.dumps(
                    {
                        "source": ["aws.s3"],
                        "detail-type": ["Object Created", "Object Deleted"],
                        "detail": {"bucket": {"name": [documents.name]}},
                    }
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        function = self.function.function
        aws.lambda_.Permission(
            f"{name}-events-invoke",
            aws.lambda_.PermissionArgs(
                action="lambda:InvokeFunction",
                function=function.name,
                principal="events.amazonaws.com",
                source_arn=rule.arn,
                source_account=location.account_id,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.cloudwatch.EventTarget(
            f"{name}-documents-changed-target",
            aws.cloudwatch.EventTargetArgs(
                rule=rule.name,
                arn=function.arn,
                retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
                    maximum_retry_attempts=RETRY_ATTEMPTS, maximum_event_age_in_seconds=MAX_EVENT_AGE_SECONDS
                ),
                dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=self.failures.arn),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _schedules(
        self, name: str, location: Location, encryption: Encryption, bases: Mapping[str, KnowledgeBase]
    ) -> None:
        function = self.function.function
        data_key = encryption.key(KeyDomain.DATA)
        schedule_group = location.arn("scheduler", "schedule-group/default")
        role, policy = service_role(
            f"{name}-scheduler",
            location.stage,
            name_parts=("kb-sync-scheduler",),
            description="EventBridge Scheduler invokes the kb-sync function on each source's schedule",
            trust=ServiceTrust("scheduler.amazonaws.com", location.account_id, source_arn=schedule_group),
            statements=(
                Statement(sid="InvokeKbSync", actions=("lambda:InvokeFunction",), resources=(self.function.named_arn,)),
                *self._report_failures(encryption),
                encryption.use(KeyDomain.DATA, "DecryptScheduleInput", ("kms:Decrypt",), via=("scheduler",)),
            ),
            parent=self,
        )
        for source in (base.source for base in bases.values()):
            aws.scheduler.Schedule(
                f"{name}-{source.name}-schedule",
                aws.scheduler.ScheduleArgs(
                    name=physical_name(Kind.SCHEDULE, location.stage, "kb-sync", source.name),
                    description=f"Re-ingest knowledge source {source.name}",
                    schedule_expression=source.sync_schedule,
                    kms_key_arn=data_key.arn,
                    flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(
                        mode="FLEXIBLE", maximum_window_in_minutes=15
                    ),
                    target=aws.scheduler.ScheduleTargetArgs(
                        arn=function.arn,
                        role_arn=role.arn,
                        input=json.dumps({"source": source.name}),
                        retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                            maximum_retry_attempts=RETRY_ATTEMPTS, maximum_event_age_in_seconds=MAX_EVENT_AGE_SECONDS
                        ),
                        dead_letter_config=aws.scheduler.ScheduleTargetDeadLetterConfigArgs(arn=self.failures.arn),
                    ),
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
            )
