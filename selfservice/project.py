"""Where things live in a checkout of the platform (the repository, or a temporary copy in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from environments.catalog import REPO_ROOT, available_tools


@dataclass(frozen=True)
class Project:
    root: Path = REPO_ROOT

    @property
    def environments_dir(self) -> Path:
        return self.root / "environments"

    @property
    def tools_dir(self) -> Path:
        return self.root / "functions" / "tools"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def template_dir(self, kind: str) -> Path:
        return self.templates_dir / kind

    def stage_file(self, stage: str) -> Path:
        return self.environments_dir / f"{stage}.yaml"

    def stack_file(self, stage: str) -> Path:
        return self.root / f"Pulumi.{stage}.yaml"

    def stages(self) -> list[str]:
        return sorted(path.stem for path in self.environments_dir.glob("*.yaml"))

    def tools(self) -> frozenset[str]:
        return available_tools(self.tools_dir)

    def read_yaml(self, path: Path) -> Any:
        """A file's data, or None when it is missing or not YAML (other checks report those)."""
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return None

    def shown(self, path: Path) -> str:
        """A path as the user sees it: relative to the checkout."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
