"""Bad input gets a 4xx that says what is wrong, never a 500, on every route.

Threat: anyone who can send requests (a local script, a page's forms, the network when
served) probing for crashes; a crash is a plain-text 500 that tells the user nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.routes import all_routes

from mend.web.security import CSRF_COOKIE

HUGE = str(2**63)


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture
def loose(web: FastAPI) -> Any:
    """A client that answers 500 instead of raising, so the tests can see it."""
    with TestClient(web, raise_server_exceptions=False) as client:
        yield client


def _get_paths_with_ids(web: FastAPI) -> list[str]:
    paths = []
    for route in all_routes(web.routes):
        if "GET" in (route.methods or set()) and "{" in route.path:
            paths.append(re.sub(r"\{[^}]+\}", HUGE, route.path))
    return sorted(set(paths))


def test_every_page_and_api_route_answers_a_huge_id_with_a_4xx(
    loose: TestClient, web: FastAPI
) -> None:
    paths = _get_paths_with_ids(web)
    assert len(paths) > 20, "the route table was walked"
    for path in paths:
        response = loose.get(path)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:200])


@pytest.mark.parametrize("path", ["/people/9223372036854775808", "/repairs/9223372036854775808"])
def test_the_reported_pages_say_not_found(loose: TestClient, path: str) -> None:
    response = loose.get(path)
    assert response.status_code == 404
    assert "<html" in response.text and "Internal Server Error" not in response.text


@pytest.mark.parametrize("offset", ["9223372036854775808", "1e20", "-1"])
def test_paging_past_any_real_list_is_a_422(loose: TestClient, offset: str) -> None:
    response = loose.get(f"/api/v1/people?offset={offset}")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "offset"


def test_a_form_naming_a_person_id_of_2_63_is_refused_beside_the_field(loose: TestClient) -> None:
    loose.get("/")
    token = loose.cookies.get(CSRF_COOKIE)
    response = loose.post(
        "/repairs",
        data={"csrf_token": token, "person_id": HUGE, "title": "t", "what_happened": "w"},
    )
    assert response.status_code in (404, 422)
    assert "No person with id" in response.text


def test_get_repairs_goes_to_the_board(loose: TestClient) -> None:
    response = loose.get("/repairs", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_the_home_page_never_echoes_a_foreign_csrf_cookie(loose: TestClient, person: Any) -> None:
    loose.post(
        "/api/v1/repairs",
        json={"person_id": person["id"], "title": "t", "what_happened": "w"},
    )
    evil = '"><script>alert(1)</script>'
    loose.cookies.set(CSRF_COOKIE, evil, domain="testserver.local")
    page = loose.get("/")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert evil not in page.text
    assert "set-cookie" in page.headers, "a new token replaces it"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/people", {"name": "Ana\r\nRuiz", "role": "colleague"}, "name"),
        (
            "/api/v1/people",
            {"name": "Ana", "role": "colleague", "organisation": "A\x1bB"},
            "organisation",
        ),
        ("/api/v1/people", {"name": "Ana", "role": "colleague", "notes": "bell\x07"}, "notes"),
    ],
)
def test_control_characters_are_refused_naming_the_field(
    loose: TestClient, path: str, body: dict[str, str], field: str
) -> None:
    response = loose.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert loose.get("/api/v1/people").json()["total"] == 0
