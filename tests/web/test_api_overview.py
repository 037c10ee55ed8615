"""/api/v1: the board, the next action, the agenda, trust, the coach, documents, demo."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import Api


@pytest.fixture
def base(repair: dict[str, Any]) -> str:
    return f"repairs/{repair['id']}"


def test_status_board_shows_what_is_overdue(api: Api, repair: dict[str, Any], base: str) -> None:
    api.post(
        f"{base}/commitments",
        {"description": "Send the corrected report", "due_at": "2026-03-02T10:00:00Z"},
    )
    api.post(f"{base}/check-ins", {"scheduled_at": "2026-03-05T10:00:00Z"})
    board = api.get("status")
    assert [row["repair_id"] for row in board] == [repair["id"]]
    row = board[0]
    assert row["title"] == repair["title"]
    assert [(d["kind"], d["label"]) for d in row["due_soon"]] == [
        ("commitment", "Send the corrected report"),
        ("check_in", "Check-in with Dana Reyes"),
    ]
    assert row["overdue"] == []
    assert api.get("status", params={"include_closed": "true"}) == board


def test_next_action_and_agenda(api: Api, base: str, app: Any) -> None:
    assert api.get("next")["text"], "a fresh repair suggests its first step"
    api.post(
        f"{base}/commitments",
        {"description": "Send the corrected report", "due_at": "2026-03-02T17:00:00Z"},
    )
    api.post(f"{base}/check-ins", {"scheduled_at": "2026-03-05T10:00:00Z"})
    api.post(f"{base}/check-ins", {"scheduled_at": "2026-03-20T10:00:00Z"})

    suggestion = api.get("next")
    assert "corrected report" in suggestion["text"].lower()

    agenda = api.get("agenda")
    assert [i["label"] for i in agenda["today"]] and "corrected report" in (
        agenda["today"][0]["label"].lower()
    )
    assert len(agenda["this_week"]) == 1, "the check-in three days out; not the one in 18 days"
    assert agenda["overdue"] == []
    month = api.get("agenda", params={"days": 30})
    assert len(month["this_week"]) == 2
    assert api.get("agenda", params={"days": 0}, expect=422)["error"]["field"] == "days"


def test_next_is_null_without_repairs(api: Api) -> None:
    assert api.get("next") is None


def test_trust_report_moves_with_kept_and_missed_promises(api: Api, base: str) -> None:
    before = api.get(f"{base}/trust")
    assert before["repair_id"] == int(base.split("/")[1])
    assert before["movers"] == []
    promise = api.post(
        f"{base}/commitments",
        {"description": "Send the corrected report", "due_at": "2026-03-04T17:00:00Z"},
    )
    api.post(f"{base}/commitments/{promise['id']}/outcomes", {"status": "kept"}, expect=200)
    after = api.get(f"{base}/trust", params={"weeks": 4})
    assert after["estimate"]["value"] > before["estimate"]["value"]
    assert after["estimate"]["n_events"] == before["estimate"]["n_events"] + 1
    assert [m["kind"] for m in after["movers"]] == ["kept"]
    assert after["movers"][0]["delta"] > 0
    assert after["trajectory"], "a weekly point at least for this week"
    assert all(0 <= p["value"] <= 1 for p in after["trajectory"])
    assert api.get("repairs/99/trust", expect=404)["error"]["code"] == "not_found"
    assert api.get(f"{base}/trust", params={"weeks": 0}, expect=422)["error"]["field"] == "weeks"


def test_live_coach_points_at_the_non_apology(api: Api) -> None:
    text = "I'm sorry if you felt upset about the report."
    report = api.post("coach", {"text": text, "step": "apology"}, expect=200)
    assert report["step"] == "apology"
    finding = next(f for f in report["findings"] if f["code"] == "non_apology")
    assert text[finding["start"] : finding["end"]] == finding["quote"]
    assert finding["explanation"]
    assert set(report["scores"]) >= {"apology", "ownership", "empathy"}

    blank = api.post("coach", {"text": "   "}, expect=422)
    assert blank["error"]["field"] == "text"
    big = api.post("coach", {"text": "x" * 200_000}, expect=422)
    assert big["error"]["field"] == "text"
    step = api.post("coach", {"text": "Hi", "step": "sonnet"}, expect=422)
    assert step["error"]["field"] == "step"


def test_demo_calendar_and_documents(api: Api) -> None:
    loaded = api.post("demo")
    rid = loaded["repair_id"]
    detail = api.get(f"repairs/{rid}")
    assert detail["person"]["name"]
    assert any(s["state"] == "done" for s in detail["steps"])

    ics = api.client.get("/api/v1/calendar.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    body = ics.text
    assert body.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in body and "BEGIN:VALARM" in body

    report = api.client.get(f"/api/v1/repairs/{rid}/report")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/markdown")
    assert detail["repair"]["title"] in report.text

    api.post(f"repairs/{rid}/agreement", {"channel": "A call every Monday"})
    document = api.client.get(f"/api/v1/repairs/{rid}/agreement/document")
    assert document.status_code == 200
    assert "A call every Monday" in document.text


def test_agreement_document_before_any_agreement_is_404(api: Api, base: str) -> None:
    missing = api.get(f"{base}/agreement/document", expect=404)
    assert missing["error"]["field"] == "agreement"
    assert api.get("repairs/77/report", expect=404)["error"]["code"] == "not_found"


def test_private_calendar_link_and_renewing_it(api: Api, base: str) -> None:
    api.post(f"{base}/check-ins", {"scheduled_at": "2026-03-05T10:00:00Z", "note": "Coffee"})
    feed = api.get("calendar/feed")
    assert feed["url"].startswith("http://testserver/calendar/")
    assert feed["webcal_url"] == "webcal://" + feed["url"].removeprefix("http://")
    assert api.get("calendar/feed") == feed, "the link stays the same until renewed"

    old_path = feed["url"].removeprefix("http://testserver")
    subscribed = api.client.get(old_path)
    assert subscribed.status_code == 200
    assert "Check-in with Dana Reyes" in subscribed.text

    renewed = api.post("calendar/feed", expect=200)
    assert renewed["url"] != feed["url"]
    assert api.client.get(old_path).status_code == 404, "the old link stops working"
    new_path = renewed["url"].removeprefix("http://testserver")
    assert api.client.get(new_path).status_code == 200
