"""The chat request contract, taken from the orchestrator itself so the API and the Lambda never disagree."""

from __future__ import annotations

import importlib
from typing import Any

from components.base.packaging import functions_importable


def chat_request_schema() -> dict[str, Any]:
    """JSON Schema (draft-04) of `POST /agents/{agent}/chat`, installed as the API Gateway request model."""
    with functions_importable():
        contract = importlib.import_module("orchestrator.contract")
    return dict(contract.CHAT_REQUEST_SCHEMA)
