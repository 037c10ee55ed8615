"""The agreement editor, its versions and the printable page; and the common ground page."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Api, csrf_token
from tests.web.pagetools import Html


@pytest.fixture
def rid(repair: dict[str, Any]) -> int:
    return int(repair["id"])


def _post(client: TestClient, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client), **data}, follow_redirects=False)


AGREEMENT = {
    "channel": "Chat for quick things, a call for anything tense",
    "frequency": "15 minutes every Monday",
    "response_time": "Within one working day",
    "tasks": "Weekly status note = me\nSprint plan = Dana\n\nRelease checklist = both",
    "raise_problems": "Say it the same day, in private.",
    "review_on": "2026-04-13",
}


def test_write_an_agreement_then_revise_it(client: TestClient, api: Api, rid: int) -> None:
    page = Html(client.get(f"/repairs/{rid}/agreement").text)
    form = page.one("form#agreement-form")
    for name in ("channel", "frequency", "response_time", "tasks", "raise_problems", "review_on"):
        assert form.all("label", for_=form.one(name=name)["id"]), name
    assert form.one("input", name="review_on")["type"] == "date"

    saved = _post(client, f"/repairs/{rid}/agreement", AGREEMENT)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/repairs/{rid}/agreement?saved=1"

    current = api.get(f"repairs/{rid}/agreement")["current"]
    assert current["version"] == 1
    assert current["tasks"] == [
        {"task": "Weekly status note", "owner": "me"},
        {"task": "Sprint plan", "owner": "them"},
        {"task": "Release checklist", "owner": "both"},
    ]
    assert current["raising_problems"] == "Say it the same day, in private."
    assert current["review_on"] == "2026-04-13"

    page = Html(client.get(saved.headers["location"]).text)
    assert "Version 1 saved" in page.one("p", role="status").text
    form = page.one("form#agreement-form")
    assert form.one("textarea", name="tasks").text == (
        "Weekly status note = me Sprint plan = them Release checklist = both"
    )
    assert form.one("input", name="channel")["value"] == AGREEMENT["channel"]

    revised = _post(client, f"/repairs/{rid}/agreement", {**AGREEMENT, "response_time": "Same day"})
    assert revised.status_code == 303
    history = api.get(f"repairs/{rid}/agreement")
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert history["current"]["response_time"] == "Same day"
    versions = Html(client.get(f"/repairs/{rid}/agreement").text).all("li", data_version="2")
    assert versions and "current" in versions[0].text


def test_printable_page_shows_the_agreement_cleanly(client: TestClient, rid: int) -> None:
    none_yet = client.get(f"/repairs/{rid}/agreement/print")
    assert none_yet.status_code == 404
    assert Html(none_yet.text).one("a", class_="primary")["href"] == f"/repairs/{rid}/agreement"
    _post(client, f"/repairs/{rid}/agreement", AGREEMENT)
    _post(client, f"/repairs/{rid}/agreement", {**AGREEMENT, "channel": "Email only"})

    response = client.get(f"/repairs/{rid}/agreement/print")
    assert response.status_code == 200
    page = Html(response.text)
    sheet = page.one("article#agreement-sheet")
    assert page.one("h1").text == "Working agreement with Dana Reyes"
    assert "Version 2" in sheet.text and "Email only" in sheet.text
    rows = [r.text for r in sheet.one("table", class_="tasks").all("tr")[1:]]
    assert rows == [
        "Weekly status note Me",
        "Sprint plan Dana Reyes",
        "Release checklist Both of us",
    ]
    assert "Mon 13 Apr 2026" in sheet.text
    assert not sheet.all("form"), "nothing to click on paper"
    assert page.one("div", class_="print-tools")["class"].split() == ["print-tools", "no-print"]

    first = Html(client.get(f"/repairs/{rid}/agreement/print?version=1").text)
    sheet = first.one("article#agreement-sheet")
    assert AGREEMENT["channel"] in sheet.text and "an earlier version" in sheet.text
    assert client.get(f"/repairs/{rid}/agreement/print?version=9").status_code == 404

    css = client.get("/static/app.css").text
    assert "@media print" in css and ".agreement-sheet" in css


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"tasks": "Weekly status note"}, "tasks", "task = owner"),
        ({"tasks": "Weekly status note = the intern"}, "tasks", "the intern"),
        ({"review_on": "2026-02-01"}, "review_on", "future"),
        ({"review_on": "soon"}, "review_on", "soon"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_saved(
    client: TestClient, api: Api, rid: int, change: dict[str, str], field: str, words: str
) -> None:
    response = _post(client, f"/repairs/{rid}/agreement", {**AGREEMENT, **change})
    assert response.status_code == 422
    page = Html(response.text)
    form = page.one("form#agreement-form")
    control = form.one(name=field)
    error = page.one(f"#{control['id']}-error")
    assert error["role"] == "alert" and words in error.text
    assert control["aria-invalid"] == "true"
    assert form.one("input", name="channel")["value"] == AGREEMENT["channel"], "input kept"
    assert api.get(f"repairs/{rid}/agreement")["versions"] == []


def test_an_empty_agreement_is_refused(client: TestClient, api: Api, rid: int) -> None:
    response = _post(client, f"/repairs/{rid}/agreement", {"channel": "  ", "tasks": ""})
    assert response.status_code == 422
    assert "empty" in Html(response.text).one("#a-channel-error").text
    assert api.get(f"repairs/{rid}/agreement")["versions"] == []


def test_common_ground_and_initiatives(client: TestClient, api: Api, rid: int) -> None:
    page = Html(client.get(f"/repairs/{rid}/ground").text)
    assert page.one("form#ground-form") and page.one("form#initiative-form")

    assert (
        _post(
            client,
            f"/repairs/{rid}/ground",
            {"kind": "goal", "text": "A launch the client trusts"},
        ).status_code
        == 303
    )
    made = _post(
        client,
        f"/repairs/{rid}/initiatives",
        {"title": "Joint release checklist", "my_contribution": "Draft it"},
    )
    assert made.status_code == 303
    iid = made.headers["location"].rsplit("-", 1)[1]
    assert (
        _post(client, f"/repairs/{rid}/initiatives/{iid}", {"status": "active"}).status_code == 303
    )

    page = Html(client.get(f"/repairs/{rid}/ground").text)
    assert "A launch the client trusts" in page.one("ul", class_="ground-list").text
    item = page.one("li", data_initiative_id=iid)
    assert item["data-status"] == "active" and "Draft it" in item.text

    bad = _post(client, f"/repairs/{rid}/initiatives", {"title": "", "my_contribution": "x"})
    assert bad.status_code == 422
    assert Html(bad.text).one("#i-title-error").text
    assert len(api.get(f"repairs/{rid}/common-ground")["initiatives"]) == 1
