"""Sessions live on the server: random, stored hashed, ended at logout, on expiry and when
the password changes. Threat: a cookie that leaked (a shared computer, a copied browser
profile, a log) or a session id planted before login.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import NOW
from tests.web.conftest import csrf_token

from mend.app import App
from mend.passwords import hash_password
from mend.services import auth
from mend.store.tables import web_sessions
from mend.web.app import create_app
from mend.web.security import SESSION_COOKIE

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def locked_app(app_factory: Any, clock: Clock) -> App:
    app: App = app_factory(clock=clock, password_hash=hash_password(PASSWORD))
    return app


@pytest.fixture
def browser(locked_app: App) -> Iterator[Callable[[], TestClient]]:
    """Makes clients (browsers) on one locked web app."""
    web = create_app(locked_app)
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(web)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def log_in(client: TestClient) -> str:
    response = client.post("/login", json={"password": PASSWORD})
    assert response.status_code == 204, response.text
    return str(client.cookies[SESSION_COOKIE])


def test_each_login_gets_its_own_random_session(browser: Callable[[], TestClient]) -> None:
    first, second = browser(), browser()
    a, b = log_in(first), log_in(second)
    assert a != b
    assert len(a) >= 40 and "owner" not in a
    again = log_in(first)
    assert again != a, "a new login rotates the session"
    first.cookies.set(SESSION_COOKIE, a, domain="testserver.local")
    assert first.get("/api/v1/people").status_code == 401, "the replaced session is gone"


def test_the_database_keeps_only_a_hash_of_the_token(
    browser: Callable[[], TestClient], locked_app: App
) -> None:
    token = log_in(browser())
    with locked_app.uow(write=False) as uow:
        stored = list(uow.connection.execute(select(web_sessions.c.token_hash)).scalars())
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in stored


def test_logout_ends_the_session_for_good(browser: Callable[[], TestClient]) -> None:
    client = browser()
    token = log_in(client)
    assert client.get("/api/v1/people").status_code == 200
    out = client.post("/logout", json={})
    assert out.status_code == 204
    replay = browser()
    replay.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    assert replay.get("/api/v1/people").status_code == 401, "the old cookie opens nothing"
    assert replay.get("/", follow_redirects=False).headers["location"] == "/login"


def test_logging_out_with_the_form(browser: Callable[[], TestClient]) -> None:
    client = browser()
    log_in(client)
    token = str(client.cookies[SESSION_COOKIE])
    out = client.post("/logout", data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert out.status_code == 303
    replay = browser()
    replay.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    assert replay.get("/api/v1/people").status_code == 401


def test_an_idle_session_expires(browser: Callable[[], TestClient], clock: Clock) -> None:
    client = browser()
    log_in(client)
    clock.at += auth.SESSION_IDLE - timedelta(minutes=1)
    assert client.get("/api/v1/people").status_code == 200, "used in time: still open"
    clock.at += auth.SESSION_IDLE - timedelta(minutes=1)
    assert client.get("/api/v1/people").status_code == 200, "each use moves the idle clock"
    clock.at += auth.SESSION_IDLE
    assert client.get("/api/v1/people").status_code == 401


def test_a_session_ends_after_its_absolute_lifetime(
    browser: Callable[[], TestClient], clock: Clock
) -> None:
    client = browser()
    log_in(client)
    end = NOW + auth.SESSION_MAX
    while clock.at + timedelta(hours=6) < end:
        clock.at += timedelta(hours=6)
        assert client.get("/api/v1/people").status_code == 200
    clock.at = end
    assert client.get("/api/v1/people").status_code == 401


def test_changing_the_password_ends_every_session(
    browser: Callable[[], TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The running server watches the config file (as `mend password` writes it).
    config = Path(str(tmp_path / "user-home" / "no-such-config.toml"))
    config.parent.mkdir(parents=True, exist_ok=True)
    client = browser()
    log_in(client)
    config.write_text(f'password_hash = "{hash_password("a brand new secret")}"\n')
    assert client.get("/api/v1/people").status_code == 401, "the old password's session ended"
    assert client.post("/login", json={"password": PASSWORD}).status_code == 401
    assert client.post("/login", json={"password": "a brand new secret"}).status_code == 204
    assert client.get("/api/v1/people").status_code == 200


def test_mend_password_deletes_every_session(locked_app: App) -> None:
    for _ in range(3):
        auth.open_session(locked_app.uow(), client="1.2.3.4", password_hash="h", now=NOW)
    assert auth.end_all_sessions(locked_app.uow()) == 3
    with locked_app.uow(write=False) as uow:
        assert list(uow.connection.execute(select(web_sessions.c.id))) == []


def test_a_planted_session_cookie_is_replaced_at_login(
    browser: Callable[[], TestClient],
) -> None:
    client = browser()
    client.cookies.set(SESSION_COOKIE, "planted-by-someone-else", domain="testserver.local")
    token = log_in(client)
    assert token != "planted-by-someone-else"


def test_the_session_cookie_is_http_only_strict_and_scoped(
    browser: Callable[[], TestClient],
) -> None:
    response = browser().post("/login", json={"password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert f"max-age={int(auth.SESSION_MAX.total_seconds())}" in cookie
