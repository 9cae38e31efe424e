"""The deploy roles' permissions are derived from what each stage registers, and the files are current."""

from __future__ import annotations

from fnmatch import fnmatchcase
from types import SimpleNamespace

import pytest

from bootstrap import derivation
from bootstrap.derivation import NAMED_BY_PLATFORM, DerivationError, derive, scope_arn
from engine import load_stack, run_program
from tests.bootstrap.conftest import REPO

# pulumi type -> (its physical-name input, the ARN variable the derivation pins to the stage's prefix)
NAME_INPUTS = {
    "aws:iam/role:Role": ("name", ("iam", "RoleNameWithPath")),
    "aws:lambda/function:Function": ("name", ("lambda", "FunctionName")),
    "aws:dynamodb/table:Table": ("name", ("dynamodb", "TableName")),
    "aws:sqs/queue:Queue": ("name", ("sqs", "QueueName")),
    "aws:sns/topic:Topic": ("name", ("sns", "TopicName")),
    "aws:sfn/stateMachine:StateMachine": ("name", ("states", "StateMachineName")),
    "aws:cloudwatch/eventRule:EventRule": ("name", ("events", "RuleName")),
    "aws:cloudwatch/eventArchive:EventArchive": ("name", ("events", "ArchiveName")),
    "aws:scheduler/schedule:Schedule": ("name", ("scheduler", "ScheduleName")),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", ("cloudwatch", "AlarmName")),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName", ("cloudwatch", "DashboardName")),
    "aws:budgets/budget:Budget": ("name", ("budgets", "BudgetName")),
    "aws:xray/group:Group": ("groupName", ("xray", "GroupName")),
    "aws:wafv2/webAcl:WebAcl": ("name", ("wafv2", "Name")),
    "aws:signer/signingProfile:SigningProfile": ("name", ("signer", "ProfileName")),
    "aws:s3/bucket:Bucket": ("bucket", ("s3", "BucketName")),
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket": ("vectorBucketName", ("s3vectors", "BucketName")),
    "aws:s3/vectorsIndex:VectorsIndex": ("indexName", ("s3vectors", "IndexName")),
}


@pytest.mark.slow
def test_the_committed_permissions_and_allow_list_are_current() -> None:
    # WHEN the derivation runs over today's stages THEN it writes exactly what is committed
    stale = [
        str(path.relative_to(REPO))
        for path, text in derivation.generated_files().items()
        if not path.is_file() or path.read_text() != text
    ]
    assert not stale, f"run `python -m bootstrap.derivation --write`: {stale}"


@pytest.mark.slow
@pytest.mark.parametrize("stage", derivation.PLATFORM_STACKS)
def test_every_name_the_platform_gives_falls_inside_its_stage_scope(stage: str) -> None:
    # GIVEN the stage's resources, every name known (up mode)
    run = run_program(load_stack(REPO, stage), "up")
    outside = []
    for resource in run.resources:
        if resource.type not in NAME_INPUTS:
            continue
        key, variable = NAME_INPUTS[resource.type]
        pattern = NAMED_BY_PLATFORM[variable].format(stage=stage)
        name = resource.inputs[key].removeprefix("alias/")
        if not fnmatchcase(name, pattern):
            outside.append(f"{resource.type} {name!r} !~ {pattern!r}")
    # THEN the deploy role's name-scoped grants reach every one of them
    assert not outside


def test_platform_named_arns_are_pinned_to_the_stage_and_generated_ids_to_the_account() -> None:
    assert scope_arn("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}", "walk") == [
        "arn:${Partition}:lambda:${Region}:${Account}:function:ap_walk_*"
    ]
    assert scope_arn("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "run") == ["arn:${Partition}:s3:::ap-run-*/*"]
    assert scope_arn("arn:${Partition}:bedrock:${Region}:${Account}:agent/${AgentId}", "run") == [
        "arn:${Partition}:bedrock:${Region}:${Account}:agent/*"
    ]
    # rules live on the default bus (S3 notifications) or on the stage's own bus
    assert scope_arn("arn:${Partition}:events:${Region}:${Account}:rule/${EventBusName}/${RuleName}", "run") == [
        "arn:${Partition}:events:${Region}:${Account}:rule/ap_run_*/ap_run_*",
        "arn:${Partition}:events:${Region}:${Account}:rule/default/ap_run_*",
    ]


def _registration(type_: str, **inputs: object) -> SimpleNamespace:
    return SimpleNamespace(type=type_, name="x", inputs=inputs)


def test_a_type_without_a_mapping_is_refused_with_the_fix() -> None:
    with pytest.raises(DerivationError, match=r"aws:ec2/vpc:Vpc: no CloudFormation type .* CLOUDFORMATION_TYPE"):
        derive([_registration("aws:ec2/vpc:Vpc")], "crawl", "crawl", "us-east-1")


def test_a_lone_queue_gets_queue_actions_on_its_stage_queues_only() -> None:
    # GIVEN a stage registering one queue
    permissions = derive([_registration("aws:sqs/queue:Queue", name="ap_dev_jobs")], "dev", "dev", "us-east-1")
    # THEN creating it is allowed on the stage's queues, and nothing of another service leaks in
    assert permissions.deploy.scoped["sqs:CreateQueue"] == {"arn:${Partition}:sqs:${Region}:${Account}:ap_dev_*"}
    assert {a.split(":")[0] for a in permissions.deploy.scoped} <= {"sqs"}
    assert "sqs:DeleteQueue" not in permissions.read.scoped  # the read role only reads
    assert "sqs:GetQueueAttributes" in permissions.read.scoped
