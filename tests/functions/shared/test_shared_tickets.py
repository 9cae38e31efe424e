"""The tickets vocabulary is one contract between the tool that writes tickets and the one that reads them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from shared.tickets import TICKET_ID_PATTERN
from ticket_create.repository import ticket_id_for


@given(session_id=st.text(min_size=1, max_size=100), title=st.text(min_size=3, max_size=120))
def test_every_id_ticket_create_mints_is_one_ticket_lookup_accepts(session_id: str, title: str) -> None:
    assert re.fullmatch(TICKET_ID_PATTERN, ticket_id_for(session_id, title))
