"""JSON event fixtures in the shapes AWS documents, and the one helper that loads them.

`load_event("apigw_chat_request")` returns a fresh dict each call, so tests can mutate it freely.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parent


def load_event(name: str) -> Any:
    path = EVENTS_DIR / f"{name.removesuffix('.json')}.json"
    return json.loads(path.read_text(encoding="utf-8"))
