"""`mend serve`: loopback by default, another address only behind a password.

These start the real command in a subprocess, the way a user does, and always stop it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from tests.serving import MEND, Server, free_port, listening_addresses, serve_env

from mend.passwords import hash_password

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_serving_on_another_address_without_a_password_is_refused(database_url: str) -> None:
    port = free_port()
    done = subprocess.run(
        [*MEND, "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=serve_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    message = " ".join(done.stderr.split())
    assert "mend password" in message
    assert "0.0.0.0" in message
    assert "Traceback" not in done.stderr
    assert listening_addresses(port) == set(), "nothing was left listening"


def test_serve_listens_on_loopback_by_default(database_url: str, servers: list[Server]) -> None:
    server = Server([], serve_env(database_url), free_port())
    servers.append(server)
    assert server.wait_ready().json() == {"status": "ok"}
    assert listening_addresses(server.port) == {"127.0.0.1"}
    home = httpx.get(f"http://127.0.0.1:{server.port}/", timeout=5)
    assert home.status_code == 200
    assert f"http://127.0.0.1:{server.port}/" in server.stop()


def test_serve_on_all_addresses_once_a_password_is_set(
    database_url: str, servers: list[Server], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'password_hash = "{hash_password("correct horse battery")}"\n')
    server = Server(
        ["--host", "0.0.0.0"], serve_env(database_url, MEND_CONFIG=str(config)), free_port()
    )
    servers.append(server)
    assert server.wait_ready().status_code == 200
    assert listening_addresses(server.port) == {"0.0.0.0"}
    base = f"http://127.0.0.1:{server.port}"
    locked = httpx.get(f"{base}/api/v1/people", timeout=5)
    assert locked.status_code == 401, "the password guards everything but health"
    with httpx.Client(base_url=base, timeout=10) as browser:
        assert browser.post("/login", json={"password": "wrong"}).status_code == 401
        assert browser.post("/login", json={"password": "correct horse battery"}).status_code == 204
        assert browser.get("/api/v1/people").status_code == 200
