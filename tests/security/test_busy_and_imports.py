"""A server stays responsive while it imports, and a database held by another process
gets a plain "try again", not a crash report.

Threats: one large upload (by the user, or by anyone who can reach a served Mend with a
password) freezing the app for everyone; two Mends writing one file at once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.cli_helpers import Mend
from tests.serving import Server, free_port, serve_env

from mend.services.exchange import FORMAT, SCHEMA_VERSION, TABLES


@pytest.fixture
def backend() -> str:
    return "sqlite"


def big_export(people: int) -> bytes:
    """An export of ``people`` people (and nothing else), a few megabytes of JSON."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime(2026, 3, 1, tzinfo=UTC).isoformat(),
    }
    for table in TABLES:
        data[table.name] = []
    data["people"] = [
        {
            "id": n,
            "name": f"Person {n}",
            "role": "colleague",
            "organisation": "Somewhere",
            "notes": "A note long enough to weigh something. " * 4,
            "created_at": "2026-02-01T09:00:00+00:00",
        }
        for n in range(1, people + 1)
    ]
    return json.dumps(data).encode()


def test_a_web_import_does_not_freeze_the_server(database_url: str, servers: list[Server]) -> None:
    server = Server([], serve_env(database_url), free_port())
    servers.append(server)
    server.wait_ready()
    base = f"http://127.0.0.1:{server.port}"
    body = big_export(40_000)
    result: dict[str, Any] = {}

    def upload() -> None:
        begin = time.monotonic()
        response = httpx.post(
            f"{base}/api/v1/import",
            content=body,
            headers={"content-type": "application/json"},
            timeout=120,
        )
        result["status"] = response.status_code
        result["took"] = time.monotonic() - begin

    thread = threading.Thread(target=upload)
    thread.start()
    health: list[float] = []
    totals: set[int] = set()
    with httpx.Client(base_url=base, timeout=30) as probe:
        while thread.is_alive():
            begin = time.monotonic()
            assert probe.get("/healthz").status_code == 200
            health.append(time.monotonic() - begin)
            totals.add(probe.get("/api/v1/people?limit=1").json()["total"])
            time.sleep(0.02)
        thread.join()
        totals.add(probe.get("/api/v1/people?limit=1").json()["total"])
    assert result["status"] == 200
    assert result["took"] > 0.5, "the import is big enough for the test to mean something"
    assert len(health) >= 5, "the server kept answering during the import"
    assert max(health) < result["took"] / 2, (max(health), result["took"])
    assert totals <= {0, 40_000}, f"reads saw half an import: {sorted(totals)}"


def test_a_database_locked_by_another_process_says_try_again(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mend.store import engine

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
    mend = Mend(database_url)
    mend("person", "add", "Ana Ruiz", "--role", "colleague")
    path = database_url.removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another Mend in the middle of a long write
        result = mend.run("person", "add", "Bo Lind", "--role", "client")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.code == 75, str(result)
    message = " ".join(result.err.split())
    assert "Another Mend is writing" in message and "Try again" in message
    assert "please report" not in message and "Traceback" not in message
    assert [p["name"] for p in mend.json("person", "list")] == ["Ana Ruiz"]


def test_the_web_answers_503_with_retry_when_the_database_is_busy(
    app_factory: Any, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from mend.store import engine
    from mend.web.app import create_app

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
    web = create_app(app_factory())
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with TestClient(web) as client:
            response = client.post("/api/v1/people", json={"name": "Ana", "role": "other"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy"
    assert response.headers["retry-after"] == "5"
