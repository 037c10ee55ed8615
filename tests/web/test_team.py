"""The team server's own pages: logging in by email, your account, password change and
reset links; and the same routes where Mend runs for one person (404)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.teamtools import PASSWORD, add_account, log_in, logged_in
from tests.web.conftest import csrf_token
from tests.web.pagetools import Html

from mend.app import App
from mend.services import accounts
from mend.web.app import create_app
from mend.web.security import SESSION_COOKIE

NEW = "a brand new secret"


@pytest.fixture
def team(app_factory: Any) -> App:
    app: App = app_factory(team=True)
    add_account(app, "ana@example.org", name="Ana Ruiz")
    return app


@pytest.fixture
def web(team: App) -> FastAPI:
    return create_app(team)


@pytest.fixture
def ana(web: FastAPI) -> Iterator[TestClient]:
    with logged_in(web, "ana@example.org") as client:
        yield client


def test_the_login_page_asks_for_email_and_password(web: FastAPI) -> None:
    with TestClient(web) as browser:
        page = browser.get("/")
        assert page.url.path == "/login"
        assert 'type="email"' in page.text and 'type="password"' in page.text
        assert "only you can see your people and repairs" in page.text
        token = csrf_token(browser)
        wrong = browser.post(
            "/login",
            data={"csrf_token": token, "email": "ana@example.org", "password": "a guess here"},
        )
        assert wrong.status_code == 401
        assert "do not match" in wrong.text
        assert 'value="ana@example.org"' in wrong.text, "the address typed is kept"
        assert "a guess here" not in wrong.text, "the password typed never is"
        right = browser.post(
            "/login",
            data={"csrf_token": token, "email": "ANA@example.org", "password": PASSWORD},
            follow_redirects=False,
        )
        assert (right.status_code, right.headers["location"]) == (303, "/")
        home = browser.get("/")
        assert home.status_code == 200 and "Log out" in home.text
        assert Html(home.text).one("a", href="/account")


def test_logging_in_with_json_needs_the_email_too(web: FastAPI) -> None:
    with TestClient(web) as script:
        missing = script.post("/login", json={"password": PASSWORD})
        assert missing.status_code == 422
        assert missing.json()["error"]["field"] == "email"
        log_in(script, "ana@example.org")
        assert script.get("/api/v1/account").json() == {
            "email": "ana@example.org",
            "display_name": "Ana Ruiz",
            "is_admin": False,
        }


def test_logging_out_ends_the_session(ana: TestClient) -> None:
    cookie = ana.cookies[SESSION_COOKIE]
    out = ana.post("/logout", data={"csrf_token": csrf_token(ana)}, follow_redirects=False)
    assert out.headers["location"] == "/login"
    ana.cookies.set(SESSION_COOKIE, cookie, domain="testserver.local")
    assert ana.get("/api/v1/people").status_code == 401


def _change(client: TestClient, old: str, new: str, confirm: str | None = None) -> Any:
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client),
            "old_password": old,
            "new_password": new,
            "confirm": new if confirm is None else confirm,
        },
        follow_redirects=False,
    )


def test_changing_the_password_on_the_account_page(web: FastAPI, ana: TestClient) -> None:
    page = ana.get("/account")
    assert page.status_code == 200 and "ana@example.org" in page.text
    differ = _change(ana, PASSWORD, NEW, confirm="something else")
    assert differ.status_code == 422
    assert Html(differ.text).one("p#password-confirm-error").text.startswith("The two")
    assert NEW not in differ.text and PASSWORD not in differ.text, "no password is sent back"
    wrong = _change(ana, "not my password", NEW)
    assert wrong.status_code == 401
    assert "not your current password" in Html(wrong.text).one("p#password-old_password-error").text
    short = _change(ana, PASSWORD, "short")
    assert Html(short.text).one("p#password-new_password-error")

    with logged_in(web, "ana@example.org") as phone:
        done = _change(ana, PASSWORD, NEW)
        assert (done.status_code, done.headers["location"]) == (303, "/account?changed=1")
        assert "password is changed" in ana.get("/account?changed=1").text
        assert ana.get("/api/v1/people").status_code == 200, "this browser goes on"
        assert phone.get("/api/v1/people").status_code == 401, "the other one is logged out"
        log_in(phone, "ana@example.org", NEW)


def test_changing_the_password_with_json(ana: TestClient) -> None:
    refused = ana.post(
        "/api/v1/account/password", json={"old_password": "nope", "new_password": NEW}
    )
    assert refused.status_code == 401
    assert refused.json()["error"]["field"] == "old_password"
    done = ana.post(
        "/api/v1/account/password", json={"old_password": PASSWORD, "new_password": NEW}
    )
    assert done.status_code == 204
    assert SESSION_COOKIE in done.headers["set-cookie"]
    assert ana.get("/api/v1/account").status_code == 200


def test_a_reset_link_opens_a_page_to_set_a_new_password_once(team: App, web: FastAPI) -> None:
    link = accounts.make_reset_link(team.uow(), "ana@example.org", now=NOW, base_url="http://x")
    path = link.url.removeprefix("http://x")
    with logged_in(web, "ana@example.org") as old_session, TestClient(web) as browser:
        page = browser.get(path)
        assert page.status_code == 200 and "ana@example.org" in page.text
        token = csrf_token(browser)
        differ = browser.post(path, data={"csrf_token": token, "password": NEW, "confirm": "x"})
        assert differ.status_code == 422 and NEW not in differ.text
        done = browser.post(
            path,
            data={"csrf_token": token, "password": NEW, "confirm": NEW},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/login?done=reset"
        assert "new password is set" in browser.get("/login?done=reset").text
        assert old_session.get("/api/v1/people").status_code == 401
        log_in(browser, "ana@example.org", NEW)
        again = browser.get(path)
        assert again.status_code == 404 and "used already" in again.text


def test_a_reset_link_with_json(team: App, web: FastAPI) -> None:
    link = accounts.make_reset_link(team.uow(), "ana@example.org", now=NOW, base_url="http://x")
    path = link.url.removeprefix("http://x")
    with TestClient(web) as script:
        assert script.post(path, json={"pass": NEW}).status_code == 422
        assert script.post(path, json={"password": "short"}).status_code == 422
        assert script.post(path, json={"password": NEW}).status_code == 204
        assert script.post(path, json={"password": NEW}).status_code == 404
        log_in(script, "ana@example.org", NEW)


@pytest.mark.parametrize("path", ["/account", "/api/v1/account", "/reset/some-token"])
def test_where_mend_runs_for_one_person_there_are_no_accounts(app_factory: Any, path: str) -> None:
    with TestClient(create_app(app_factory())) as local:
        answer = local.get(path)
        assert answer.status_code == 404
        assert "no accounts" in answer.text
