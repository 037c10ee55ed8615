"""Run the real `mend serve` in a subprocess, the way a user does, and always stop it.

``Server(args, env, port)``  starts ``mend serve --port PORT ARGS``;
                             ``wait_ready()`` waits for /healthz, ``stop()`` returns stdout.
``free_port()``              a free TCP port on 127.0.0.1.
``serve_env(url, **extra)``  the environment for a server on that database.
``listening_addresses(port)`` addresses with a socket listening on ``port``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

MEND = [sys.executable, "-c", "from mend.cli.main import run; run()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "MEND_DATABASE_URL": database_url, "NO_COLOR": "1", **extra}


def listening_addresses(port: int) -> set[str]:
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
        self.err = ""
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
        out, self.err = self.process.communicate()
        return out
