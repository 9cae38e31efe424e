from __future__ import annotations

from pathlib import Path

import pytest

from selfservice import Project
from tests.selfservice.harness import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A temporary copy of the platform, named and placed as the `pulumi new` projects expect it."""
    return copy_project(tmp_path / "agent-platform")
