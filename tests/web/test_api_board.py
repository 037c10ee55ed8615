"""The board (home page, /repairs, /status, /next, /agenda) is cached, never stale."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.web.conftest import Api, csrf_token

from mend.app import App
from mend.services import commitments, people, repairs
from mend.web.app import create_app


def _open(app: App, person_id: int, title: str) -> int:
    repair = repairs.open_repair(
        app.uow(), person=str(person_id), title=title, what_happened="It went wrong.", now=NOW
    )
    assert repair.id is not None
    return repair.id


def test_changes_made_elsewhere_show_on_the_next_request(
    api: Api, person: dict[str, Any], app_factory: Any
) -> None:
    assert api.get("repairs")["total"] == 0
    assert api.get("status") == []

    # Another process on the same database, like `mend repair open` in a terminal.
    other: App = app_factory()
    rid = _open(other, person["id"], "Opened from the command line")
    board = api.get("repairs")
    assert [r["title"] for r in board["items"]] == ["Opened from the command line"]
    assert [r["repair_id"] for r in api.get("status")] == [rid]

    repairs.change_status(other.uow(), rid, to="closed_unresolved", reason="Moved on", now=NOW)
    assert api.get("repairs")["total"] == 0
    assert api.get("repairs", params={"include_closed": "true"})["total"] == 1
    assert api.get("next") is None


def test_the_board_follows_the_clock(app_factory: Any) -> None:
    moments = [NOW]
    app: App = app_factory(clock=lambda: moments[-1])
    person = people.add_person(app.uow(), name="Ana", role="colleague", now=NOW)
    assert person.id is not None
    rid = _open(app, person.id, "Late report")
    commitments.record_commitment(
        app.uow(), rid, description="Send the report", due_at=NOW + timedelta(hours=3), now=NOW
    )
    with TestClient(create_app(app)) as client:
        before = client.get("/api/v1/agenda").json()
        assert [i["label"] for i in before["today"]] == ["Send the report"]
        assert before["overdue"] == []
        moments.append(NOW + timedelta(days=1))
        after = client.get("/api/v1/agenda").json()
        assert [i["label"] for i in after["overdue"]] == ["Send the report"]
        assert client.get("/api/v1/status").json()[0]["overdue"][0]["label"] == ("Send the report")


def test_home_page_shows_repairs_fifty_at_a_time(
    client: TestClient, app: App, person: dict[str, Any]
) -> None:
    for n in range(53):
        _open(app, person["id"], f"Repair number {n:02d}")
    first = client.get("/").text
    assert first.count('href="/repairs/') >= 50
    assert "Repair number 00" in first and "Repair number 49" in first
    assert "Repair number 50" not in first
    assert "Repairs 1–50 of 53" in first
    assert 'href="/?page=2"' in first

    second = client.get("/", params={"page": 2}).text
    assert "Repairs 51–53 of 53" in second
    assert re.search(r"Repair number 5[0-2]", second)
    assert "Repair number 00" not in second
    assert 'href="/?page=1"' in second
    beyond = client.get("/", params={"page": 99})
    assert beyond.status_code == 200 and "Repairs 51–53 of 53" in beyond.text


def test_the_agenda_on_the_home_page_is_capped(
    client: TestClient, app: App, api: Api, repair: dict[str, Any]
) -> None:
    due = NOW + timedelta(days=2)
    for n in range(13):
        commitments.record_commitment(
            app.uow(), repair["id"], description=f"Promise {n:02d}", due_at=due, now=NOW
        )
    html = client.get("/").text
    assert "Promise 00" in html and "Promise 09" in html
    assert "Promise 10" not in html
    assert "and 3 more" in html
    assert len(api.get("agenda")["this_week"]) == 13, "the API gives the whole agenda"


# On PostgreSQL the stamp is server-wide: other databases' writes (parallel test workers)
# may refresh the board at any time, so only SQLite can show that nothing is re-read.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_unchanged_data_is_not_read_again(api: Api, person: dict[str, Any], web: Any) -> None:
    api.get("repairs")
    cache, app = web.state.board_cache, web.state.mend
    first = cache.board(app)
    api.get("status")
    api.get("next")
    api.get("agenda")
    assert cache.board(app) is first, "nothing changed, so the same board serves every request"
    api.post("people", {"name": "Bo", "role": "client"})
    assert cache.board(app) is not first, "a write makes the next request read again"


def test_each_browser_gets_its_own_token_on_the_cached_home_page(
    web: Any, repair: dict[str, Any]
) -> None:
    with TestClient(web) as alice, TestClient(web) as bob:
        alice_page, bob_page = alice.get("/").text, bob.get("/").text
        alice_token, bob_token = csrf_token(alice), csrf_token(bob)
        assert alice_token != bob_token
        assert alice_token in alice_page and bob_token not in alice_page
        assert bob_token in bob_page and alice_token not in bob_page
        assert alice_page.replace(alice_token, "") == bob_page.replace(bob_token, "")
        assert "csrf-" not in alice_page.replace(alice_token, "")


def test_each_home_card_draws_trust_over_recent_weeks(app: App) -> None:
    """The small trend line ends at today's figure and agrees with the trend word."""
    from mend.services import overview
    from mend.services.demo import load_demo

    load_demo(app.uow, now=NOW, tz=app.tz)
    plain = overview.status_board(app.uow(write=False), now=NOW, tz=app.tz)
    rich = overview.status_board(app.uow(write=False), now=NOW, tz=app.tz, history_weeks=12)
    assert plain[0].history == ()
    history = rich[0].history
    assert len(history) == 13  # twelve week ends, then now
    assert history[-1] == pytest.approx(plain[0].trust.value)
    assert history[0] == pytest.approx(0.5)  # before the repair: no evidence yet
    assert rich[0].trend == plain[0].trend

    with TestClient(create_app(app)) as client:
        html = client.get("/").text
    line = re.search(r'aria-label="Trust over the last (\d+) weeks: from 50% to (\d+)%', html)
    assert line is not None, html
    assert line.group(1) == "12" and line.group(2) == f"{history[-1] * 100:.0f}"
    points = re.search(r'<polyline points="([^"]+)"', html)
    assert points is not None and len(points.group(1).split()) == 13
