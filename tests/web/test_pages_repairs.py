"""The people page, opening a repair, and the repair page: ten steps, status, patience, timeline.

Every test goes through HTTP the way a browser without JavaScript would: it reads the
page, posts its forms with the CSRF token and follows the redirects.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Api, csrf_token
from tests.web.pagetools import Element, Html

from mend.domain.enums import Step
from mend.domain.guides import GUIDES


@pytest.fixture
def rid(repair: dict[str, Any]) -> int:
    return int(repair["id"])


def _post(client: TestClient, url: str, data: dict[str, str] | None = None) -> Any:
    fields = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=fields, follow_redirects=False)


def _page(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    return Html(response.text)


def _labelled(form: Element, name: str) -> Element:
    """The control called ``name`` in ``form``, checked to have a label pointing at it."""
    control = form.one(name=name)
    assert form.all("label", for_=control["id"]), f"{name} has a <label for>"
    return control


def _error_beside(page: Element, form_id: str, name: str) -> str:
    """The message shown for field ``name``: referenced by the field, announced as an alert."""
    form = page.one(f"form#{form_id}") if form_id else page
    control = form.one(name=name)
    assert control.get("aria-invalid") == "true"
    [error_id] = [i for i in control["aria-describedby"].split() if i.endswith("-error")]
    error = page.one(id=error_id)
    assert error["role"] == "alert"
    return error.text


def _step(page: Element, step: str) -> Element:
    return page.one("ol#steps").one("li", id=f"step-{step}")


# --- people ---------------------------------------------------------------------------


def test_people_page_adds_someone_and_lists_them(client: TestClient, api: Api) -> None:
    page = _page(client, "/people")
    assert len(page.all("h1")) == 1
    form = page.one("form#person-form")
    for name in ("name", "role", "organisation", "notes"):
        _labelled(form, name)
    assert form.one("input", name="csrf_token")["value"] == csrf_token(client)

    made = _post(
        client,
        "/people",
        {"name": "Priya Natarajan", "role": "client", "organisation": "Northwind", "notes": ""},
    )
    assert made.status_code == 303
    assert made.headers["location"] == "/people"
    [stored] = api.get("people")["items"]
    assert (stored["name"], stored["role"], stored["organisation"]) == (
        "Priya Natarajan",
        "client",
        "Northwind",
    )
    card = _page(client, "/people").one("li", data_person_id=str(stored["id"]))
    assert "Priya Natarajan" in card.text and "Client" in card.text
    links = [a["href"] for a in card.all("a")]
    assert links == [f"/people/{stored['id']}", f"/repairs/new?person_id={stored['id']}"]


def test_a_persons_page_lists_their_repairs_and_edits_their_details(
    client: TestClient, api: Api, person: dict[str, Any], repair: dict[str, Any]
) -> None:
    pid = person["id"]
    page = _page(client, f"/people/{pid}")
    assert page.one("h1").text.startswith("Dana Reyes")
    [link] = page.one("ul", id="person-repairs").all("a")
    assert (link["href"], link.text) == (f"/repairs/{repair['id']}", "Missed the report deadline")
    form = page.one("form#person-edit-form")
    for name in ("name", "role", "organisation", "notes"):
        _labelled(form, name)
    assert form.one("input", name="name")["value"] == "Dana Reyes"

    fields = {"name": "Dana Reyes-Ortiz", "role": "client", "organisation": "", "notes": "Calls"}
    saved = _post(client, f"/people/{pid}", fields)
    assert (saved.status_code, saved.headers["location"]) == (303, f"/people/{pid}")
    stored = api.get(f"people/{pid}")
    assert (stored["name"], stored["role"], stored["organisation"], stored["notes"]) == (
        "Dana Reyes-Ortiz",
        "client",
        "",
        "Calls",
    )

    refused = _post(client, f"/people/{pid}", {**fields, "name": " "})
    assert refused.status_code == 422
    assert "cannot be empty" in _error_beside(Html(refused.text), "person-edit-form", "name")
    assert api.get(f"people/{pid}")["name"] == "Dana Reyes-Ortiz", "nothing saved"
    assert client.get("/people/999999").status_code == 404


def test_a_repairs_details_can_be_corrected(
    client: TestClient, api: Api, repair: dict[str, Any]
) -> None:
    rid = repair["id"]
    assert _page(client, f"/repairs/{rid}").all("a", href=f"/repairs/{rid}/edit")
    form = _page(client, f"/repairs/{rid}/edit").one("form#repair-edit-form")
    for name in ("title", "what_happened", "my_part", "impact", "severity", "occurred_on"):
        _labelled(form, name)
    assert form.one("option", value="3").get("selected") is not None

    fields = {
        "title": "Late quarterly report",
        "what_happened": "I delivered the quarterly report two days late without warning.",
        "my_part": "I saw it slipping and kept quiet.",
        "impact": "",
        "severity": "5",
        "occurred_on": "2026-02-20",
    }
    saved = _post(client, f"/repairs/{rid}/edit", fields)
    assert (saved.status_code, saved.headers["location"]) == (303, f"/repairs/{rid}")
    stored = api.get(f"repairs/{rid}")["repair"]
    assert (stored["title"], stored["severity"], stored["my_part"], stored["occurred_on"]) == (
        "Late quarterly report",
        5,
        "I saw it slipping and kept quiet.",
        "2026-02-20",
    )

    future = _post(client, f"/repairs/{rid}/edit", {**fields, "occurred_on": "2027-01-01"})
    assert future.status_code == 422
    assert "future" in _error_beside(Html(future.text), "repair-edit-form", "occurred_on")
    too_serious = _post(client, f"/repairs/{rid}/edit", {**fields, "severity": "9", "title": "X"})
    assert too_serious.status_code == 422
    assert api.get(f"repairs/{rid}")["repair"]["title"] == "Late quarterly report"


def test_a_person_without_a_name_is_refused_beside_the_field(client: TestClient, api: Api) -> None:
    response = _post(client, "/people", {"name": "  ", "role": "manager", "notes": "Kind words"})
    assert response.status_code == 422
    page = Html(response.text)
    assert "cannot be empty" in _error_beside(page, "person-form", "name")
    form = page.one("form#person-form")
    assert form.one("textarea", name="notes").text == "Kind words", "what was typed is kept"
    assert form.one("option", value="manager").get("selected") is not None
    assert api.get("people")["total"] == 0, "nothing saved"

    bad_role = _post(client, "/people", {"name": "Sam", "role": "boss"})
    assert bad_role.status_code == 422
    assert "must be one of" in _error_beside(Html(bad_role.text), "person-form", "role")


# --- opening a repair -------------------------------------------------------------------


REPAIR = {
    "title": "Missed the client report deadline",
    "what_happened": "I delivered the report two days late without warning.",
    "my_part": "I knew it would slip and said nothing.",
    "impact": "She had to explain the delay to the client.",
    "severity": "4",
    "occurred_on": "2026-02-27",
}


def test_open_a_repair_with_someone_new(client: TestClient, api: Api) -> None:
    form = _page(client, "/repairs/new").one("form#repair-form")
    for name in ("new_person_name", "new_person_role", *REPAIR):
        _labelled(form, name)
    assert not form.all(name="person_id"), "no list to choose from before anyone is added"

    made = _post(
        client,
        "/repairs",
        {**REPAIR, "new_person_name": "Dana Whitfield", "new_person_role": "colleague"},
    )
    assert made.status_code == 303
    rid = int(made.headers["location"].rsplit("/", 1)[1])
    detail = api.get(f"repairs/{rid}")
    assert detail["person"]["name"] == "Dana Whitfield"
    assert detail["repair"]["severity"] == 4
    assert detail["repair"]["occurred_on"] == "2026-02-27"
    assert detail["repair"]["status"] == "in_progress", "the written acknowledgement is progress"

    page = _page(client, made.headers["location"])
    assert page.one("h1").text.startswith("Missed the client report deadline")
    assert _step(page, "acknowledge")["data-state"] == "done"


def test_open_a_repair_with_someone_already_known(
    client: TestClient, api: Api, person: dict[str, Any]
) -> None:
    page = _page(client, f"/repairs/new?person_id={person['id']}")
    chosen = _labelled(page.one("form#repair-form"), "person_id")
    assert chosen.one("option", value=str(person["id"])).get("selected") is not None

    made = _post(client, "/repairs", {**REPAIR, "person_id": str(person["id"])})
    assert made.status_code == 303
    [row] = api.get("repairs")["items"]
    assert row["person"] == person["name"]
    assert api.get("people")["total"] == 1, "no one new"


def test_a_refused_repair_saves_nothing_not_even_the_new_person(
    client: TestClient, api: Api
) -> None:
    blank_title = _post(
        client,
        "/repairs",
        {
            **REPAIR,
            "title": "",
            "new_person_name": "Dana Whitfield",
            "new_person_role": "colleague",
        },
    )
    assert blank_title.status_code == 422
    page = Html(blank_title.text)
    assert "Title cannot be empty" in _error_beside(page, "repair-form", "title")
    form = page.one("form#repair-form")
    assert form.one("input", name="new_person_name")["value"] == "Dana Whitfield"
    assert form.one("textarea", name="my_part").text == REPAIR["my_part"]
    assert api.get("people")["total"] == 0
    assert api.get("repairs", params={"include_closed": True})["total"] == 0

    future = _post(
        client, "/repairs", {**REPAIR, "occurred_on": "2026-03-09", "new_person_name": "Dana"}
    )
    assert future.status_code == 422
    assert "in the future" in _error_beside(Html(future.text), "repair-form", "occurred_on")

    for severity in ("9", "high"):
        wrong = _post(
            client, "/repairs", {**REPAIR, "severity": severity, "new_person_name": "Dana"}
        )
        assert wrong.status_code == 422
        assert "Severity" in _error_beside(Html(wrong.text), "repair-form", "severity")

    nobody = _post(client, "/repairs", REPAIR)
    assert nobody.status_code == 422
    assert "Say who" in _error_beside(Html(nobody.text), "repair-form", "new_person_name")
    assert api.get("people")["total"] == 0
    assert api.get("repairs", params={"include_closed": True})["total"] == 0


def test_choosing_a_person_who_is_gone_is_refused(
    client: TestClient, api: Api, person: dict[str, Any]
) -> None:
    response = _post(client, "/repairs", {**REPAIR, "person_id": "9999"})
    assert response.status_code == 422
    assert "9999" in _error_beside(Html(response.text), "repair-form", "person_id")
    assert api.get("repairs")["total"] == 0


# --- the repair page ----------------------------------------------------------------------


def test_the_repair_page_shows_the_ten_steps_as_a_guided_path(client: TestClient, rid: int) -> None:
    page = _page(client, f"/repairs/{rid}")
    assert len(page.all("h1")) == 1
    steps = page.one("ol#steps").all("li", class_="step")
    assert [li["id"] for li in steps] == [f"step-{s.value}" for s in Step]
    for li, step in zip(steps, Step, strict=True):
        guide = GUIDES[step]
        assert li["data-state"] == "pending"
        assert guide.title in li.text and guide.purpose in li.text and guide.guidance in li.text
        form = li.one("form", class_="step-form")
        assert form["action"] == f"/repairs/{rid}/steps/{step.value}"
        assert form["method"] == "post"
        for question in guide.questions:
            field = _labelled(form, question.key)
            assert field.tag == "textarea"
            assert question.prompt in form.one("label", for_=field["id"]).text
        assert li.one("form", class_="skip-form").one("textarea", name="reason")

    # The first step is next, and the page says why; only what is missing is asked for.
    first = _step(page, "acknowledge")
    assert first["data-next"] == "true" and "Next" in first.one("h3").text
    why = page.one("section#next-step").text
    assert "step 1 of 10" in why and "Write down your part and its impact" in why
    assert first.one("textarea", name="what_happened").text.startswith("I delivered the quarterly")
    assert page.one("section#timeline") and page.one("section#patience")
    assert "You can reach out now" in page.one("section#patience").text


def test_answering_a_step_completes_it_and_moves_next(
    client: TestClient, api: Api, rid: int
) -> None:
    done = _post(
        client,
        f"/repairs/{rid}/steps/acknowledge",
        {
            "my_part": "I said nothing when I knew it would slip.",
            "impact": "She looked unprepared.",
        },
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/repairs/{rid}#step-acknowledge"

    page = _page(client, f"/repairs/{rid}")
    first = _step(page, "acknowledge")
    assert first["data-state"] == "done"
    assert "Done on" in first.text
    assert first.one("textarea", name="my_part").text == "I said nothing when I knew it would slip."
    assert _step(page, "open_conversation")["data-next"] == "true"
    assert "step 2 of 10" in page.one("section#next-step").text
    assert api.get(f"repairs/{rid}")["repair"]["status"] == "in_progress"
    assert "Step 1 done" in page.one("section#timeline").text

    # Answers to a later step are kept with it and shown again.
    empathy = _post(client, f"/repairs/{rid}/steps/empathize", {"how_it_felt": "Let down."})
    assert empathy.status_code == 303
    step = _step(_page(client, f"/repairs/{rid}"), "empathize")
    assert step["data-state"] == "done"
    assert step.one("textarea", name="how_it_felt").text == "Let down."


def test_skipping_needs_a_reason_and_can_be_undone(client: TestClient, api: Api, rid: int) -> None:
    refused = _post(client, f"/repairs/{rid}/steps/find_common_ground/skip", {"reason": " "})
    assert refused.status_code == 422
    page = Html(refused.text)
    step = _step(page, "find_common_ground")
    assert "Say why" in _error_beside(step, "", "reason")
    assert step.one("details", class_="more").get("open") is not None, "the error is not hidden"
    assert _step(page, "find_common_ground")["data-state"] == "pending"

    skipped = _post(
        client,
        f"/repairs/{rid}/steps/find_common_ground/skip",
        {"reason": "We share goals already."},
    )
    assert skipped.status_code == 303
    assert skipped.headers["location"] == f"/repairs/{rid}#step-find_common_ground"
    step = _step(_page(client, f"/repairs/{rid}"), "find_common_ground")
    assert step["data-state"] == "skipped"
    assert "We share goals already." in step.text

    reopened = _post(client, f"/repairs/{rid}/steps/find_common_ground/reopen")
    assert reopened.status_code == 303
    assert _step(_page(client, f"/repairs/{rid}"), "find_common_ground")["data-state"] == "pending"


def test_marking_a_step_done_by_hand_needs_confirmation(client: TestClient, rid: int) -> None:
    refused = _post(client, f"/repairs/{rid}/steps/listen/done")
    assert refused.status_code == 409
    step = _step(Html(refused.text), "listen")
    assert "not done yet" in step.one("form", class_="done-form").one("p", role="alert").text
    assert step["data-state"] == "pending"

    forced = _post(client, f"/repairs/{rid}/steps/listen/done", {"force": "1"})
    assert forced.status_code == 303
    assert _step(_page(client, f"/repairs/{rid}"), "listen")["data-state"] == "done"


def test_unknown_repairs_and_steps_are_not_found(client: TestClient, rid: int) -> None:
    for url in ("/repairs/9999", "/repairs/abc", f"/repairs/{rid}/nothing-here"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Not found" in Html(response.text).one("h1").text
    assert _post(client, f"/repairs/{rid}/steps/forgive/skip", {"reason": "x"}).status_code == 404
    assert _post(client, "/repairs/9999/steps/listen", {"learned": "x"}).status_code == 404
    assert (
        _post(client, "/repairs/9999/status", {"status": "monitoring", "reason": "x"}).status_code
        == 404
    )


def test_forms_without_the_csrf_token_are_refused(client: TestClient, api: Api, rid: int) -> None:
    client.get(f"/repairs/{rid}")
    response = client.post(
        f"/repairs/{rid}/interactions",
        data={"kind": "message", "started_by": "me", "summary": "Hello"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.post("/people", data={"name": "Eve", "role": "other"}).status_code == 403
    assert api.get(f"repairs/{rid}/interactions")["total"] == 0
    assert api.get("people")["total"] == 1


# --- status -------------------------------------------------------------------------------


def test_status_moves_with_a_reason(client: TestClient, api: Api, rid: int) -> None:
    form = _page(client, f"/repairs/{rid}").one("form#status-form")
    options = [o["value"] for o in _labelled(form, "status").all("option")]
    assert options == ["in_progress", "closed_unresolved"], "only the moves allowed from open"
    _labelled(form, "reason")

    no_reason = _post(client, f"/repairs/{rid}/status", {"status": "in_progress", "reason": ""})
    assert no_reason.status_code == 422
    assert "Reason cannot be empty" in _error_beside(Html(no_reason.text), "status-form", "reason")
    assert api.get(f"repairs/{rid}")["repair"]["status"] == "open"

    not_allowed = _post(
        client, f"/repairs/{rid}/status", {"status": "restored", "reason": "Fine now"}
    )
    assert not_allowed.status_code == 409
    assert "cannot become restored" in _error_beside(
        Html(not_allowed.text), "status-form", "status"
    )

    for status in ("in_progress", "monitoring", "restored"):
        moved = _post(
            client, f"/repairs/{rid}/status", {"status": status, "reason": f"To {status}."}
        )
        assert moved.status_code == 303, moved.text[:500]
    page = _page(client, f"/repairs/{rid}")
    assert page.one("span", class_="status-badge").text == "Restored"
    assert "Status: monitoring → restored" in page.one("section#timeline").text
    assert "To restored." in page.one("section#timeline").text
    assert not page.all("form#interaction-form"), "a restored repair takes no new contact"
    assert "change its status back" in page.one("section#log").text


def test_closing_unresolved_records_why(client: TestClient, api: Api, rid: int) -> None:
    closed = _post(
        client,
        f"/repairs/{rid}/status",
        {"status": "closed_unresolved", "reason": "They left the team."},
    )
    assert closed.status_code == 303
    changes = api.get(f"repairs/{rid}")["repair"]
    assert changes["status"] == "closed_unresolved"
    assert "They left the team." in _page(client, f"/repairs/{rid}").one("section#timeline").text


# --- interactions and patience -----------------------------------------------------------

MESSAGE = {
    "kind": "message",
    "started_by": "me",
    "occurred_at": "2026-03-02T08:30",
    "summary": "Asked for half an hour to talk about the report.",
    "tension": "calm",
    "replied": "",
}


def test_interaction_form_logs_to_the_timeline(client: TestClient, api: Api, rid: int) -> None:
    form = _page(client, f"/repairs/{rid}").one("form#interaction-form")
    for name in (
        "kind",
        "started_by",
        "occurred_at",
        "summary",
        "their_view",
        "my_interpretation",
        "tension",
        "replied",
    ):
        _labelled(form, name)
    assert form.one("input", name="occurred_at")["type"] == "datetime-local"
    assert not form.all(name="force"), "no confirmation is asked before a warning"

    logged = _post(client, f"/repairs/{rid}/interactions", MESSAGE)
    assert logged.status_code == 303
    assert logged.headers["location"] == f"/repairs/{rid}#timeline"
    [stored] = api.get(f"repairs/{rid}/interactions")["items"]
    assert stored["kind"] == "message" and stored["initiated_by"] == "me"
    assert stored["occurred_at"].startswith("2026-03-02T08:30")
    assert stored["replied"] is None

    page = _page(client, f"/repairs/{rid}")
    assert "Asked for half an hour" in page.one("section#timeline").text
    assert _step(page, "open_conversation")["data-state"] == "done"
    patience = page.one("section#patience").text
    assert "no reply yet" in patience and "Next outreach allowed" in patience

    # They answer; the outreach is marked replied from the timeline.
    reply_form = page.one("section#timeline").one("form")
    replied = _post(client, reply_form["action"], {"replied": "yes"})
    assert replied.status_code == 303
    assert api.get(f"repairs/{rid}/interactions")["items"][0]["replied"] is True
    assert "You can reach out now" in _page(client, f"/repairs/{rid}").one("section#patience").text


def test_their_perspective_completes_listening(client: TestClient, api: Api, rid: int) -> None:
    logged = _post(
        client,
        f"/repairs/{rid}/interactions",
        {
            **MESSAGE,
            "kind": "meeting",
            "started_by": "them",
            "their_view": "It made me look careless in front of the client.",
            "my_interpretation": "Still upset, but willing to talk.",
            "tension": "tense",
        },
    )
    assert logged.status_code == 303
    page = _page(client, f"/repairs/{rid}")
    assert _step(page, "listen")["data-state"] == "done"
    timeline = page.one("section#timeline").text
    assert "They got in touch (meeting)" in timeline
    assert "Their view: It made me look careless" in timeline
    assert "The mood was tense." in timeline
    [stored] = api.get(f"repairs/{rid}/interactions")["items"]
    assert stored["their_perspective"] == "It made me look careless in front of the client."
    assert stored["tension"] == "tense"


def test_an_outreach_too_soon_is_held_back_until_confirmed(
    client: TestClient, api: Api, rid: int
) -> None:
    assert _post(client, f"/repairs/{rid}/interactions", MESSAGE).status_code == 303
    chase = {**MESSAGE, "occurred_at": "2026-03-02T08:55", "summary": "Chasing my earlier message."}

    held = _post(client, f"/repairs/{rid}/interactions", chase)
    assert held.status_code == 409
    page = Html(held.text)
    warning = page.one(id="patience-warning")
    assert warning["role"] == "alert"
    assert "no reply yet" in warning.text and "5 March" in warning.text
    assert "CLI" not in warning.text
    confirm = warning.one("input", name="force")
    assert confirm["type"] == "checkbox"
    assert page.all("label", for_=confirm["id"])
    form = page.one("form#interaction-form")
    assert form.one("textarea", name="summary").text == "Chasing my earlier message."
    assert len(api.get(f"repairs/{rid}/interactions")["items"]) == 1, "nothing saved"

    forced = _post(client, f"/repairs/{rid}/interactions", {**chase, "force": "1"})
    assert forced.status_code == 303
    items = api.get(f"repairs/{rid}/interactions")["items"]
    assert len(items) == 2
    assert [i["forced"] for i in items] == [False, True]
    assert (
        "despite a patience warning"
        in _page(client, f"/repairs/{rid}").one("section#timeline").text
    )


def test_a_heated_conversation_shows_a_cool_off(client: TestClient, rid: int) -> None:
    heated = {**MESSAGE, "kind": "call", "started_by": "them", "tension": "heated"}
    assert _post(client, f"/repairs/{rid}/interactions", heated).status_code == 303
    patience = _page(client, f"/repairs/{rid}").one("section#patience")
    assert "wait" in patience["class"]
    assert "heated conversation" in patience.text
    assert "7 March" in patience.text
    assert patience.one("time")["datetime"].startswith("2026-03-07T08:30")
    blocked = _page(client, f"/repairs/{rid}").one("section#next-step").text
    assert "step 1 of 10" in blocked


def test_interaction_errors_show_beside_the_field(client: TestClient, api: Api, rid: int) -> None:
    future = _post(
        client, f"/repairs/{rid}/interactions", {**MESSAGE, "occurred_at": "2026-03-04T10:00"}
    )
    assert future.status_code == 422
    assert "in the future" in _error_beside(Html(future.text), "interaction-form", "occurred_at")

    unreadable = _post(
        client, f"/repairs/{rid}/interactions", {**MESSAGE, "occurred_at": "soonish"}
    )
    assert unreadable.status_code == 422
    assert "Cannot read" in _error_beside(Html(unreadable.text), "interaction-form", "occurred_at")

    both = _post(client, f"/repairs/{rid}/interactions", {**MESSAGE, "started_by": "both"})
    assert both.status_code == 422
    assert "me or them" in _error_beside(Html(both.text), "interaction-form", "started_by")

    kind = _post(client, f"/repairs/{rid}/interactions", {**MESSAGE, "kind": "fax"})
    assert kind.status_code == 422
    assert "must be one of" in _error_beside(Html(kind.text), "interaction-form", "kind")
    assert api.get(f"repairs/{rid}/interactions")["total"] == 0
