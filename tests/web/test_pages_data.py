"""Your data (export and import) and the calendar feed, through the pages."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import AppFactory
from tests.web.conftest import Api, csrf_token
from tests.web.pagetools import Html

from mend.passwords import hash_password
from mend.services import calendar_token
from mend.web.app import create_app


def _count(api: Api, what: str) -> int:
    return int(api.get(f"{what}?include_closed=true" if what == "repairs" else what)["total"])


def _upload(client: TestClient, name: str, content: bytes, **extra: str) -> Any:
    return client.post(
        "/data/import",
        data={"csrf_token": csrf_token(client), **extra},
        files={"file": (name, content, "application/json")},
        follow_redirects=False,
    )


# --- export and import ------------------------------------------------------------------


def test_export_download_then_import_it_back(
    client: TestClient, api: Api, repair: dict[str, Any]
) -> None:
    page = Html(client.get("/data").text)
    link = page.one("a#export-link")
    assert link["href"] == "/data/export.json"
    form = page.one("form#import-form")
    assert form["enctype"] == "multipart/form-data" and form["action"] == "/data/import"
    assert form.all("label", for_=form.one("input", name="file")["id"])

    response = client.get("/data/export.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == (
        'attachment; filename="mend-export-2026-03-02.json"'
    )
    data = response.json()
    assert data["format"] == "mend-export"
    assert [r["title"] for r in data["repairs"]] == [repair["title"]]

    done = _upload(client, "backup.json", response.content)
    assert done.status_code == 303
    assert done.headers["location"].startswith("/data?imported=")
    assert _count(api, "repairs") == 2, "an import adds to what is there"
    assert _count(api, "people") == 2

    notice = Html(client.get(done.headers["location"]).text).one("p", role="status")
    assert "including 1 repair" in notice.text


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"format": "mend-export", "schema_version": 1, "people": [', "not valid JSON"),
        (b"[1, 2, 3]", "not a Mend export"),
        (b'{"format": "something-else"}', "not a Mend export"),
        (b"   ", "empty"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
    ],
)
def test_a_bad_file_gives_one_clear_error_and_writes_nothing(
    client: TestClient, api: Api, repair: dict[str, Any], content: bytes, words: str
) -> None:
    response = _upload(client, "broken.json", content)
    assert response.status_code == 422
    page = Html(response.text)
    [error] = page.all(role="alert")
    assert error["id"] == "file-error" and words in error.text
    assert error.text.startswith("Nothing was imported.")
    assert page.one("input", name="file")["aria-invalid"] == "true"
    assert _count(api, "repairs") == 1


def test_a_file_that_fails_half_way_adds_nothing(
    client: TestClient, api: Api, repair: dict[str, Any]
) -> None:
    data = client.get("/data/export.json").json()
    data["repairs"].append({**data["repairs"][0], "id": 77, "person_id": 999})
    response = _upload(client, "edited.json", json.dumps(data).encode())
    assert response.status_code == 422
    assert "Nothing was imported" in Html(response.text).one("#file-error").text
    assert _count(api, "repairs") == 1 and _count(api, "people") == 1


def test_import_needs_a_file_and_the_csrf_token(client: TestClient, api: Api) -> None:
    missing = client.post(
        "/data/import", data={"csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert missing.status_code == 422
    assert "Choose" in Html(missing.text).one("#file-error").text
    forged = client.post(
        "/data/import",
        files={"file": ("x.json", b"{}", "application/json")},
        follow_redirects=False,
    )
    assert forged.status_code == 403


# --- calendar ---------------------------------------------------------------------------


def _feed_path(client: TestClient) -> str:
    page = Html(client.get("/calendar").text)
    url = page.one("input#feed-url")["value"]
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://testserver")


def test_private_feed_and_download(client: TestClient, api: Api, repair: dict[str, Any]) -> None:
    api.post(
        f"repairs/{repair['id']}/check-ins",
        {"scheduled_at": "2026-03-04T10:00:00Z", "note": "How is it going?"},
    )
    page = Html(client.get("/calendar").text)
    assert page.one("a#ics-download")["href"] == "/calendar/mend.ics"
    assert page.one("a#feed-link")["href"].startswith("webcal://testserver/calendar/")

    path = _feed_path(client)
    assert path == _feed_path(client), "the link is stable"
    feed = client.get(path)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.startswith("BEGIN:VCALENDAR")
    assert "Check-in with Dana Reyes" in feed.text and "BEGIN:VALARM" in feed.text

    download = client.get("/calendar/mend.ics")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert "Check-in with Dana Reyes" in download.text

    assert client.get("/calendar/not-the-token.ics").status_code == 404
    wrong = path[:-5] + ("0" if path[-5] != "0" else "1") + ".ics"
    assert client.get(wrong).status_code == 404


def test_a_new_link_retires_the_old_one(client: TestClient) -> None:
    old = _feed_path(client)
    done = client.post("/calendar", data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/calendar?renewed=1"
    new = _feed_path(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    refused = client.post("/calendar", data={}, follow_redirects=False)
    assert refused.status_code == 403 and _feed_path(client) == new


def test_the_secret_is_a_private_file() -> None:
    token = calendar_token.feed_token()
    path = calendar_token.default_directory() / calendar_token.SECRET_FILE
    assert path.is_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert token not in path.read_text(), "the file holds the secret, not the link"
    assert calendar_token.token_is_valid(token)
    assert not calendar_token.token_is_valid(token.upper() + "x")


def test_feed_stays_reachable_behind_a_password_but_the_download_does_not(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    guarded = app_factory(password_hash=hash_password("correct horse battery"))
    with TestClient(create_app(guarded)) as browser:
        assert browser.get("/calendar", follow_redirects=False).status_code == 303
        download = browser.get("/calendar/mend.ics", follow_redirects=False)
        assert download.status_code == 303 and download.headers["location"] == "/login"
        token = calendar_token.feed_token()
        feed = browser.get(f"/calendar/{token}.ics")
        assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
        assert browser.get("/calendar/guess.ics").status_code == 404
