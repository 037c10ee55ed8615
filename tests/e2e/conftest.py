"""Fixtures for end-to-end tests: a user at the `mend` command line, on each backend."""

from __future__ import annotations

import pytest
from tests.e2e.cli_helpers import Mend


@pytest.fixture
def mend(database_url: str) -> Mend:
    """The CLI on this test's database (SQLite, then PostgreSQL), clock at NOW, zone UTC."""
    return Mend(database_url)
