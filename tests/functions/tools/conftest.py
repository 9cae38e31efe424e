"""Tool fixtures: each tool's repository (or external client) is rebuilt for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from public_holidays import api as public_holidays_api
from ticket_create import api as ticket_create_api
from ticket_lookup import api as ticket_lookup_api


@pytest.fixture(autouse=True)
def fresh_repositories() -> Iterator[None]:
    for lazy in (ticket_lookup_api.repository, ticket_create_api.repository, public_holidays_api.calendar):
        lazy.reset()
    yield
    for lazy in (ticket_lookup_api.repository, ticket_create_api.repository, public_holidays_api.calendar):
        lazy.reset()
