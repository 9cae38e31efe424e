"""Foundation-model ARNs for IAM: the exact models (or inference profiles) a role may invoke.

A geographic cross-region inference profile (`us.`, `eu.`, `apac.`, `global.` prefix) routes requests
to the same model in several regions, so its callers need the profile itself and the underlying
foundation model in every region of that geography.
"""

from __future__ import annotations

from dataclasses import dataclass

_PROFILE_PREFIXES = ("us.", "eu.", "apac.", "global.")


@dataclass(frozen=True)
class ModelAccess:
    model_id: str  # what Bedrock is called with (foundation model id or profile id)
    invoke_arns: tuple[str, ...]  # what IAM must allow bedrock:InvokeModel on


def model_access(model_id: str, region: str, account_id: str, partition: str = "aws") -> ModelAccess:
    for prefix in _PROFILE_PREFIXES:
        if model_id.startswith(prefix):
            base = model_id[len(prefix) :]
            return ModelAccess(
                model_id,
                (
                    f"arn:{partition}:bedrock:{region}:{account_id}:inference-profile/{model_id}",
                    f"arn:{partition}:bedrock:*::foundation-model/{base}",
                ),
            )
    return ModelAccess(model_id, (f"arn:{partition}:bedrock:{region}::foundation-model/{model_id}",))
