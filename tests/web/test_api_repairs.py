"""/api/v1/repairs: open, read, edit, status changes, the ten steps, delete."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Api


def test_open_a_repair_returns_the_whole_picture(api: Api, person: dict[str, Any]) -> None:
    detail = api.post(
        "repairs",
        {
            "person_id": person["id"],
            "title": "Took credit in the review",
            "what_happened": "I presented the migration as my own work in the quarterly review.",
            "occurred_on": "2026-02-20",
            "severity": 4,
        },
    )
    repair = detail["repair"]
    assert repair["title"] == "Took credit in the review"
    assert repair["occurred_on"] == "2026-02-20"
    assert repair["severity"] == 4
    assert repair["status"] == "open"
    assert detail["person"]["name"] == person["name"]
    assert [s["number"] for s in detail["steps"]] == list(range(1, 11))
    assert detail["steps"][0]["step"] == "acknowledge"
    assert all(s["state"] == "pending" for s in detail["steps"])
    assert detail["next_step"]["step"] == "acknowledge"
    assert 0.0 <= detail["trust"]["value"] <= 1.0

    assert api.get(f"repairs/{repair['id']}") == detail


def test_list_repairs_with_pages_and_closed_ones(api: Api, person: dict[str, Any]) -> None:
    ids = []
    for n in range(5):
        made = api.post(
            "repairs",
            {"person_id": person["id"], "title": f"Issue {n}", "what_happened": "It went wrong."},
        )
        ids.append(made["repair"]["id"])
    api.post(
        f"repairs/{ids[0]}/status",
        {"to": "closed_unresolved", "reason": "They left the company."},
        expect=200,
    )

    page = api.get("repairs", params={"limit": 2})
    assert page["total"] == 4, "closed repairs are left out by default"
    assert len(page["items"]) == 2
    row = page["items"][0]
    assert row["person"] == person["name"]
    assert row["role"] == "manager"
    assert row["progress"] == 0
    assert set(row["steps"]) == {s["step"] for s in api.get(f"repairs/{ids[1]}/steps")}

    everything = api.get("repairs", params={"include_closed": "true", "limit": 500})
    assert everything["total"] == 5
    assert sorted(r["repair_id"] for r in everything["items"]) == sorted(ids)


def test_edit_a_repair(api: Api, repair: dict[str, Any]) -> None:
    edited = api.patch(
        f"repairs/{repair['id']}", {"severity": 5, "my_part": "I didn't warn anyone."}
    )
    assert edited["repair"]["severity"] == 5
    assert edited["repair"]["my_part"] == "I didn't warn anyone."
    assert edited["repair"]["title"] == repair["title"]


def test_status_changes_are_recorded_with_their_reason(api: Api, repair: dict[str, Any]) -> None:
    detail = api.post(
        f"repairs/{repair['id']}/status",
        {"to": "in_progress", "reason": "We have started talking."},
        expect=200,
    )
    assert detail["repair"]["status"] == "in_progress"
    change = detail["repair"]["status_changes"][-1]
    assert (change["from_status"], change["to_status"]) == ("open", "in_progress")
    assert change["reason"] == "We have started talking."

    back = api.post(f"repairs/{repair['id']}/status", {"to": "open", "reason": "x"}, expect=409)
    assert back["error"]["code"] == "invalid_transition"
    assert "in_progress" in back["error"]["message"] or "in progress" in back["error"]["message"]
    assert api.get(f"repairs/{repair['id']}")["repair"]["status"] == "in_progress"
    no_reason = api.post(f"repairs/{repair['id']}/status", {"to": "restored"}, expect=422)
    assert no_reason["error"]["field"] == "reason"
    bad = api.post(f"repairs/{repair['id']}/status", {"to": "fixed", "reason": "x"}, expect=422)
    assert bad["error"]["field"] == "to"


def test_answering_the_first_step_completes_it(api: Api, repair: dict[str, Any]) -> None:
    detail = api.post(
        f"repairs/{repair['id']}/steps/acknowledge/answers",
        {
            "answers": {
                "my_part": "I didn't tell anyone the report would be late.",
                "impact": "My manager faced the board without the numbers.",
            }
        },
        expect=200,
    )
    first = detail["steps"][0]
    assert first["state"] == "done"
    assert first["completed_at"].startswith("2026-03-02T09:00")
    assert detail["repair"]["my_part"] == "I didn't tell anyone the report would be late."
    assert detail["next_step"]["step"] != "acknowledge"

    unknown = api.post(
        f"repairs/{repair['id']}/steps/listen/answers",
        {"answers": {"favourite_colour": "blue"}},
        expect=422,
    )
    assert unknown["error"]["field"] == "answers"


def test_done_skip_and_reopen_a_step(api: Api, repair: dict[str, Any]) -> None:
    base = f"repairs/{repair['id']}/steps"
    early = api.post(f"{base}/listen/done", {}, expect=409)
    assert "not done yet" in early["error"]["message"]

    forced = api.post(f"{base}/listen/done", {"force": True}, expect=200)
    assert _state(forced, "listen") == "done"
    again = api.post(f"{base}/listen/done", {"force": True}, expect=409)
    assert "already done" in again["error"]["message"]

    skipped = api.post(f"{base}/empathize/skip", {"reason": "Said it in the meeting."}, expect=200)
    step = next(s for s in skipped["steps"] if s["step"] == "empathize")
    assert (step["state"], step["skip_reason"]) == ("skipped", "Said it in the meeting.")
    no_reason = api.post(f"{base}/apologize/skip", {"reason": ""}, expect=422)
    assert no_reason["error"]["field"] == "reason"

    reopened = api.post(f"{base}/listen/reopen", {}, expect=200)
    assert _state(reopened, "listen") == "pending"
    assert [s["state"] for s in api.get(f"{base}")] == [s["state"] for s in reopened["steps"]]

    no_step = api.post(f"{base}/dance/done", {}, expect=422)
    assert no_step["error"]["field"] == "step"


def test_delete_a_repair(api: Api, repair: dict[str, Any], person: dict[str, Any]) -> None:
    api.delete(f"repairs/{repair['id']}")
    assert api.get(f"repairs/{repair['id']}", expect=404)["error"]["code"] == "not_found"
    assert api.get(f"people/{person['id']}")["name"] == person["name"]
    assert api.delete(f"repairs/{repair['id']}", expect=404)["error"]["code"] == "not_found"


def test_repair_input_errors(api: Api, person: dict[str, Any]) -> None:
    nobody = api.post("repairs", {"person_id": 999, "title": "x", "what_happened": "y"}, expect=404)
    assert nobody["error"]["code"] == "not_found"
    severe = api.post(
        "repairs",
        {"person_id": person["id"], "title": "x", "what_happened": "y", "severity": 9},
        expect=422,
    )
    assert severe["error"]["field"] == "severity"
    no_title = api.post("repairs", {"person_id": person["id"], "what_happened": "y"}, expect=422)
    assert no_title["error"]["field"] == "title"
    bad_date = api.post(
        "repairs",
        {"person_id": person["id"], "title": "x", "what_happened": "y", "occurred_on": "soon"},
        expect=422,
    )
    assert bad_date["error"]["field"] == "occurred_on"
    assert api.get("repairs")["total"] == 0


def _state(detail: dict[str, Any], step: str) -> str:
    return str(next(s["state"] for s in detail["steps"] if s["step"] == step))
