"""/api/v1/repairs/{id}/…: interactions, drafts, commitments, check-ins, ground, agreement."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import Api

PROMISE = (
    "I'm sorry I missed the deadline without warning you. "
    "I will send you a status update every Friday."
)


@pytest.fixture
def base(repair: dict[str, Any]) -> str:
    return f"repairs/{repair['id']}"


# --- interactions ----------------------------------------------------------------------


def test_log_list_and_reply_to_interactions(api: Api, base: str) -> None:
    meeting = api.post(
        f"{base}/interactions",
        {
            "kind": "meeting",
            "initiated_by": "them",
            "occurred_at": "2026-02-27T15:00:00Z",
            "summary": "They told me how the board meeting went.",
            "their_perspective": "They felt exposed in front of the board.",
            "tension": "tense",
        },
    )
    assert meeting["kind"] == "meeting"
    assert meeting["initiated_by"] == "them"
    assert meeting["occurred_at"].startswith("2026-02-27T15:00")
    assert meeting["forced"] is False

    email = api.post(
        f"{base}/interactions",
        {"kind": "email", "initiated_by": "me", "summary": "Sent the corrected figures."},
    )
    assert email["occurred_at"].startswith("2026-03-02T09:00"), "occurred_at defaults to now"
    assert email["replied"] is None

    replied = api.post(
        f"{base}/interactions/{email['id']}/reply",
        {"replied": True, "replied_at": "2026-03-02T08:30:00Z"},
        expect=200,
    )
    assert replied["replied"] is True
    assert replied["replied_at"].startswith("2026-03-02T08:30")

    page = api.get(f"{base}/interactions", params={"limit": 1})
    assert page["total"] == 2 and len(page["items"]) == 1
    both = api.get(f"{base}/interactions")["items"]
    assert {i["id"] for i in both} == {meeting["id"], email["id"]}
    assert api.get(f"{base}/interactions/{email['id']}")["replied"] is True


def test_outreach_too_soon_after_a_heated_talk_needs_force(api: Api, base: str) -> None:
    api.post(
        f"{base}/interactions",
        {
            "kind": "meeting",
            "initiated_by": "them",
            "occurred_at": "2026-03-01T16:00:00Z",
            "tension": "heated",
        },
    )
    verdict = api.get(f"{base}/patience")
    assert verdict["allowed"] is False
    assert verdict["reasons"]
    assert verdict["next_allowed_at"] > "2026-03-02"
    later = api.get(f"{base}/patience", params={"at": "2026-03-20T09:00:00Z"})
    assert later["allowed"] is True

    refused = api.post(f"{base}/interactions", {"kind": "email", "initiated_by": "me"}, expect=409)
    assert refused["error"]["code"] == "patience"
    assert refused["error"]["field"] == "occurred_at"
    assert api.get(f"{base}/interactions")["total"] == 1, "the refused outreach is not saved"

    forced = api.post(
        f"{base}/interactions", {"kind": "email", "initiated_by": "me", "force": True}
    )
    assert forced["forced"] is True
    assert forced["forced_reason"]


def test_interaction_errors(api: Api, base: str) -> None:
    bad = api.post(f"{base}/interactions", {"kind": "fax", "initiated_by": "me"}, expect=422)
    assert bad["error"]["field"] == "kind"
    who = api.post(f"{base}/interactions", {"kind": "email", "initiated_by": "both"}, expect=422)
    assert who["error"]["field"] == "initiated_by"
    when = api.post(
        f"{base}/interactions",
        {"kind": "email", "initiated_by": "me", "occurred_at": "yesterday"},
        expect=422,
    )
    assert when["error"]["field"] == "occurred_at"
    missing = api.post(f"{base}/interactions/99/reply", {}, expect=404)
    assert missing["error"]["code"] == "not_found"
    assert api.get(f"{base}/interactions/99", expect=404)["error"]["code"] == "not_found"
    assert api.get("repairs/999/interactions", expect=404)["error"]["code"] == "not_found"
    assert api.get(f"{base}/patience", params={"at": "later"}, expect=422)["error"]["field"] == (
        "at"
    )


# --- drafts --------------------------------------------------------------------------------


def test_draft_versions_keep_the_coach_report(api: Api, base: str) -> None:
    draft = api.post(
        f"{base}/drafts", {"kind": "apology", "text": "I'm sorry if you felt let down."}
    )
    assert draft["kind"] == "apology"
    assert draft["title"], "a title is made from the text when none is given"
    assert draft["sent_at"] is None
    first = draft["versions"][0]
    assert first["number"] == 1
    assert "non_apology" in {f["code"] for f in first["coach_report"]["findings"]}

    second = api.post(f"{base}/drafts/{draft['id']}/versions", {"text": PROMISE})
    assert [v["number"] for v in second["versions"]] == [1, 2]
    codes = {f["code"] for f in second["versions"][1]["coach_report"]["findings"]}
    assert "non_apology" not in codes

    assert api.get(f"{base}/drafts/{draft['id']}") == second
    assert api.get(f"{base}/drafts")["total"] == 1
    report = api.get(f"{base}/drafts/{draft['id']}/versions/1/coach")
    assert report == first["coach_report"]
    assert api.get(f"{base}/drafts/{draft['id']}/versions/9/coach", expect=404)["error"][
        "code"
    ] == ("not_found")


def test_send_a_draft_and_accept_the_promise_it_makes(api: Api, base: str) -> None:
    draft = api.post(f"{base}/drafts", {"kind": "apology", "text": PROMISE})
    offered = api.get(f"{base}/drafts/{draft['id']}/proposed-commitments")
    assert len(offered) == 1
    assert offered[0]["recurrence"] == "weekly on friday"
    assert offered[0]["owner"] == "me"

    too_many = api.post(
        f"{base}/drafts/{draft['id']}/send", {"channel": "email", "accept": [0, 3]}, expect=422
    )
    assert too_many["error"]["field"] == "accept"
    assert api.get(f"{base}/drafts/{draft['id']}")["sent_at"] is None
    assert api.get(f"{base}/interactions")["total"] == 0, "nothing is half-saved"
    assert api.get(f"{base}/commitments")["total"] == 0

    sent = api.post(
        f"{base}/drafts/{draft['id']}/send", {"channel": "email", "accept": [0]}, expect=200
    )
    assert sent["draft"]["sent_at"].startswith("2026-03-02T09:00")
    assert sent["draft"]["sent_version"] == 1
    assert sent["proposals"] == offered

    commitments = api.get(f"{base}/commitments")["items"]
    assert len(commitments) == 1
    assert commitments[0]["source_draft_id"] == draft["id"]
    assert commitments[0]["recurrence"] == "FREQ=WEEKLY;BYDAY=FR"
    logged = api.get(f"{base}/interactions")["items"]
    assert [i["kind"] for i in logged] == ["email"]

    twice = api.post(f"{base}/drafts/{draft['id']}/send", {}, expect=409)
    assert twice["error"]["code"] == "conflict"
    edit = api.post(f"{base}/drafts/{draft['id']}/versions", {"text": "More"}, expect=409)
    assert edit["error"]["field"] == "draft"


def test_promises_can_be_tracked_after_sending(api: Api, base: str) -> None:
    draft = api.post(f"{base}/drafts", {"kind": "apology", "text": PROMISE})
    early = api.post(f"{base}/drafts/{draft['id']}/track", {"accept": [0]}, expect=409)
    assert early["error"]["field"] == "draft"
    api.post(f"{base}/drafts/{draft['id']}/send", {}, expect=200)
    assert api.get(f"{base}/commitments")["total"] == 0

    added = api.post(f"{base}/drafts/{draft['id']}/track", {"accept": [0]})
    assert [(c["description"], c["source_draft_id"]) for c in added] == [
        ("Send you a status update", draft["id"])
    ]
    assert added[0]["recurrence"] == "FREQ=WEEKLY;BYDAY=FR"
    again = api.post(f"{base}/drafts/{draft['id']}/track", {"accept": [0]})
    assert again == [], "a promise is tracked once"
    assert api.get(f"{base}/commitments")["total"] == 1
    wrong = api.post(f"{base}/drafts/{draft['id']}/track", {"accept": [5]}, expect=422)
    assert wrong["error"]["field"] == "accept"
    empty = api.post(f"{base}/drafts/{draft['id']}/track", {"accept": []}, expect=422)
    assert empty["error"]["field"] == "accept"


def test_draft_errors(api: Api, base: str) -> None:
    empty = api.post(f"{base}/drafts", {"kind": "apology", "text": ""}, expect=422)
    assert empty["error"]["field"] == "text"
    kind = api.post(f"{base}/drafts", {"kind": "poem", "text": "Hi"}, expect=422)
    assert kind["error"]["field"] == "kind"
    assert api.get(f"{base}/drafts/5", expect=404)["error"]["field"] == "draft"
    assert api.post(f"{base}/drafts/5/send", {}, expect=404)["error"]["code"] == "not_found"
    assert api.get(f"{base}/drafts")["total"] == 0


# --- commitments ---------------------------------------------------------------------------


def test_commitments_and_their_outcomes(api: Api, base: str) -> None:
    once = api.post(
        f"{base}/commitments",
        {"description": "Send the corrected report", "due_at": "2026-03-04T17:00:00Z"},
    )
    assert once["owner"] == "me" and once["active"] is True
    assert [o["status"] for o in once["occurrences"]] == ["pending"]

    kept = api.post(
        f"{base}/commitments/{once['id']}/outcomes",
        {"status": "kept", "note": "Sent a day early."},
        expect=200,
    )
    assert kept["status"] == "kept"
    assert kept["note"] == "Sent a day early."
    assert kept["recorded_at"].startswith("2026-03-02T09:00")
    assert api.get(f"{base}/commitments/{once['id']}")["occurrences"][0]["status"] == "kept"

    weekly = api.post(
        f"{base}/commitments",
        {
            "description": "Weekly status note",
            "due_at": "2026-03-02T17:00:00Z",
            "recurrence": "weekly",
        },
    )
    late = api.post(f"{base}/commitments/{weekly['id']}/outcomes", {"status": "late"}, expect=200)
    assert late["status"] == "late"
    assert late["due_at"].startswith("2026-03-02T17:00")
    history = api.get(f"{base}/commitments/{weekly['id']}")["occurrences"]
    assert [(o["due_at"][:10], o["status"]) for o in history][:1] == [("2026-03-02", "late")]
    nothing = api.post(
        f"{base}/commitments/{weekly['id']}/outcomes",
        {"status": "kept", "due_at": "2026-03-04T17:00:00Z"},
        expect=404,
    )
    assert nothing["error"]["field"] == "due_at"

    cancelled = api.post(f"{base}/commitments/{weekly['id']}/cancel", {}, expect=200)
    assert cancelled["active"] is False
    listed = api.get(f"{base}/commitments")
    assert listed["total"] == 2


def test_commitment_errors(api: Api, base: str) -> None:
    blank = api.post(f"{base}/commitments", {"description": ""}, expect=422)
    assert blank["error"]["field"] == "description"
    owner = api.post(f"{base}/commitments", {"description": "x", "owner": "boss"}, expect=422)
    assert owner["error"]["field"] == "owner"
    rule = api.post(
        f"{base}/commitments", {"description": "x", "recurrence": "whenever"}, expect=422
    )
    assert rule["error"]["field"] == "recurrence"
    status = api.post(f"{base}/commitments/1/outcomes", {"status": "maybe"}, expect=422)
    assert status["error"]["field"] == "status"
    gone = api.post(f"{base}/commitments/77/outcomes", {"status": "kept"}, expect=404)
    assert gone["error"]["code"] == "not_found"
    assert api.get(f"{base}/commitments")["total"] == 0


# --- check-ins --------------------------------------------------------------------------------


def test_check_ins_schedule_complete_and_cancel(api: Api, base: str) -> None:
    first = api.post(
        f"{base}/check-ins",
        {"scheduled_at": "2026-03-09T10:00:00Z", "cadence_days": 14, "note": "Coffee"},
    )
    assert first["cadence_days"] == 14 and first["completed_at"] is None
    done = api.post(
        f"{base}/check-ins/{first['id']}/complete",
        {"outcome": "Went well; they raised the next deadline themselves."},
        expect=200,
    )
    assert done["check_in"]["completed_at"].startswith("2026-03-02T09:00")
    successor = done["next_check_in"]
    assert successor is not None and successor["scheduled_at"] > first["scheduled_at"]
    assert api.get(f"{base}/check-ins/{successor['id']}") == successor

    again = api.post(f"{base}/check-ins/{first['id']}/complete", {"outcome": "again"}, expect=409)
    assert again["error"]["code"] == "conflict"

    cancelled = api.post(f"{base}/check-ins/{successor['id']}/cancel", {}, expect=200)
    assert cancelled["cancelled"] is True
    assert api.get(f"{base}/check-ins")["total"] == 2


def test_check_in_errors(api: Api, base: str) -> None:
    when = api.post(f"{base}/check-ins", {}, expect=422)
    assert when["error"]["field"] == "scheduled_at"
    cadence = api.post(
        f"{base}/check-ins", {"scheduled_at": "2026-03-09T10:00:00Z", "cadence_days": 0}, expect=422
    )
    assert cadence["error"]["field"] == "cadence_days"
    gone = api.post(f"{base}/check-ins/5/complete", {"outcome": "x"}, expect=404)
    assert gone["error"]["code"] == "not_found"
    assert api.get(f"{base}/check-ins")["total"] == 0


# --- common ground, initiatives, agreement -----------------------------------------------


def test_common_ground_and_initiatives(api: Api, base: str) -> None:
    goal = api.post(f"{base}/common-ground", {"text": "Ship the Q2 launch on time"})
    assert goal["kind"] == "goal"
    interest = api.post(f"{base}/common-ground", {"text": "Fewer surprises", "kind": "interest"})
    initiative = api.post(
        f"{base}/initiatives",
        {"title": "Shared release checklist", "my_contribution": "Draft it"},
    )
    assert initiative["status"] == "proposed"
    active = api.patch(
        f"{base}/initiatives/{initiative['id']}",
        {"status": "active", "their_contribution": "Review it"},
    )
    assert active["status"] == "active"
    assert active["their_contribution"] == "Review it"
    assert active["my_contribution"] == "Draft it"

    listed = api.get(f"{base}/common-ground")
    assert [g["id"] for g in listed["common_ground"]] == [goal["id"], interest["id"]]
    assert listed["initiatives"] == [active]

    bad = api.patch(f"{base}/initiatives/{initiative['id']}", {"status": "won"}, expect=422)
    assert bad["error"]["field"] == "status"
    assert api.patch(f"{base}/initiatives/42", {}, expect=404)["error"]["code"] == "not_found"
    kind = api.post(f"{base}/common-ground", {"text": "x", "kind": "dream"}, expect=422)
    assert kind["error"]["field"] == "kind"


def test_agreement_versions(api: Api, base: str) -> None:
    assert api.get(f"{base}/agreement") == {"current": None, "versions": []}
    first = api.post(
        f"{base}/agreement",
        {
            "channel": "Slack for quick things, a call for anything tense",
            "tasks": [{"task": "Weekly report", "owner": "me"}],
            "review_on": "2026-04-01",
        },
    )
    assert first["version"] == 1
    assert first["tasks"] == [{"task": "Weekly report", "owner": "me"}]
    second = api.post(f"{base}/agreement", {"response_time": "Same working day"})
    assert second["version"] == 2
    assert second["channel"] == first["channel"], "unchanged parts carry over"
    assert second["response_time"] == "Same working day"

    history = api.get(f"{base}/agreement")
    assert history["current"] == second
    assert [v["version"] for v in history["versions"]] == [1, 2]

    bad = api.post(f"{base}/agreement", {"review_on": "someday"}, expect=422)
    assert bad["error"]["field"] == "review_on"
    owner = api.post(f"{base}/agreement", {"tasks": [{"task": "x", "owner": "nobody"}]}, expect=422)
    assert owner["error"]["field"] == "tasks.0.owner"
    assert len(api.get(f"{base}/agreement")["versions"]) == 2


def test_the_owner_comments_on_and_signs_the_agreement(api: Api, base: str) -> None:
    missing = api.get(f"{base}/agreement/signing", expect=404)
    assert missing["error"]["field"] == "agreement"
    api.post(f"{base}/agreement", {"channel": "A call every Monday at 10"})

    commented = api.post(
        f"{base}/agreement/comments", {"text": "Happy to move it if Mondays are bad for you."}
    )
    assert commented["version"] == 1 and not commented["owner_signed"]
    [note] = commented["comments"]
    assert note["by"] == "owner" and note["author"] == "The owner"
    assert note["text"] == "Happy to move it if Mondays are bad for you."

    signed = api.post(f"{base}/agreement/sign", {"version": 1, "name": "Alex"}, expect=200)
    assert signed["owner_signed"] and not signed["they_signed"] and not signed["locked"]
    assert [(s["by"], s["name"]) for s in signed["signatures"]] == [("owner", "Alex")]
    again = api.post(f"{base}/agreement/sign", {}, expect=200)
    assert len(again["signatures"]) == 1, "signing twice changes nothing"

    api.post(f"{base}/agreement", {"channel": "A call every Tuesday at 10"})
    stale = api.post(f"{base}/agreement/sign", {"version": 1}, expect=409)
    assert stale["error"]["field"] == "version" and "not the current" in stale["error"]["message"]
    now = api.get(f"{base}/agreement/signing")
    assert now["version"] == 2 and now["signatures"] == [], "a new version is signed again"
    assert len(now["comments"]) == 1, "comments on every version stay visible"

    empty = api.post(f"{base}/agreement/comments", {"text": ""}, expect=422)
    assert empty["error"]["field"] == "text"
    extra = api.post(f"{base}/agreement/sign", {"version": 2, "by": "them"}, expect=422)
    assert extra["error"]["field"] == "by"


def test_sending_too_soon_after_a_heated_talk_needs_force(api: Api, base: str) -> None:
    api.post(
        f"{base}/interactions",
        {
            "kind": "call",
            "initiated_by": "them",
            "occurred_at": "2026-03-01T18:00:00Z",
            "tension": "heated",
        },
    )
    draft = api.post(f"{base}/drafts", {"kind": "outreach", "text": "Can we talk this week?"})
    refused = api.post(f"{base}/drafts/{draft['id']}/send", {"channel": "email"}, expect=409)
    assert refused["error"]["code"] == "patience"
    assert api.get(f"{base}/drafts/{draft['id']}")["sent_at"] is None
    assert api.get(f"{base}/interactions")["total"] == 1

    sent = api.post(
        f"{base}/drafts/{draft['id']}/send", {"channel": "email", "force": True}, expect=200
    )
    assert sent["draft"]["sent_at"] is not None
    outreach = [i for i in api.get(f"{base}/interactions")["items"] if i["kind"] == "email"]
    assert len(outreach) == 1 and outreach[0]["forced"] is True
