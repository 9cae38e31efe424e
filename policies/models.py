"""Models: every model a stage calls is Active on Amazon Bedrock and answers in the stage's Region.

The facts come from the model catalogue (environments/models.py), the same one the environment schema and the
components read: its lifecycle states (AWS "Model lifecycle" pages), the Regions where a model answers in-Region
and the source Regions of its inference profiles. A model the catalogue does not know is refused too: nobody has
recorded whether it is Active.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from environments.models import (
    ModelCatalogueError,
    invocation,
    is_model_reference,
    lifecycle_problem,
    lookup,
    split_reference,
)
from policies.core import registry, stage
from policies.core.props import plain
from policies.core.tags import tags

MODEL_LIFECYCLE_ACTIVE = "model-lifecycle-active"
# arn:<partition>:bedrock:<region>:<account>:<kind>/<model or profile id>
_MODEL_ARN = re.compile(r"^arn:[a-z-]+:bedrock:([a-z0-9-]*):[0-9]*:(foundation-model|inference-profile)/(.+)$")


@cache
def _carriers() -> frozenset[str]:
    """The resource types that call models: those the registry maps to this policy."""
    return frozenset(registry.types_for(MODEL_LIFECYCLE_ACTIVE))


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every string in the properties, policy documents (JSON text) left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str) and not value.lstrip().startswith(("{", "[")):
        yield path, value


def model_problem(text: str, region: str | None) -> str | None:
    """What is wrong with calling the model `text` names (an id, a profile id or their ARN) from `region`."""
    arn = _MODEL_ARN.match(text)
    reference = arn.group(3) if arn else text
    if not is_model_reference(reference):
        return None
    try:
        model = lookup(reference)
    except ModelCatalogueError as error:
        return str(error)
    problem = lifecycle_problem(model)
    if problem or region is None:
        return problem
    geography, _ = split_reference(reference)
    if arn and arn.group(1) and arn.group(1) != region:
        return f"{text} names {arn.group(1)}, not the stage's Region {region}"
    if geography is None:
        if region in model.in_region:
            return None
        how = "in-Region"
    else:
        profile = model.profile(geography)
        if profile is not None and region in profile.routes:
            return None
        how = f"through the {geography.value}. profile"
    try:
        route = invocation(model.model_id, region)
    except ModelCatalogueError as error:
        return str(error)
    return (
        f"{reference} does not answer {how} in {region}; call {route.model_id} ({route.route}, environments/models.py)"
    )


def validate_model_lifecycle(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in _carriers():
        return
    region = stage.current().region
    for path, text in _strings(plain(args.props)):
        problem = model_problem(text, region)
        if problem:
            report_violation(f"{path}: {problem}.", None)


model_lifecycle_active = ResourceValidationPolicy(
    name=MODEL_LIFECYCLE_ACTIVE,
    description="Every model an agent, a fallback, an evaluator or a knowledge base calls is Active in the model "
    "catalogue (not Legacy, not End-of-Life, not unknown) and answers in the stage's Region: in-Region, or "
    "through an inference profile whose source Regions include it.",
    validate=validate_model_lifecycle,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Leave models to the environment file's defaults or pin an Active model of "
    "environments/models.py; the components call it through the inference profile the catalogue picks for the "
    "stage's Region.",
    tags=tags("models"),
)

POLICIES = [model_lifecycle_active]
