"""The tool catalog: every action-group tool that ships under `functions/tools/<name>/`."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS_DIR = REPO_ROOT / "functions" / "tools"


def tool_package(tool_name: str) -> str:
    """Environment files name tools in kebab-case; their Python packages use snake_case."""
    return tool_name.replace("-", "_")


def available_tools(tools_dir: Path = TOOLS_DIR) -> frozenset[str]:
    """Names (kebab-case) of the tools that have a manifest, i.e. that the platform can deploy."""
    if not tools_dir.is_dir():
        return frozenset()
    return frozenset(p.parent.name.replace("_", "-") for p in tools_dir.glob("*/tool.yaml"))
