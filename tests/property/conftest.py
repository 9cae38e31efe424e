"""Hypothesis profiles of the property tests: `fast` for `make test`, `deep` for `make test-deep`.

- fast: derandomized (reproducible in CI; derandomize implies no example database), small example
  counts (tests/property/budget.py); properties that run the program report a failure as found,
  without shrinking (`budget.expensive`).
- deep: many more and larger stages, shrinking on, failures kept in `.hypothesis/examples` (gitignored)
  and replayed first on the next deep run.
Both: no deadline (a program run takes seconds), `too_slow` suppressed. Loading a profile sets the
session's default, so other hypothesis tests of the suite are derandomized in `make test` too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.property.budget import PROFILE, SPEC_SEED
from tests.property.stages import Workbench

REPO = Path(__file__).resolve().parents[2]

settings.register_profile(
    "fast",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "deep",
    deadline=None,
    database=DirectoryBasedExampleDatabase(REPO / ".hypothesis" / "examples"),
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(PROFILE)


def pytest_report_header(config: pytest.Config) -> str:
    return f"property tests: hypothesis profile {PROFILE!r}, spec seed {SPEC_SEED} (set PROPERTY_SEED to replay)"


@pytest.fixture(scope="session")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    """Generated environment files, their program runs and policy reports, memoized per spec."""
    yield Workbench(tmp_path_factory.mktemp("generated-environments"))
