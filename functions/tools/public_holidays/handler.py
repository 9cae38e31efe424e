"""Lambda entry point: `public_holidays.handler.lambda_handler`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from shared.observability import TRACED_MODULES
from shared.tool_runtime import resolve_tool_event

from public_holidays.api import app

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer(patch_modules=TRACED_MODULES)
metrics = Metrics()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)  # responses can hold customer data
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Any:
    return resolve_tool_event(app, event, context, logger=logger, tracer=tracer, metrics=metrics)
