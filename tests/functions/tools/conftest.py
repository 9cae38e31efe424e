"""Tool fixtures: each tool's repository is rebuilt inside the moto mock for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ticket_create import api as ticket_create_api
from ticket_lookup import api as ticket_lookup_api


@pytest.fixture(autouse=True)
def fresh_repositories() -> Iterator[None]:
    ticket_lookup_api.repository.reset()
    ticket_create_api.repository.reset()
    yield
    ticket_lookup_api.repository.reset()
    ticket_create_api.repository.reset()
