"""Team-server test helpers: accounts, and browsers logged in as them.

team_app = app_factory(team=True)
ana = add_account(team_app, "ana@example.org")
web = create_app(team_app)
with logged_in(web, "ana@example.org") as client: ...   # a TestClient with a session
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import NOW

from mend.app import App
from mend.services import accounts
from mend.store.accounts import Account

PASSWORD = "correct horse battery"


def add_account(app: App, email: str, *, password: str = PASSWORD, **fields: Any) -> Account:
    """An account that can log in with ``password``."""
    return accounts.add_account(app.uow(), email=email, password=password, now=NOW, **fields)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/login", json={"email": email, "password": password})
    assert response.status_code == 204, response.text


@contextmanager
def logged_in(web: Any, email: str, password: str = PASSWORD) -> Iterator[TestClient]:
    """A browser logged in as ``email`` on the team server ``web``."""
    with TestClient(web) as client:
        log_in(client, email, password)
        yield client
