"""DNS rebinding and cross-site writes: the server answers only for hosts it knows.

Threat: a web page on another site rebinds its own name to 127.0.0.1 and talks to the
local Mend. Its requests carry its own name as Host (and Origin), so refusing unknown
hosts keeps it from reading or writing anything. Writes must also come from a page of
this very origin, scheme and port included.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.serving import Server, free_port, serve_env

from mend.errors import InvalidInput
from mend.web.security import HostPolicy


@pytest.fixture
def backend() -> str:
    """The Host and Origin checks come before any database: SQLite is enough."""
    return "sqlite"


EVIL = {"Host": "evil.example", "Origin": "http://evil.example"}


def test_an_unknown_host_cannot_read_the_export(client: TestClient, person: Any) -> None:
    response = client.get("/api/v1/export", headers=EVIL)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_host"
    assert "Dana" not in response.text


@pytest.mark.parametrize("path", ["/", "/calendar", "/api/v1/people", "/data", "/healthz"])
def test_an_unknown_host_gets_no_page(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "/calendar/" not in response.text, "no private feed link on a foreign host"


def test_an_unknown_host_cannot_write_or_delete(client: TestClient, person: Any) -> None:
    created = client.post("/api/v1/people", json={"name": "Mallory", "role": "other"}, headers=EVIL)
    assert created.status_code == 400
    deleted = client.delete(f"/api/v1/people/{person['id']}", headers=EVIL)
    assert deleted.status_code == 400
    names = [p["name"] for p in client.get("/api/v1/people").json()["items"]]
    assert names == ["Dana Reyes"], "nothing was added or removed"


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",  # another site
        "https://testserver",  # the right name with another scheme
        "http://testserver:8080",  # the right name on another port
        "null",  # sandboxed frames and some redirects
        "http://testserver.evil.example",
    ],
)
def test_a_write_from_another_origin_is_refused(client: TestClient, origin: str) -> None:
    response = client.post(
        "/api/v1/people", json={"name": "Mallory", "role": "other"}, headers={"Origin": origin}
    )
    assert response.status_code == 403
    assert client.get("/api/v1/people").json()["total"] == 0


def test_a_cross_site_fetch_is_refused_even_without_origin(client: TestClient) -> None:
    response = client.post(
        "/api/v1/people",
        json={"name": "Mallory", "role": "other"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403


def test_writes_from_this_origin_and_from_scripts_work(client: TestClient) -> None:
    same = client.post(
        "/api/v1/people",
        json={"name": "Ana", "role": "other"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 201
    script = client.post("/api/v1/people", json={"name": "Bo", "role": "other"})
    assert script.status_code == 201, "curl and scripts send no Origin"


@pytest.mark.parametrize(
    ("host", "server", "allowed"),
    [
        ("127.0.0.1:8765", ("127.0.0.1", 8765), True),
        ("localhost:8765", ("127.0.0.1", 8765), True),
        ("LOCALHOST:8765", ("127.0.0.1", 8765), True),
        ("[::1]:8765", ("::1", 8765), True),
        ("[::1]:8765", ("127.0.0.1", 8765), True),
        ("localhost:8766", ("127.0.0.1", 8765), False),  # another port
        ("localhost", ("127.0.0.1", 8765), False),  # port 80 is not the served one
        ("evil.example:8765", ("127.0.0.1", 8765), False),
        ("127.0.0.1.evil.example:8765", ("127.0.0.1", 8765), False),
        ("192.168.1.5:8765", ("192.168.1.5", 8765), True),  # the address it was reached on
        ("", ("127.0.0.1", 8765), False),
        ("localhost:99999", ("127.0.0.1", 8765), False),
        ("user@localhost:8765", ("127.0.0.1", 8765), False),
        ("localhost:8765/x", ("127.0.0.1", 8765), False),
    ],
)
def test_the_host_allow_list(host: str, server: tuple[str, int], allowed: bool) -> None:
    assert HostPolicy.parse("").allows(host, server, "http") is allowed


def test_configured_names_are_allowed_on_any_port_or_the_one_given() -> None:
    policy = HostPolicy.parse("mend.example.org, team.example.org:8443")
    served = ("10.0.0.2", 8765)
    assert policy.allows("mend.example.org", served, "https")
    assert policy.allows("MEND.example.org:8765", served, "http")
    assert policy.allows("team.example.org:8443", served, "https")
    assert not policy.allows("team.example.org", served, "https")
    assert not policy.allows("evil.example", served, "https")


def test_a_malformed_allowed_host_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="allowed_hosts"):
        HostPolicy.parse("mend.example.org:http")


def test_the_reported_rebinding_request_is_refused_by_a_real_server(
    database_url: str, servers: list[Server]
) -> None:
    """The review's reproduction, against `mend serve` itself."""
    port = free_port()
    server = Server([], serve_env(database_url), port)
    servers.append(server)
    server.wait_ready()
    base = f"http://127.0.0.1:{port}"
    evil = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert httpx.get(f"{base}/api/v1/export", headers=evil, timeout=5).status_code == 400
    posted = httpx.post(
        f"{base}/api/v1/people", json={"name": "Mallory", "role": "other"}, headers=evil, timeout=5
    )
    assert posted.status_code == 400
    assert httpx.get(f"{base}/calendar", headers=evil, timeout=5).status_code == 400
    for name in ("127.0.0.1", "localhost"):
        ok = httpx.get(f"{base}/api/v1/people", headers={"Host": f"{name}:{port}"}, timeout=5)
        assert ok.status_code == 200, name
        assert ok.json()["total"] == 0
