"""The commitments and check-ins pages: promise, mark each due time, keep the history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW, AppFactory
from tests.web.conftest import Api, csrf_token
from tests.web.pagetools import Html

from mend.web.app import create_app


@pytest.fixture
def rid(repair: dict[str, Any]) -> int:
    return int(repair["id"])


def _post(client: TestClient, url: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
    fields = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=fields, follow_redirects=False, **kw)


def _commitments(api: Api, rid: int) -> list[dict[str, Any]]:
    return list(api.get(f"repairs/{rid}/commitments")["items"])


@pytest.fixture
def later(app_factory: AppFactory) -> Iterator[TestClient]:
    """A second browser on the same data, three days and two hours later."""
    with TestClient(create_app(app_factory(now=NOW + timedelta(days=3, hours=2)))) as other:
        yield other


# --- commitments ------------------------------------------------------------------------


def test_add_a_commitment_and_mark_it_kept_without_javascript(
    client: TestClient, api: Api, rid: int
) -> None:
    page = Html(client.get(f"/repairs/{rid}/commitments").text)
    form = page.one("form#commitment-form")
    for name in ("title", "owner", "due", "every"):
        field = form.one(name=name)
        assert form.all("label", for_=field["id"]), f"{name} has a label"
    assert page.one("a", aria_current="page").text == "Commitments"

    made = _post(
        client,
        f"/repairs/{rid}/commitments",
        {"title": "Send the revised figures", "owner": "me", "due": "2026-03-04 17:00"},
    )
    assert made.status_code == 303
    assert made.headers["location"].startswith(f"/repairs/{rid}/commitments#commitment-")

    page = Html(client.get(f"/repairs/{rid}/commitments").text)
    card = page.one("article", class_="commitment")
    assert "Send the revised figures" in card.text
    row = card.one("tr", data_status="pending")
    kept = row.one("button", class_="kept")
    assert kept["aria-pressed"] == "false"

    done = _post(client, kept["formaction"])
    assert done.status_code == 303
    assert done.headers["location"].endswith(f"#commitment-{card['data-commitment-id']}")

    [commitment] = _commitments(api, rid)
    assert [o["status"] for o in commitment["occurrences"]] == ["kept"]
    trust = api.get(f"repairs/{rid}/trust")["estimate"]["value"]
    assert trust > 0.5, "a kept promise raises trust above the neutral 50%"

    row = Html(client.get(f"/repairs/{rid}/commitments").text).one("tr", data_status="kept")
    assert row.one("button", class_="kept")["aria-pressed"] == "true"


def test_htmx_click_returns_only_the_updated_row(client: TestClient, api: Api, rid: int) -> None:
    api.post(
        f"repairs/{rid}/commitments",
        {"description": "Share the agenda the day before", "due_at": "2026-03-05T09:00:00Z"},
    )
    page = Html(client.get(f"/repairs/{rid}/commitments").text)
    missed = page.one("button", class_="missed")
    assert missed["hx-post"] == missed["formaction"]
    assert missed["hx-target"] == "closest tr"

    response = _post(client, missed["hx-post"], headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "<main" not in response.text
    row = Html(response.text).one("tr")
    assert row["data-status"] == "missed"
    assert row.one("button", class_="missed")["aria-pressed"] == "true"
    assert row["id"] == page.one("tr", data_status="pending")["id"], "same row, swapped in place"
    trust_now = Html(response.text).one("span#trust-now")
    assert trust_now["hx-swap-oob"] == "true", "the trust figure on the page is updated too"
    estimate = api.get(f"repairs/{rid}/trust")["estimate"]["value"]
    assert trust_now.text == f"{estimate * 100:.0f}%" and estimate < 0.5
    assert page.one("span#trust-now").text == "50%"

    # A second click corrects it.
    again = Html(
        _post(client, row.one("button", class_="late")["hx-post"], headers={"HX-Request": "1"}).text
    ).one("tr")
    assert again["data-status"] == "late"
    [commitment] = _commitments(api, rid)
    assert commitment["occurrences"][0]["status"] == "late"


def test_a_repeating_commitment_lists_every_due_day_with_its_own_buttons(
    client: TestClient, later: TestClient, api: Api, rid: int
) -> None:
    made = _post(
        client,
        f"/repairs/{rid}/commitments",
        {"title": "Post a short status note", "due": "2026-03-02 10:00", "every": "daily"},
    )
    assert made.status_code == 303

    page = Html(later.get(f"/repairs/{rid}/commitments").text)
    card = page.one("article", class_="commitment")
    assert "Every day" in card.text
    rows = card.all("tr", data_status="pending")
    assert len(rows) == 4, "2, 3, 4 and 5 March (10:00) have come due by 5 March 11:00"
    assert "next due" in card.one("p", class_="tally").text

    assert [r["id"][-14:-6] for r in rows] == ["20260305", "20260304", "20260303", "20260302"]
    for row, outcome in zip(rows, ("kept", "late", "kept", "kept"), strict=True):
        response = _post(later, row.one("button", class_=outcome)["formaction"])
        assert response.status_code == 303, response.text[:300]
    swap = _post(
        later, rows[1].one("button", class_="late")["hx-post"], headers={"HX-Request": "1"}
    )
    tally = Html(swap.text).one("p", class_="tally")
    assert tally["hx-swap-oob"] == "true" and "1 late" in tally.text and "3 kept" in tally.text

    card = Html(later.get(f"/repairs/{rid}/commitments").text).one("article", class_="commitment")
    assert "3 kept" in card.text and "1 late" in card.text and "0 missed" in card.text
    statuses = [r["data-status"] for r in card.all("tr") if r.get("data-status")]
    assert statuses == ["kept", "late", "kept", "kept"], "each click landed on its own day"
    [stored] = _commitments(api, rid)
    assert sorted(o["status"] for o in stored["occurrences"] if o["status"] != "pending") == [
        "kept",
        "kept",
        "kept",
        "late",
    ]


def test_a_commitment_needs_a_title_and_a_when(client: TestClient, api: Api, rid: int) -> None:
    response = _post(client, f"/repairs/{rid}/commitments", {"title": "Call weekly", "due": ""})
    assert response.status_code == 422
    page = Html(response.text)
    error = page.one("#c-due-error")
    assert error["role"] == "alert" and "how often it repeats" in error.text
    shown = [alert for alert in page.all(role="alert") if "hidden" not in alert.attrs]
    assert shown == [error], "one message, said once"
    assert page.one("input", name="due")["aria-invalid"] == "true"
    assert page.one("input", name="title")["value"] == "Call weekly", "what was typed is kept"

    response = _post(client, f"/repairs/{rid}/commitments", {"title": "", "due": "tomorrow"})
    assert response.status_code == 422
    assert Html(response.text).one("#c-title-error").text

    response = _post(
        client,
        f"/repairs/{rid}/commitments",
        {"title": "X", "due": "tomorrow", "every": "sometimes"},
    )
    assert response.status_code == 422
    assert "sometimes" in Html(response.text).one("#c-every-error").text
    assert _commitments(api, rid) == [], "nothing saved"


def test_forms_without_the_csrf_token_are_refused(client: TestClient, api: Api, rid: int) -> None:
    response = client.post(
        f"/repairs/{rid}/commitments",
        data={"title": "Sneaky", "due": "tomorrow"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert _commitments(api, rid) == []


def test_unknown_ids_and_outcomes_are_not_found(client: TestClient, api: Api, rid: int) -> None:
    assert client.get("/repairs/999/commitments").status_code == 404
    assert _post(client, f"/repairs/{rid}/occurrences/999/kept").status_code == 404
    api.post(
        f"repairs/{rid}/commitments",
        {"description": "Send notes", "due_at": "2026-03-05T09:00:00Z"},
    )
    oid = _commitments(api, rid)[0]["occurrences"][0]["id"]
    assert _post(client, f"/repairs/{rid}/occurrences/{oid}/forgotten").status_code == 404
    assert _post(client, f"/repairs/{rid}/occurrences/{oid}/kept").status_code == 303


def test_stopping_a_commitment(client: TestClient, api: Api, rid: int) -> None:
    made = api.post(
        f"repairs/{rid}/commitments", {"description": "Weekly call", "recurrence": "weekly"}
    )
    page = Html(client.get(f"/repairs/{rid}/commitments").text)
    stop = page.one("form", action=f"/repairs/{rid}/commitments/{made['id']}/cancel")
    assert _post(client, stop["action"]).status_code == 303
    assert _commitments(api, rid)[0]["active"] is False
    card = Html(client.get(f"/repairs/{rid}/commitments").text).one("article", class_="ended")
    assert "ended" in card.text


# --- check-ins --------------------------------------------------------------------------


def test_schedule_then_complete_a_check_in(
    client: TestClient, later: TestClient, api: Api, rid: int
) -> None:
    page = Html(client.get(f"/repairs/{rid}/checkins").text)
    form = page.one("form#checkin-form")
    for name in ("at", "every_days", "note"):
        assert form.all("label", for_=form.one(name=name)["id"])

    made = _post(
        client,
        f"/repairs/{rid}/checkins",
        {"at": "2026-03-04 10:00", "every_days": "7", "note": "How is the new plan landing?"},
    )
    assert made.status_code == 303
    page = Html(client.get(f"/repairs/{rid}/checkins").text)
    upcoming = page.one("article", data_state="upcoming")
    assert "How is the new plan landing?" in upcoming.text
    assert not page.all("article", data_state="due")

    page = Html(later.get(f"/repairs/{rid}/checkins").text)
    due = page.one("article", data_state="due")
    done = due.one("form", class_="done-form")
    assert _post(later, done["action"], {"outcome": ""}).status_code == 422
    response = _post(later, done["action"], {"outcome": "Calm; she wants the notes on Fridays"})
    assert response.status_code == 303

    page = Html(later.get(f"/repairs/{rid}/checkins").text)
    assert "Calm; she wants the notes on Fridays" in page.one("li", data_state="done").text
    assert page.all("article", data_state="upcoming"), "a repeating check-in plans the next one"
    items = api.get(f"repairs/{rid}/check-ins")["items"]
    assert sorted(i["outcome"] for i in items) == ["", "Calm; she wants the notes on Fridays"]


def test_check_in_errors_show_beside_the_field(client: TestClient, api: Api, rid: int) -> None:
    response = _post(client, f"/repairs/{rid}/checkins", {"at": "whenever-ish", "every_days": "7"})
    assert response.status_code == 422
    page = Html(response.text)
    assert "whenever-ish" in page.one("#ci-at-error").text
    assert page.one("input", name="at")["value"] == "whenever-ish"

    response = _post(client, f"/repairs/{rid}/checkins", {"at": "tomorrow", "every_days": "0"})
    assert response.status_code == 422
    assert Html(response.text).one("#ci-every-error").text

    response = _post(client, f"/repairs/{rid}/checkins", {"at": "2026-02-01 10:00"})
    assert response.status_code == 422
    assert "future" in Html(response.text).one("#ci-at-error").text
    assert api.get(f"repairs/{rid}/check-ins")["items"] == []
