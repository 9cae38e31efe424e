"""One correlation id per request, everywhere: Logger keys, metric metadata, X-Ray annotations.

Where it comes from, in order: the Step Functions payload (`correlationId`, set by the state
machine from its execution), API Gateway's `requestContext.requestId`, the X-Ray trace id Lambda
exposes in `_X_AMZN_TRACE_ID`, and finally the Lambda request id.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics, Tracer
    from aws_lambda_powertools.utilities.typing import LambdaContext

CORRELATION_KEY = "correlation_id"
# The log field that marks a record as replayable: `filter replay = "<marker>"` in Logs Insights finds
# them (markers: shared.session_store.REPLAY_MARKER, shared.escalation.REPLAY_MARKER).
REPLAY_FIELD = "replay"
# X-Ray patches only botocore (every AWS call the functions make). Powertools' default patches every
# supported library (requests, httplib, sqlite3, ...), which imports them at cold start for nothing.
TRACED_MODULES = ("botocore",)

# Invocations that count nothing (a rejected request, a record step) are normal here; Powertools
# would print this warning to every such log stream.
warnings.filterwarnings("ignore", message="No application metrics to publish")
# Step Functions execution ARNs (the state machine's correlation id) can reach 256 characters.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:/=+-]{1,256}$")


def trace_root() -> str | None:
    header = os.environ.get("_X_AMZN_TRACE_ID", "")
    for part in header.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "Root" and value:
            return value.strip()
    return None


def correlation_id_from_event(event: Any, context: LambdaContext | None = None) -> str:
    if isinstance(event, Mapping):
        candidates = (
            event.get("correlationId"),
            (event.get("requestContext") or {}).get("requestId")
            if isinstance(event.get("requestContext"), Mapping)
            else None,
        )
        for candidate in candidates:
            # Only well-formed ids free of personal data: this value lands in every log line and in X-Ray.
            if isinstance(candidate, str) and _SAFE_ID.match(candidate) and _no_pii(candidate):
                return candidate
    root = trace_root()
    if root:
        return root
    return getattr(context, "aws_request_id", None) or "unknown"


def _no_pii(value: str) -> bool:
    from shared.pii import find_pii, normalize

    return not find_pii(normalize(value))


def bind_correlation_id(correlation_id: str, *, logger: Logger, metrics: Metrics, tracer: Tracer) -> None:
    logger.set_correlation_id(correlation_id)
    metrics.add_metadata(CORRELATION_KEY, correlation_id)
    tracer.put_annotation(CORRELATION_KEY, correlation_id)


def add_stage_dimension(metrics: Metrics) -> None:
    """`service` (POWERTOOLS_SERVICE_NAME) + `stage` (STAGE): the dimension set every alarm is built on.
    Added per invocation because Powertools clears dimensions after a flush (its default dimensions
    would be re-applied, but that path warns about a duplicate dimension on every flush)."""
    from shared.config import stage

    if "stage" not in metrics.dimension_set:  # an empty flush keeps the previous dimensions
        metrics.add_dimension(name="stage", value=stage())


def start_request(
    event: Any, context: LambdaContext | None, *, logger: Logger, tracer: Tracer, metrics: Metrics
) -> str:
    """First thing every handler does: stage dimension, then one correlation id everywhere."""
    add_stage_dimension(metrics)
    correlation_id = correlation_id_from_event(event, context)
    bind_correlation_id(correlation_id, logger=logger, metrics=metrics, tracer=tracer)
    return correlation_id


def log_error(logger: Logger | Any, message: str, error: BaseException, **fields: Any) -> None:
    """The one way to log a failure: structured fields only. The error's text passes the PII
    recogniser (exception messages quote request values: a KeyError names the key, a pydantic error
    the input), and the stack is file, line and function per frame, never a traceback's text."""
    import traceback

    from shared.pii import scrub

    frames = traceback.extract_tb(error.__traceback__)[-8:]
    logger.error(
        message,
        extra={
            "error_type": type(error).__name__,
            "error": scrub(error),
            "stack": [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}" for frame in frames],
            **fields,
        },
    )


def detach(error: BaseException) -> BaseException:
    """The error to let escape a handler: its message through the recogniser and, raised `from None`,
    without the chain of causes. Powertools' Tracer and the Lambda runtime log an escaping exception
    with its traceback, and a cause's message (an AWS error quoting the request) would be in it.
    The type is kept: Step Functions matches Retry and Catch on it."""
    from shared.pii import scrub

    text = str(error)
    scrubbed = scrub(text, 2_000)
    if scrubbed != text:
        error.args = (scrubbed,)
    error.__cause__ = None
    error.__context__ = None
    return error
