"""The owner's trust page and API once the other person takes part (both backends): their
verdicts counted and named, the gap between the records explained, their pulse charted
beside trust; the other person's page still shows no trust figure and no owner note."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.teamtools import add_account, log_in
from tests.web.conftest import csrf_token
from tests.web.pagetools import Html

from mend.web.app import create_app

OWNER_NOTE = "owner-note-4f1c"


@dataclass
class Two:
    owner: TestClient
    guest: TestClient
    repair: int
    #: description -> occurrence id
    occurrences: dict[str, int]


def _post(client: TestClient, path: str, body: dict[str, Any], expect: int = 201) -> Any:
    response = client.post(f"/api/v1/{path}", json=body)
    assert response.status_code == expect, (path, response.text)
    return response.json()


def _form(client: TestClient, path: str, **fields: str) -> Any:
    response = client.post(
        path, data={**fields, "csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response


@pytest.fixture
def two(app_factory: Any) -> Iterator[Two]:
    app = app_factory(team=True)
    add_account(app, "a@example.org", name="Ana")
    web = create_app(app)
    with TestClient(web) as owner, TestClient(web) as guest:
        log_in(owner, "a@example.org")
        person = _post(owner, "people", {"name": "Priya", "role": "colleague"})
        rid = _post(
            owner,
            "repairs",
            {"person_id": person["id"], "title": "Late specs", "what_happened": "I was late"},
        )["repair"]["id"]
        occurrences = {}
        for text in ("Send the specs", "Share the agenda", "Call before moving dates"):
            due = (NOW + timedelta(hours=1)).isoformat()
            made = _post(owner, f"repairs/{rid}/commitments", {"description": text, "due_at": due})
            occurrences[text] = made["occurrences"][0]["id"]
            if text != "Call before moving dates":
                _post(
                    owner,
                    f"repairs/{rid}/commitments/{made['id']}/outcomes",
                    {"status": "kept", "note": OWNER_NOTE},
                    expect=200,
                )
        made = _post(
            owner,
            f"repairs/{rid}/invitations",
            {"shared_title": "The launch", "their_name": "Priya"},
        )
        opened = guest.get(made["link"].replace("http://testserver", ""), follow_redirects=False)
        assert opened.status_code == 303
        yield Two(owner, guest, rid, occurrences)


def test_the_gap_is_shown_and_explained_and_whose_word_is_named(two: Two) -> None:
    occ = two.occurrences
    _form(two.guest, f"/shared/occurrences/{occ['Send the specs']}", verdict="late", note="Tue")
    _form(two.guest, f"/shared/occurrences/{occ['Share the agenda']}", verdict="kept")
    _form(
        two.guest,
        f"/shared/occurrences/{occ['Call before moving dates']}",
        verdict="disputed",
        note="You never called",
    )
    page = Html(two.owner.get(f"/repairs/{two.repair}/trust").text)
    gaps = page.one("ul", id="trust-gaps").all("li")
    texts = [" ".join(li.text.split()) for li in gaps]
    assert len(texts) == 2
    assert "Send the specs, due" in texts[0]
    assert "you marked kept; Priya marked late on" in texts[0]
    assert texts[0].endswith("(“Tue”). Counted as late, Priya's word.")
    assert "you have not recorded it; Priya disputes it on" in texts[1]
    assert "a disputed outcome counts as late at best" in texts[1]
    explained = page.one("section", class_="gaps").text
    assert "that is what counts, also when it differs from your record" in explained
    assert "Mend counts Priya's word" in page.one("p", id="trust-two-sided").text
    rows = {
        " ".join(r.all("td")[1].text.split()): r.one("td", class_="whose").text
        for r in page.one("table#trust-events").all("tr")
        if r.get("data-kind")
    }
    assert rows == {
        "Late Send the specs (due " + _due() + ")": "Priya's word",
        "Kept Share the agenda (due " + _due() + ")": "You and Priya agree",
        "Late Call before moving dates (due " + _due() + ")": "Disputed by Priya",
    }
    report = two.owner.get(f"/api/v1/repairs/{two.repair}/trust").json()
    assert [(g["description"], g["mine"], g["theirs"], g["counted"]) for g in report["gaps"]] == [
        ("Send the specs", "kept", "late", "late"),
        ("Call before moving dates", None, "disputed", "late"),
    ]
    assert report["gaps"][0]["text"] == texts[0]
    words = {m["label"].split(": ")[1].split(" (")[0]: m["word"] for m in report["movers"]}
    assert words == {
        "Send the specs": "theirs",
        "Share the agenda": "agreed",
        "Call before moving dates": "disputed",
    }
    # The board and the page agree: the same rule.
    board = two.owner.get("/api/v1/status").json()
    assert board[0]["trust"]["value"] == pytest.approx(report["estimate"]["value"], abs=1e-9)


def _due() -> str:
    return (NOW + timedelta(hours=1)).strftime("%Y-%m-%d")


def test_their_pulse_is_charted_beside_trust_with_their_notes(two: Two) -> None:
    _form(two.guest, "/shared/pulse", score="2", note="Still wary")
    _form(two.guest, "/shared/pulse", score="4", note="Better this week")
    page = Html(two.owner.get(f"/repairs/{two.repair}/trust").text)
    pair = page.one("div", class_="chart-pair")
    pulse = pair.one("section", class_="pulse")
    assert pulse.one("h2").text == "How Priya says it is going"
    chart = pulse.one("svg", id="pulse-chart")
    assert chart["role"] == "img"
    dots = chart.all("circle")
    assert len(dots) == 2
    # Higher answers sit higher (smaller y).
    assert float(dots[1]["cy"]) < float(dots[0]["cy"])
    assert "4 out of 5" in dots[1].one("title").text
    assert pulse.one("strong", id="pulse-latest").text == "4 out of 5"
    assert "(up 2 from the one before)" in pulse.text
    assert "Average 3.0 over 2 answers in the last 12 weeks" in " ".join(pulse.text.split())
    answers = [" ".join(li.text.split()) for li in pulse.one("ul", id="pulse-answers").all("li")]
    assert answers[0].endswith("4/5 Better this week") and answers[1].endswith("2/5 Still wary")
    report = two.owner.get(f"/api/v1/repairs/{two.repair}/trust").json()
    assert [(p["score"], p["note"]) for p in report["pulses"]] == [
        (2, "Still wary"),
        (4, "Better this week"),
    ]
    assert report["pulse"]["latest"]["score"] == 4 and report["pulse"]["change"] == 2


def test_without_their_words_the_page_has_no_pulse_gap_or_word_column(two: Two) -> None:
    page = Html(two.owner.get(f"/repairs/{two.repair}/trust").text)
    assert page.all("svg", id="pulse-chart") == []
    assert page.all("ul", id="trust-gaps") == []
    assert page.all("td", class_="whose") == []


def test_their_page_shows_no_trust_figure_nor_the_owner_note(two: Two) -> None:
    occ = two.occurrences
    _form(two.guest, f"/shared/occurrences/{occ['Send the specs']}", verdict="late")
    _form(two.guest, "/shared/pulse", score="3")
    shared = two.guest.get("/shared").text
    assert OWNER_NOTE not in shared
    assert "Counted as" not in shared and "Trust" not in shared
    assert two.guest.get(f"/repairs/{two.repair}/trust").status_code == 404
    assert two.guest.get(f"/api/v1/repairs/{two.repair}/trust").status_code == 404
