"""`mend serve`: loopback by default, another address only behind a password.

These start the real command in a subprocess, the way a user does, and always stop it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mend.web.security import hash_password

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

MEND = [sys.executable, "-c", "from mend.cli.main import run; run()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "MEND_DATABASE_URL": database_url, "NO_COLOR": "1", **extra}


def _listening_addresses(port: int) -> set[str]:
    """Addresses with a socket in LISTEN state on ``port`` (from /proc/net/tcp)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                if len(address) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add(address)
    return found


class Server:
    def __init__(self, args: list[str], env: dict[str, str], port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [*MEND, "serve", "--port", str(port), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self, timeout: float = 20.0) -> httpx.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                pytest.fail(f"mend serve exited with {self.process.returncode}: {out}{err}")
            try:
                return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.05)
        pytest.fail("mend serve did not answer within 20 s")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        out, _ = self.process.communicate()
        return out


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def test_serving_on_another_address_without_a_password_is_refused(database_url: str) -> None:
    port = _free_port()
    done = subprocess.run(
        [*MEND, "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    message = " ".join(done.stderr.split())
    assert "mend password" in message
    assert "0.0.0.0" in message
    assert "Traceback" not in done.stderr
    assert _listening_addresses(port) == set(), "nothing was left listening"


def test_serve_listens_on_loopback_by_default(database_url: str, servers: list[Server]) -> None:
    server = Server([], _env(database_url), _free_port())
    servers.append(server)
    assert server.wait_ready().json() == {"status": "ok"}
    assert _listening_addresses(server.port) == {"127.0.0.1"}
    home = httpx.get(f"http://127.0.0.1:{server.port}/", timeout=5)
    assert home.status_code == 200
    assert f"http://127.0.0.1:{server.port}/" in server.stop()


def test_serve_on_all_addresses_once_a_password_is_set(
    database_url: str, servers: list[Server], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'password_hash = "{hash_password("correct horse battery")}"\n')
    server = Server(
        ["--host", "0.0.0.0"], _env(database_url, MEND_CONFIG=str(config)), _free_port()
    )
    servers.append(server)
    assert server.wait_ready().status_code == 200
    assert _listening_addresses(server.port) == {"0.0.0.0"}
    base = f"http://127.0.0.1:{server.port}"
    locked = httpx.get(f"{base}/api/v1/people", timeout=5)
    assert locked.status_code == 401, "the password guards everything but health"
    with httpx.Client(base_url=base, timeout=10) as browser:
        assert browser.post("/login", json={"password": "wrong"}).status_code == 401
        assert browser.post("/login", json={"password": "correct horse battery"}).status_code == 204
        assert browser.get("/api/v1/people").status_code == 200
