"""Identifiers the orchestrator hands to InvokeHarness, all derived, none stored.

- runtimeSessionId (33-100 chars of [a-zA-Z0-9-_], first alphanumeric: botocore's InvokeHarness model):
  one per platform session AND harness, so a coordinator and each collaborator keep their own stateful
  session (AWS: "Use the same session ID across requests to continue a conversation") and a session
  continues after a confirmation.
- actorId (AgentCore Memory's namespace key; ActorId pattern, <= 255): pseudonymous and stable, a hash of
  the authenticated end user when the API knows one (Cognito `sub`), else of the platform session.
- traceParent (W3C trace context): the invocation's X-Ray trace id in W3C form (X-Ray `1-<8 hex>-<24
  hex>` is the same 128 bits as W3C's 32 hex), so the coordinator, every collaborator and the Lambda
  share one trace (AWS: "Amazon Bedrock AgentCore and AWS X-Ray", xray-services-agentcore.html). Without
  an X-Ray header (tests, local runs) the ids derive from the correlation id, still one trace per turn.
"""

from __future__ import annotations

import hashlib
import os
import re

_XRAY_ROOT = re.compile(r"1-([0-9a-f]{8})-([0-9a-f]{24})")
_SPAN = re.compile(r"[0-9a-f]{16}")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def runtime_session_id(session_id: str, harness: str) -> str:
    """`harness` names which harness of the agent (its own, or a collaborator's agent name)."""
    return f"s-{_digest('runtime-session', harness, session_id)}"  # 66 characters


def actor_id(session_id: str, principal: str | None = None) -> str:
    if principal:
        return f"user-{_digest('principal', principal)[:40]}"
    return f"session-{_digest('session', session_id)[:40]}"


def trace_parent(correlation_id: str, xray_header: str | None = None) -> str:
    header = os.environ.get("_X_AMZN_TRACE_ID", "") if xray_header is None else xray_header
    fields = dict(part.strip().partition("=")[::2] for part in header.split(";") if "=" in part)
    root = _XRAY_ROOT.fullmatch(fields.get("Root", ""))
    if root:
        trace_id = root.group(1) + root.group(2)
        parent = fields.get("Parent", "")
        span_id = parent if _SPAN.fullmatch(parent) and parent != "0" * 16 else _digest("span", trace_id)[:16]
        flags = "00" if fields.get("Sampled") == "0" else "01"
        return f"00-{trace_id}-{span_id}-{flags}"
    digest = _digest("trace", correlation_id)
    return f"00-{digest[:32]}-{digest[32:48]}-01"
