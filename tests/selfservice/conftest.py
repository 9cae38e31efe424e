from __future__ import annotations

from pathlib import Path

import pytest

from selfservice import Project
from tests.selfservice.harness import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A temporary copy of the platform: the renderer writes there, never into the repository."""
    return copy_project(tmp_path / "agent-platform")
