"""Local-mode safety: headers, CSP, CSRF on forms, body limits on pages, the password gate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_token

from mend.passwords import hash_password, verify_password
from mend.web.app import create_app
from mend.web.security import CONTENT_SECURITY_POLICY, CSRF_COOKIE, MAX_BODY


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/people", "/healthz", "/api/v1/nothing", "/no-such-page"]
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_policy_allows_no_inline_script_and_nothing_from_elsewhere() -> None:
    directives = dict(
        part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'"


def test_pages_render_no_inline_script(client: TestClient) -> None:
    html = client.get("/").text
    for chunk in html.split("<script")[1:]:
        tag, _, rest = chunk.partition(">")
        assert "src=" in tag or 'type="application/json"' in tag, tag
        if "src=" in tag:
            assert rest.startswith("</script>")


def test_the_csrf_cookie_is_http_only_and_strict(client: TestClient) -> None:
    response = client.get("/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    again = client.get("/")
    assert "set-cookie" not in again.headers, "the token stays the same for the browser"


def test_a_form_post_needs_the_csrf_token(client: TestClient) -> None:
    refused = client.post("/demo", data={}, follow_redirects=False)
    assert refused.status_code == 403
    wrong = client.post("/demo", data={"csrf_token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 403
    assert client.get("/api/v1/repairs").json()["total"] == 0, "nothing was loaded"

    token = csrf_token(client)
    loaded = client.post("/demo", data={"csrf_token": token}, follow_redirects=False)
    assert loaded.status_code == 303
    assert loaded.headers["location"].startswith("/repairs/")
    assert client.get("/api/v1/repairs").json()["total"] == 1


def test_the_csrf_header_works_for_htmx(client: TestClient) -> None:
    token = csrf_token(client)
    loaded = client.post("/demo", data={}, headers={"x-csrf-token": token}, follow_redirects=False)
    assert loaded.status_code == 303


def test_a_token_from_another_browser_is_refused(web: Any) -> None:
    with TestClient(web) as alice, TestClient(web) as mallory:
        stolen = csrf_token(mallory)
        assert stolen != csrf_token(alice)
        refused = alice.post("/demo", data={"csrf_token": stolen}, follow_redirects=False)
        assert refused.status_code == 403


def test_a_foreign_origin_cannot_post_a_form(client: TestClient) -> None:
    token = csrf_token(client)
    refused = client.post(
        "/demo",
        data={"csrf_token": token},
        headers={"origin": "http://attacker.test"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/repairs").json()["total"] == 0


def test_form_posts_over_the_limit_are_413(client: TestClient) -> None:
    token = csrf_token(client)
    big = {"csrf_token": token, "notes": "x" * (MAX_BODY + 1)}
    assert client.post("/demo", data=big, follow_redirects=False).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield f"csrf_token={token}&notes=".encode()
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    chunked = client.post(
        "/demo",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert chunked.status_code == 413
    assert client.get("/api/v1/repairs").json()["total"] == 0


# --- the password --------------------------------------------------------------------------


@pytest.fixture
def locked(app_factory: Any) -> Iterator[TestClient]:
    app = app_factory(password_hash=hash_password("correct horse battery"))
    with TestClient(create_app(app)) as client:
        yield client


def test_with_a_password_the_api_answers_401(locked: TestClient) -> None:
    response = locked.get("/api/v1/people")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    write = locked.post("/api/v1/people", json={"name": "A", "role": "other"})
    assert write.status_code == 401


def test_with_a_password_pages_send_you_to_log_in(locked: TestClient) -> None:
    response = locked.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert locked.get("/healthz").status_code == 200
    forged = locked.get("/api/v1/people", cookies={"mend_session": "owner.0123456789abcdef"})
    assert forged.status_code == 401


def test_passwords_are_hashed_with_argon2() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2")
    assert "correct horse" not in hashed
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "wrong")
    assert not verify_password("not-a-hash", "wrong")


def test_logging_in_with_the_form(locked: TestClient) -> None:
    page = locked.get("/login")
    assert page.status_code == 200
    assert 'type="password"' in page.text and 'for="login-password"' in page.text
    token = csrf_token(locked)

    wrong = locked.post("/login", data={"csrf_token": token, "password": "guess"})
    assert wrong.status_code == 401
    assert "not the password" in wrong.text
    assert locked.get("/", follow_redirects=False).status_code == 303

    no_token = locked.post(
        "/login", data={"password": "correct horse battery"}, follow_redirects=False
    )
    assert no_token.status_code == 403, "the login form is CSRF-checked like every form"

    right = locked.post(
        "/login",
        data={"csrf_token": token, "password": "correct horse battery"},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/"
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert locked.get("/", follow_redirects=False).status_code == 200
    assert locked.get("/api/v1/people").status_code == 200

    out = locked.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert locked.get("/api/v1/people").status_code == 401


def test_logging_in_with_json(locked: TestClient) -> None:
    refused = locked.post("/login", json={"password": "nope"})
    assert refused.status_code == 401
    assert refused.json()["error"] == {
        "code": "unauthorized",
        "message": refused.json()["error"]["message"],
        "field": "password",
    }
    malformed = locked.post("/login", json={"pass": 1})
    assert malformed.status_code == 422 and malformed.json()["error"]["field"] == "password"
    assert locked.post("/login", json={"password": "correct horse battery"}).status_code == 204
    assert locked.get("/api/v1/people").json()["total"] == 0
    assert locked.post("/logout", json={}).status_code == 204
    assert locked.get("/api/v1/people").status_code == 401


def test_without_a_password_there_is_nothing_to_log_in_to(client: TestClient) -> None:
    response = client.get("/login", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_nothing_is_loaded_from_another_site(client: TestClient) -> None:
    assert client.get("/api/docs").status_code == 404, "Swagger UI would come from a CDN"
    for path in ["/", "/api/v1/openapi.json"]:
        text = client.get(path).text
        assert "cdn." not in text and "://" not in text.replace("http://testserver", ""), path
