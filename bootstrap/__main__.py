"""agent-platform-bootstrap: what one AWS account needs before the pipeline can deploy its stages.

Run once per account by an administrator (README, "Deploy for real"): the S3 state backend and the KMS
key of the stacks' secrets, GitHub's OIDC provider, and per stage a deploy role and a read role.
"""

import sys
from pathlib import Path

# The program shares the platform's environment files and the derived permissions: make the repository
# importable (the language host runs this file from bootstrap/).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pulumi
import pulumi_aws as aws

from bootstrap.documents import DocumentError, Place
from bootstrap.pipeline_identity import (
    StageRoles,
    StageRolesArgs,
    github_oidc_provider,
    pipeline_role_pattern,
)
from bootstrap.settings import SettingsError, parse_settings
from bootstrap.state_backend import StateBackend, StateBackendArgs
from environments import profile

config = pulumi.Config()
try:
    settings = parse_settings(config.get("repository"), config.get("stages"), config.get("defaultBranch"))
except SettingsError as error:
    raise pulumi.RunError(str(error)) from None

region = pulumi.Config("aws").require("region")
first = settings.stages[0]
highest_tier = max((e.tier for e in settings.stages), key=lambda tier: ["crawl", "walk", "run"].index(tier.value))
provider = aws.Provider(
    "bootstrap-aws",
    aws.ProviderArgs(
        region=region,
        default_tags=aws.ProviderDefaultTagsArgs(
            tags={
                "environment": f"bootstrap-{settings.account_label}",
                "tier": highest_tier.value,
                "owner": first.owner,
                "cost-center": first.cost_center,
                "managed-by": "pulumi",
                "project": "agent-platform",
            }
        ),
    ),
)
invoke = pulumi.InvokeOptions(provider=provider)
place = Place(
    partition=aws.get_partition(opts=invoke).partition,
    region=region,
    account=aws.get_caller_identity(opts=invoke).account_id,
)
opts = pulumi.ResourceOptions(provider=provider)

signing_stages = {e.stage for e in settings.stages if profile(e.tier).code_signing}
backend = StateBackend(
    "state",
    StateBackendArgs(place.account, place.region, place.partition, pipeline_role_pattern(place), bool(signing_stages)),
    opts=opts,
)
oidc = github_oidc_provider("github-oidc", backend)
roles = {}
try:
    for stage in settings.stage_names:
        roles[stage] = StageRoles(
            stage,
            StageRolesArgs(
                stage, settings.repository, settings.default_branch, place, oidc, backend, stage in signing_stages
            ),
            opts=opts,
        )
except DocumentError as error:
    raise pulumi.RunError(str(error)) from None

pulumi.export("backendUrl", backend.backend_url)
pulumi.export("secretsProvider", backend.secrets_provider)
pulumi.export("stateBucket", backend.bucket_name)
pulumi.export("artifactsBucket", backend.artifacts_bucket_name)
pulumi.export("deployRoles", {stage: r.arns["deploy"] for stage, r in roles.items()})
pulumi.export("readRoles", {stage: r.arns["read"] for stage, r in roles.items()})
