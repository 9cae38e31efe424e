"""Environment files: one per stage, validated before anything is built."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from environments.catalog import REPO_ROOT, available_tools
from environments.schema import Environment, humanize_location
from environments.tiers import Tier, TierProfile, profile

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails  # pydantic's own error-details type (pydantic depends on it)

ENVIRONMENTS_DIR = REPO_ROOT / "environments"

__all__ = [
    "ENVIRONMENTS_DIR",
    "Environment",
    "EnvironmentFileError",
    "Tier",
    "TierProfile",
    "environment_path",
    "load_environment",
    "parse_environment",
    "profile",
]


class EnvironmentFileError(ValueError):
    """An environment file that can't be deployed; the message names the file, the field and the fix."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        headline = f"{path}: {problems[0]}"
        more = "".join(f"\n{path}: {p}" for p in problems[1:])
        super().__init__(headline + more)


def environment_path(name: str, directory: Path = ENVIRONMENTS_DIR) -> Path:
    """`crawl` -> environments/crawl.yaml; a path is taken as is."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate if candidate.is_absolute() else REPO_ROOT / candidate
    return directory / f"{name}.yaml"


def load_environment(name: str, directory: Path = ENVIRONMENTS_DIR) -> Environment:
    """Read and validate an environment file; raise EnvironmentFileError with a clear message."""
    path = environment_path(name, directory)
    shown = _display(path)
    if not path.is_file():
        known = sorted(p.stem for p in directory.glob("*.yaml"))
        raise EnvironmentFileError(
            shown, [f"no such environment file; known environments: {', '.join(known) or 'none'}"]
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise EnvironmentFileError(shown, [f"{where}invalid YAML ({problem}); fix the syntax"]) from None
    return parse_environment(data, shown)


def parse_environment(data: Any, source: str = "<environment>") -> Environment:
    """Validate already-parsed environment data (used by templates and property tests too)."""
    if not isinstance(data, dict):
        raise EnvironmentFileError(source, ["the file must be a YAML mapping of fields (stage, tier, agents, ...)"])
    try:
        return Environment.model_validate(data, context={"tools": available_tools()})
    except ValidationError as error:
        raise EnvironmentFileError(source, [_describe(e) for e in error.errors()]) from None


def _describe(error: ErrorDetails) -> str:
    loc = tuple(error["loc"])
    field = humanize_location(loc)
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        return f"{field}: unknown field; allowed fields here: {', '.join(allowed)}"
    if kind == "missing":
        return f"{field}: required field is missing; add it"
    if not field:
        return message
    shown_input = error.get("input")
    got = f" (got {shown_input!r})" if isinstance(shown_input, (str, int, float, bool)) else ""
    return f"{field}: {message[0].lower() + message[1:]}{got}"


def _allowed_fields(loc: tuple[int | str, ...]) -> list[str]:
    """The field names the model at `loc` accepts, for 'unknown field' messages."""
    model: Any = Environment
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        inner = getattr(annotation, "__args__", None)
        model = inner[0] if inner else annotation
    return sorted(model.model_fields)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
