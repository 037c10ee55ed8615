"""Guessing the password online: a few mistakes are free, then each one doubles the wait,
per client and over all clients; argon2 runs off the event loop so guessing cannot stall
the server. Threat: anyone who can reach a Mend served with a password.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.serving import Server, free_port, serve_env

from mend.app import App
from mend.domain.throttle import GLOBAL, PER_CLIENT
from mend.errors import TooManyAttempts
from mend.passwords import hash_password
from mend.services import auth
from mend.web.app import create_app

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
def locked(app_factory: Any, clock: Clock) -> Iterator[TestClient]:
    app = app_factory(clock=clock, password_hash=hash_password(PASSWORD))
    with TestClient(create_app(app)) as client:
        yield client


def test_the_right_password_after_many_wrong_ones_must_wait(
    locked: TestClient, clock: Clock
) -> None:
    """The review's finding: 30 wrong passwords in 6 s, then the right one worked."""
    statuses = [
        locked.post("/login", json={"password": f"guess {n}"}).status_code for n in range(30)
    ]
    assert statuses[: PER_CLIENT.free + 1] == [401] * (PER_CLIENT.free + 1)
    assert set(statuses[PER_CLIENT.free + 1 :]) == {429}, "blocked attempts are not even tried"
    right = locked.post("/login", json={"password": PASSWORD})
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) >= 1
    assert right.json()["error"]["code"] == "too_many_attempts"
    assert locked.get("/api/v1/people").status_code == 401

    clock.at += timedelta(seconds=int(right.headers["retry-after"]))
    assert locked.post("/login", json={"password": PASSWORD}).status_code == 204
    assert locked.get("/api/v1/people").status_code == 200


def test_each_further_failure_doubles_the_wait(locked: TestClient, clock: Clock) -> None:
    waits: list[int] = []
    statuses = []
    while len(waits) < 5:
        response = locked.post("/login", json={"password": "a wrong guess"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            waits.append(int(response.headers["retry-after"]))
            clock.at += timedelta(seconds=waits[-1])
    assert waits == [1, 2, 4, 8, 16]
    assert statuses[: PER_CLIENT.free + 1] == [401] * (PER_CLIENT.free + 1)


def test_the_login_form_says_when_to_try_again(locked: TestClient) -> None:
    from tests.web.conftest import csrf_token

    token = csrf_token(locked)
    for n in range(PER_CLIENT.free + 1):
        locked.post("/login", data={"csrf_token": token, "password": f"guess {n}"})
    page = locked.post("/login", data={"csrf_token": token, "password": PASSWORD})
    assert page.status_code == 429
    assert "try again in" in page.text and page.headers["retry-after"]


def test_many_clients_guessing_slow_everyone(app: App) -> None:
    for n in range(GLOBAL.free + 1):
        auth.check_login_allowed(app.uow(write=False), client=f"10.0.{n // 250}.{n % 250}", now=NOW)
        auth.record_failed_login(app.uow(), client=f"10.0.{n // 250}.{n % 250}", now=NOW)
    with pytest.raises(TooManyAttempts, match="everyone") as raised:
        auth.check_login_allowed(app.uow(write=False), client="192.168.7.7", now=NOW)
    assert raised.value.retry_after >= 1
    later = NOW + timedelta(seconds=raised.value.retry_after)
    auth.check_login_allowed(app.uow(write=False), client="192.168.7.7", now=later)


def test_failures_are_forgotten_after_a_quiet_hour(app: App) -> None:
    for _ in range(PER_CLIENT.free):
        auth.record_failed_login(app.uow(), client="1.1.1.1", now=NOW)
    later = NOW + PER_CLIENT.forget_after
    assert auth.record_failed_login(app.uow(), client="1.1.1.1", now=later) == 0


def slow_hash(password: str) -> str:
    """An argon2 hash that takes about a second to check (cost is stored in the hash)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=12, memory_cost=256 * 1024, parallelism=1).hash(password)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_checking_passwords_does_not_stall_other_requests(
    database_url: str, servers: list[Server], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'password_hash = "{slow_hash(PASSWORD)}"\n')
    server = Server([], serve_env(database_url, MEND_CONFIG=str(config)), free_port())
    servers.append(server)
    server.wait_ready()
    base = f"http://127.0.0.1:{server.port}"

    started = time.monotonic()
    with httpx.Client(base_url=base, timeout=30) as probe:
        login_took: list[float] = []

        def guess() -> None:
            begin = time.monotonic()
            httpx.post(f"{base}/login", json={"password": "wrong"}, timeout=30)
            login_took.append(time.monotonic() - begin)

        guesser = threading.Thread(target=guess)
        guesser.start()
        time.sleep(0.15)  # the check is under way
        health = []
        while guesser.is_alive() and time.monotonic() - started < 20:
            begin = time.monotonic()
            assert probe.get("/healthz").status_code == 200
            health.append(time.monotonic() - begin)
            time.sleep(0.05)
        guesser.join()
    assert login_took and login_took[0] > 0.4, "the hash is slow enough for the test to mean it"
    assert health, "health was asked while the password was being checked"
    assert max(health) < login_took[0] / 2, (health, login_took)
