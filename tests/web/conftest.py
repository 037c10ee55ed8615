"""Fixtures for the web app: a test client on the ``app`` fixture's database (both backends).

    ``web``                 the FastAPI application (``create_app(app)``).
    ``client``              ``TestClient`` on it; base URL ``http://testserver``.
    ``csrf``                the CSRF token the client's cookie carries (fetched on first use);
                            send it as the ``csrf_token`` form field or ``X-CSRF-Token`` header.
    ``csrf_token(client)``  the same, as a plain function for other clients.
    ``api``                 ``client`` plus helpers that assert the status and return JSON:
                            ``api.get(path, expect=200)``, ``api.post(path, json, expect=201)``...
    ``person`` / ``repair`` a person and an open repair made through the API (their JSON).

The JSON API does not use the CSRF token: it refuses cross-site writes by their Origin.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mend.app import App
from mend.web.app import create_app
from mend.web.security import CSRF_COOKIE


def csrf_token(client: TestClient) -> str:
    """The CSRF token for ``client``: the value of its ``mend_csrf`` cookie (set on any GET)."""
    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        client.get("/healthz")
        token = client.cookies.get(CSRF_COOKIE)
    assert token, "the app did not set a CSRF cookie"
    return str(token)


@pytest.fixture
def web(app: App) -> FastAPI:
    return create_app(app)


@pytest.fixture
def client(web: FastAPI) -> Iterator[TestClient]:
    with TestClient(web) as test_client:
        yield test_client


@pytest.fixture
def csrf(client: TestClient) -> str:
    return csrf_token(client)


class Api:
    """Thin JSON helpers around a TestClient that check the status code."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def call(self, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        response = self.client.request(method, url, **kwargs)
        assert response.status_code == expect, (
            f"{method} {url}: {response.status_code} {response.text[:500]}"
        )
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def get(self, path: str, expect: int = 200, **kwargs: Any) -> Any:
        return self.call("GET", path, expect, **kwargs)

    def post(self, path: str, json: Any = None, expect: int = 201, **kwargs: Any) -> Any:
        return self.call("POST", path, expect, json={} if json is None else json, **kwargs)

    def patch(self, path: str, json: Any, expect: int = 200, **kwargs: Any) -> Any:
        return self.call("PATCH", path, expect, json=json, **kwargs)

    def delete(self, path: str, expect: int = 204, **kwargs: Any) -> Any:
        return self.call("DELETE", path, expect, **kwargs)


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def person(api: Api) -> dict[str, Any]:
    return api.post("people", {"name": "Dana Reyes", "role": "manager", "organisation": "Acme"})


@pytest.fixture
def repair(api: Api, person: dict[str, Any]) -> dict[str, Any]:
    detail = api.post(
        "repairs",
        {
            "person_id": person["id"],
            "title": "Missed the report deadline",
            "what_happened": "I delivered the quarterly report two days late without warning.",
            "severity": 3,
        },
    )
    return detail["repair"]
