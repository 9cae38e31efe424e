"""Model access for IAM: which id a role calls Bedrock with, and the statements that let it, in AWS's form.

The model catalogue (environments/models.py) decides how a stage in its Region calls a model: in-Region, through
a geographic cross-Region inference profile, or through the global one. AWS documents the IAM each needs:

- in-Region: the foundation model in the stage's Region;
- geographic profile ("Geographic cross-Region inference", https://docs.aws.amazon.com/bedrock/latest/userguide/
  geographic-cross-region-inference.html): the profile in the source Region, plus the foundation model in the
  source Region and every destination Region of the profile, conditioned on `bedrock:InferenceProfileArn`;
- global profile ("Global cross-Region inference", .../global-cross-region-inference.html): the profile in the
  source Region (`aws:RequestedRegion` = source), the foundation model in the source Region (same Region, through
  the profile) and the Region-less foundation model `arn:aws:bedrock:::foundation-model/<id>`
  (`aws:RequestedRegion` = `unspecified`, through the profile). All three or the call is denied.

`model_access(...).statements(sid, actions)` returns exactly those statements; `invoke_arns` lists their resources
for callers that still build one statement themselves (they then grant the same ARNs without the conditions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.base.iam import Statement
from environments.models import Invocation, ModelCatalogueError, ModelUse, invocation
from environments.schema import Models

INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


class ModelAccessError(pulumi.RunError, ValueError):
    """A model the stage's Region cannot call; a RunError, so the Pulumi CLI shows it as one line."""


@dataclass(frozen=True)
class ModelAccess:
    model_id: str  # what Bedrock is called with (foundation-model id or inference-profile id)
    invoke_arns: tuple[str, ...]  # every resource the documented statements name
    invocation: Invocation
    partition: str
    profile_arn: str | None = None  # the system-defined profile in the stage's Region, when called through one

    def foundation_model_arn(self, region: str) -> str:
        """`region` "" is the Region-less ARN global cross-Region inference needs."""
        return f"arn:{self.partition}:bedrock:{region}::foundation-model/{self.invocation.model.model_id}"

    def statements(self, sid: str, actions: Sequence[str] = INVOKE_ACTIONS) -> list[Statement]:
        """The statements AWS documents for this route; their ids start with `sid`."""
        region = self.invocation.region
        if self.profile_arn is None:
            return [Statement(sid=sid, actions=actions, resources=(self.foundation_model_arn(region),))]
        through_profile = {"bedrock:InferenceProfileArn": self.profile_arn}
        if not self.invocation.is_global:
            regions = sorted({region, *self.invocation.destinations})
            return [
                Statement(sid=f"{sid}Profile", actions=actions, resources=(self.profile_arn,)),
                Statement(
                    sid=f"{sid}Models",
                    actions=actions,
                    resources=tuple(self.foundation_model_arn(r) for r in regions),
                    conditions={"StringEquals": through_profile},
                ),
            ]
        return [
            Statement(
                sid=f"{sid}Profile",
                actions=actions,
                resources=(self.profile_arn,),
                conditions={"StringEquals": {"aws:RequestedRegion": region}},
            ),
            Statement(
                sid=f"{sid}Model",
                actions=actions,
                resources=(self.foundation_model_arn(region),),
                conditions={"StringEquals": {"aws:RequestedRegion": region, **through_profile}},
            ),
            Statement(
                sid=f"{sid}GlobalModel",
                actions=actions,
                resources=(self.foundation_model_arn(""),),
                conditions={"StringEquals": {"aws:RequestedRegion": "unspecified", **through_profile}},
            ),
        ]


def model_access(model_id: str, region: str, account_id: str, partition: str = "aws") -> ModelAccess:
    """How a role in `region` invokes `model_id` (a catalogue model id, or a profile id pinning the route)."""
    try:
        route = invocation(model_id, region)
    except ModelCatalogueError as error:
        raise ModelAccessError(str(error)) from None
    if route.profile is None:
        arn = f"arn:{partition}:bedrock:{region}::foundation-model/{route.model.model_id}"
        return ModelAccess(route.model_id, (arn,), route, partition)
    profile_arn = f"arn:{partition}:bedrock:{region}:{account_id}:inference-profile/{route.model_id}"
    access = ModelAccess(route.model_id, (), route, partition, profile_arn)
    arns = tuple(dict.fromkeys(r for s in access.statements("Invoke") for r in s.resources if isinstance(r, str)))
    return ModelAccess(route.model_id, arns, route, partition, profile_arn)


def stage_invocations(models: Models, region: str) -> dict[ModelUse, Invocation]:
    """Every model of the stage resolved for its Region, before anything is built: a model the Region cannot call
    fails the program at once, naming the environment field (never a half-built stage)."""
    resolved: dict[ModelUse, Invocation] = {}
    for use in ModelUse:
        reference = getattr(models, use.value)
        try:
            resolved[use] = invocation(reference, region)
        except ModelCatalogueError as error:
            raise ModelAccessError(f"models.{use.value}: {error}") from None
    embedding = resolved[ModelUse.EMBEDDING]
    if embedding.profile is not None:
        raise ModelAccessError(
            f"models.embedding: knowledge bases call their embedding model in-Region, and {region} offers "
            f"{models.embedding} only through {embedding.model_id}; choose an embedding model offered in {region}"
        )
    return resolved
