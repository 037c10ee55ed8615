"""`mend serve`: loopback by default, another address only behind a password.

These start the real command in a subprocess, the way a user does, and always stop it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from tests.conftest import NOW
from tests.mailtools import Inbox, body
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


# --- a team server --------------------------------------------------------------------


def test_a_team_server_needs_an_account_first(database_url: str) -> None:
    done = subprocess.run(
        [*MEND, "serve", "--team", "--host", "0.0.0.0", "--port", str(free_port())],
        env=serve_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4
    assert "mend team init" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("trusted", [True, False], ids=["from-the-proxy", "from-elsewhere"])
def test_a_team_server_believes_forwarded_headers_only_from_its_proxy(
    database_url: str, servers: list[Server], trusted: bool
) -> None:
    from mend.app import build
    from mend.services.accounts import add_account
    from mend.settings import load_settings

    app = build(load_settings({"database_url": database_url}))
    add_account(app.uow(), email="ana@example.org", password="correct horse battery", now=NOW)
    app.close()
    # The test connects from 127.0.0.1: the proxy, unless another address is named.
    proxies = "127.0.0.1" if trusted else "192.0.2.10"
    env = serve_env(database_url, MEND_FORWARDED_ALLOW_IPS=proxies)
    server = Server(["--team", "--host", "0.0.0.0"], env, free_port())
    servers.append(server)
    assert server.wait_ready().status_code == 200
    assert listening_addresses(server.port) == {"0.0.0.0"}
    base = f"http://127.0.0.1:{server.port}"
    assert httpx.get(f"{base}/api/v1/people", timeout=5).status_code == 401
    with httpx.Client(base_url=base, timeout=10) as proxy:
        wrong = {"email": "ana@example.org", "password": "wrong"}
        guesser = {"x-forwarded-for": "203.0.113.7"}
        answers = [proxy.post("/login", json=wrong, headers=guesser).status_code for _ in range(7)]
        assert answers[:5] == [401] * 5 and 429 in answers[5:], answers
        right = {"email": "ana@example.org", "password": "correct horse battery"}
        login = proxy.post(
            "/login",
            json=right,
            headers={"x-forwarded-for": "198.51.100.2", "x-forwarded-proto": "https"},
        )
        if trusted:
            # Another client behind the proxy is not held up by the guesser's back-off,
            # and its cookie is Secure: the proxy said the browser used HTTPS.
            assert login.status_code == 204, login.text
            assert "secure" in login.headers["set-cookie"].lower()
        else:
            # Headers from anyone else are ignored: it is all one client, which waits.
            assert login.status_code == 429, login.text
    assert "team server" in server.stop()


def test_a_team_server_with_two_workers_shares_sessions_and_data(
    database_url: str, servers: list[Server]
) -> None:
    """`--workers 2`: two processes behind one port; whichever answers, a login made on one
    holds on the other and what one writes the other reads."""
    from mend.app import build
    from mend.services.accounts import add_account
    from mend.settings import load_settings

    app = build(load_settings({"database_url": database_url}))
    add_account(app.uow(), email="ana@example.org", password="correct horse battery", now=NOW)
    app.close()
    server = Server(["--team", "--workers", "2"], serve_env(database_url), free_port())
    servers.append(server)
    assert server.wait_ready().status_code == 200
    base = f"http://127.0.0.1:{server.port}"
    right = {"email": "ana@example.org", "password": "correct horse battery"}
    with httpx.Client(base_url=base, timeout=10) as first:
        assert first.post("/login", json=right).status_code == 204
        made = first.post("/api/v1/people", json={"name": "Priya Shah", "role": "colleague"})
        assert made.status_code == 201, made.text
        cookie = first.cookies
        # New connections, so the kernel spreads them over both workers.
        for _ in range(12):
            with httpx.Client(base_url=base, timeout=10, cookies=cookie) as other:
                people = other.get("/api/v1/people")
                assert people.status_code == 200, people.text
                assert [p["name"] for p in people.json()["items"]] == ["Priya Shah"]
        first.get("/healthz")  # sets the CSRF cookie a form sends back
        token = first.cookies.get("mend_csrf")
        out = first.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303, out.text
    with httpx.Client(base_url=base, timeout=10, cookies=cookie) as after:
        assert after.get("/api/v1/people").status_code == 401
    assert "team server" in server.stop()


def test_a_wrong_number_of_workers_is_one_clear_line(database_url: str) -> None:
    done = subprocess.run(
        [*MEND, "serve", "--workers", "0", "--port", str(free_port())],
        env=serve_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: --workers takes 1 to 64 processes, not 0."]


def test_a_served_team_server_mails_the_invitation_by_itself(
    database_url: str, servers: list[Server], smtp: Inbox
) -> None:
    """The server's own loop delivers: an invitation made over HTTP reaches a real SMTP
    server within a few seconds (MEND_MAIL_INTERVAL=1), with a link to this server."""
    from mend.app import build
    from mend.services.accounts import add_account
    from mend.settings import load_settings

    app = build(load_settings({"database_url": database_url}))
    add_account(app.uow(), email="ana@example.org", password="correct horse battery", now=NOW)
    app.close()
    env = serve_env(database_url, MEND_MAIL_INTERVAL="1", **smtp.environment)
    server = Server(["--team"], env, free_port())
    servers.append(server)
    assert server.wait_ready().status_code == 200
    base = f"http://127.0.0.1:{server.port}"
    with httpx.Client(base_url=base, timeout=10) as owner:
        right = {"email": "ana@example.org", "password": "correct horse battery"}
        assert owner.post("/login", json=right).status_code == 204
        person = owner.post("/api/v1/people", json={"name": "Priya", "role": "colleague"})
        repair = owner.post(
            "/api/v1/repairs",
            json={"person_id": person.json()["id"], "title": "Specs", "what_happened": "Late"},
        )
        made = owner.post(
            f"/api/v1/repairs/{repair.json()['repair']['id']}/invitations",
            json={"shared_title": "The launch", "their_name": "Priya", "email": "p@x.org"},
        )
        assert made.status_code == 201, made.text
    [message] = smtp.wait_for(1)
    assert message["To"] == "p@x.org" and made.json()["link"] in body(message)
    assert made.json()["link"].startswith(base + "/join/")
    server.stop()
    assert "public_url is not set" in " ".join(server.err.split())


def test_a_server_process_takes_what_it_loaded_out_of_garbage_collection(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker (``from_environment``) freezes the heap it built and collects rarely:
    with the defaults it spent about 5% of its CPU under load collecting."""
    import gc

    from mend.web.app import SERVING_GC_THRESHOLDS, from_environment

    thresholds = gc.get_threshold()
    monkeypatch.setenv("MEND_DATABASE_URL", database_url)
    gc.unfreeze()
    try:
        served = from_environment()
        assert gc.get_threshold() == SERVING_GC_THRESHOLDS
        assert gc.get_freeze_count() > 10_000  # the app and every library it loaded
        served.state.mend.close()
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
