"""The AgentCore engine's part of the orchestrator environment (AGENT_ENGINE=agentcore), checked on first use.

Set by the Agent/Orchestrator components (the contract: /work/notes/agentcore-contract.md, README.md here):
- HARNESS_ARN: the agent's managed harness.
- CONFIRMATION_TOOLS: `{"<inline tool>": {"function": "<lambda>", "gateway_tool": "<target>___<operationId>"}}`,
  the mutating operations the harness declares as inline functions (the orchestrator runs them after the
  user confirms). `{}` when the agent has none.
- COLLABORATORS (run coordinator only): `{"<delegate tool>": {"agent", "harness_arn", "guardrail_id",
  "guardrail_version"}}`.
- KNOWLEDGE_BASE_IDS (crawl): JSON list of the agent's knowledge base ids, retrieved before the harness.
A malformed value is a deployment bug: ConfigError names the variable, the entry and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.config import ConfigError, env_json, env_optional_str, env_str

# Patterns of the APIs that receive these values (botocore: bedrock-agentcore InvokeHarness harnessArn,
# HarnessToolName; bedrock-runtime ApplyGuardrail guardrailIdentifier/guardrailVersion; bedrock-agent-runtime
# Retrieve knowledgeBaseId; lambda Invoke FunctionName).
HARNESS_ARN = re.compile(
    r"arn:([^:]+)?:bedrock-agentcore:[a-z0-9-]+:[0-9]{12}:harness/[a-zA-Z][a-zA-Z0-9_]{0,39}-[a-zA-Z0-9]{10}"
)
TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
GATEWAY_TOOL = re.compile(r"[a-zA-Z0-9_-]{1,100}___[a-zA-Z0-9_-]{1,64}")
GUARDRAIL_ID = re.compile(r"[a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+")
GUARDRAIL_VERSION = re.compile(r"[1-9][0-9]{0,7}|DRAFT")
KNOWLEDGE_BASE_ID = re.compile(r"[0-9a-zA-Z]{10}")
FUNCTION_NAME = re.compile(
    r"(arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}(-gov)?-[a-z]+-\d{1}:\d{12}:function:)?[a-zA-Z0-9-_]{1,64}(:(\$LATEST|[a-zA-Z0-9-_]+))?"
)


@dataclass(frozen=True)
class ConfirmationTool:
    function: str  # the tool Lambda's name or ARN
    gateway_tool: str  # `<target>___<operationId>`: the tool name the Lambda routes on

    @property
    def target(self) -> str:
        return self.gateway_tool.split("___", 1)[0]

    @property
    def operation(self) -> str:
        return self.gateway_tool.split("___", 1)[1]


@dataclass(frozen=True)
class Collaborator:
    agent: str
    harness_arn: str
    guardrail_id: str
    guardrail_version: str


@dataclass(frozen=True)
class HarnessConfig:
    harness_arn: str
    confirmation_tools: Mapping[str, ConfirmationTool] = field(default_factory=dict)
    collaborators: Mapping[str, Collaborator] = field(default_factory=dict)
    knowledge_base_ids: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HarnessConfig:
        harness_arn = env_str("HARNESS_ARN", environ=environ)
        _require("HARNESS_ARN", harness_arn, HARNESS_ARN, "an AgentCore harness ARN (…:harness/<name>-<10 alnum>)")
        return cls(
            harness_arn=harness_arn,
            confirmation_tools=_confirmation_tools(_optional_json("CONFIRMATION_TOOLS", {}, environ)),
            collaborators=_collaborators(_optional_json("COLLABORATORS", {}, environ)),
            knowledge_base_ids=_knowledge_base_ids(_optional_json("KNOWLEDGE_BASE_IDS", [], environ)),
        )


def _optional_json(name: str, default: Any, environ: Mapping[str, str] | None) -> Any:
    return env_json(name, environ=environ) if env_optional_str(name, environ=environ) else default


def _require(where: str, value: Any, pattern: re.Pattern[str], rule: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ConfigError(f"environment variable {where} must be {rule}")


def _entries(name: str, value: Any, keys: tuple[str, ...]) -> Mapping[str, Mapping[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"environment variable {name} must be a JSON object of tool name -> {{{', '.join(keys)}}}")
    for tool, entry in value.items():
        _require(f"{name} key {tool!r}", tool, TOOL_NAME, "a tool name of 1-64 A-Z a-z 0-9 _ -")
        if not isinstance(entry, dict) or sorted(entry) != sorted(keys):
            raise ConfigError(f"environment variable {name}[{tool!r}] must have exactly the keys {', '.join(keys)}")
    return value


def _confirmation_tools(value: Any) -> dict[str, ConfirmationTool]:
    tools = {}
    for name, entry in _entries("CONFIRMATION_TOOLS", value, ("function", "gateway_tool")).items():
        where = f"CONFIRMATION_TOOLS[{name!r}]"
        _require(f"{where}.function", entry["function"], FUNCTION_NAME, "a Lambda function name or ARN")
        _require(f"{where}.gateway_tool", entry["gateway_tool"], GATEWAY_TOOL, "<target>___<operationId>")
        tools[name] = ConfirmationTool(entry["function"], entry["gateway_tool"])
    return tools


def _collaborators(value: Any) -> dict[str, Collaborator]:
    keys = ("agent", "harness_arn", "guardrail_id", "guardrail_version")
    collaborators = {}
    for name, entry in _entries("COLLABORATORS", value, keys).items():
        where = f"COLLABORATORS[{name!r}]"
        _require(f"{where}.agent", entry["agent"], re.compile(r"[a-z0-9][a-z0-9-]{0,62}"), "an agent name (slug)")
        _require(f"{where}.harness_arn", entry["harness_arn"], HARNESS_ARN, "an AgentCore harness ARN")
        _require(f"{where}.guardrail_id", entry["guardrail_id"], GUARDRAIL_ID, "a guardrail id or ARN")
        _require(f"{where}.guardrail_version", entry["guardrail_version"], GUARDRAIL_VERSION, "a version number")
        collaborators[name] = Collaborator(**entry)
    return collaborators


def _knowledge_base_ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError("environment variable KNOWLEDGE_BASE_IDS must be a JSON list of knowledge base ids")
    for index, kb in enumerate(value):
        _require(f"KNOWLEDGE_BASE_IDS[{index}]", kb, KNOWLEDGE_BASE_ID, "a knowledge base id (10 A-Z a-z 0-9)")
    return tuple(value)
