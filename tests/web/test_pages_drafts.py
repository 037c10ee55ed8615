"""The draft composer: the live coach's partial, saving versions, sending, tracking promises."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Api, csrf_token
from tests.web.pagetools import Element, Html

NON_APOLOGY = "I'm sorry if you felt left out, but I was just busy with the launch."
APOLOGY = (
    "I'm sorry that I missed the Friday deadline without warning you; that was my mistake. "
    "I will send you a written status update every Friday."
)


@pytest.fixture
def rid(repair: dict[str, Any]) -> int:
    return int(repair["id"])


def _post(client: TestClient, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    fields = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=fields, follow_redirects=False, **kw)


def _page(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    return Html(response.text)


def _coach(client: TestClient, rid: int, text: str, kind: str = "apology") -> Element:
    response = _post(
        client,
        f"/repairs/{rid}/coach",
        {"text": text, "kind": kind},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text[:300]
    assert "<html" not in response.text and "<main" not in response.text, "a partial, not a page"
    return Html(response.text)


def _raw(el: Element | str) -> str:
    """The text of ``el`` exactly as written, spaces and all."""
    return el if isinstance(el, str) else "".join(_raw(c) for c in el.children)


def _marks(part: Element, code: str) -> list[Element]:
    return part.all("mark", data_code=code)


def _save(client: TestClient, rid: int, text: str, kind: str = "apology") -> int:
    made = _post(client, f"/repairs/{rid}/drafts", {"kind": kind, "title": "", "text": text})
    assert made.status_code == 303, made.text[:500]
    prefix = f"/repairs/{rid}/drafts/"
    assert made.headers["location"].startswith(prefix)
    return int(made.headers["location"][len(prefix) :])


# --- composer and live coach -------------------------------------------------------------


def test_the_composer_wires_the_live_coach(client: TestClient, rid: int) -> None:
    page = _page(client, f"/repairs/{rid}/drafts/new?kind=empathy")
    assert len(page.all("h1")) == 1
    form = page.one("form#draft-form")
    assert form["action"] == f"/repairs/{rid}/drafts"
    kind = form.one("select", name="kind")
    assert form.all("label", for_=kind["id"])
    assert kind.one("option", value="empathy").get("selected") is not None
    text = form.one("textarea#draft-text")
    assert text["name"] == "text"
    assert form.all("label", for_="draft-text")
    assert text["hx-post"] == f"/repairs/{rid}/coach"
    assert text["hx-trigger"] == "input changed delay:400ms"
    assert text["hx-target"] == "#coach"
    assert kind["hx-post"] == f"/repairs/{rid}/coach", "changing the kind asks the coach again"
    coach = page.one("section#coach")
    assert not coach.all("mark") and "Start writing" in coach.text
    assert "Show empathy" in page.text, "the guidance of the matching step is at hand"


def test_the_coach_marks_the_exact_words_of_a_non_apology(client: TestClient, rid: int) -> None:
    part = _coach(client, rid, NON_APOLOGY)
    [mark] = _marks(part, "non_apology")
    assert mark.text == "sorry if you felt"
    assert set(mark["class"].split()) == {"finding", "sev-problem"}
    finding = part.one("li", data_code="non_apology")
    assert "no apology" in finding.text
    assert "Try instead:" in finding.one("p", class_="suggestion").text

    # Each problem keeps marks over exactly its own words ("I was just busy ...").
    other = part.one("li", data_code="defensive").all("q")[0].text
    assert other in NON_APOLOGY and other != "sorry if you felt"
    assert "".join(_raw(m) for m in _marks(part, "defensive")) == other

    meters = part.all("meter")
    assert meters, "scores are shown as bars"
    for meter in meters:
        assert meter["min"] == "0" and meter["max"] == "100"
        assert 0 <= float(meter["value"]) <= 100
        assert part.all("label", for_=meter["id"]), "each bar is labelled"
    assert part.one(id="coach-status")["hx-swap-oob"] == "innerHTML"
    assert (
        "1 problem" in part.one(id="coach-status").text
        or "2 problems" in part.one(id="coach-status").text
    )

    # A real apology loses the mark.
    assert not _marks(_coach(client, rid, APOLOGY), "non_apology")


def test_the_coach_escapes_what_it_is_given(client: TestClient, rid: int) -> None:
    response = _post(
        client,
        f"/repairs/{rid}/coach",
        {"text": "<script>alert(1)</script> sorry if you felt bad", "kind": "apology"},
    )
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_the_coach_waits_for_text_and_refuses_strangers(client: TestClient, rid: int) -> None:
    assert "Start writing" in _coach(client, rid, "   ").text
    assert "too long" in _coach(client, rid, "a" * 50_001).text.replace("longer", "too long")
    assert _post(client, "/repairs/9999/coach", {"text": "Hello"}).status_code == 404
    refused = client.post(f"/repairs/{rid}/coach", data={"text": "Hello"})
    assert refused.status_code == 403, "the CSRF token is required here too"


# --- saving and revising ---------------------------------------------------------------------


def test_save_a_draft_then_a_new_version(client: TestClient, api: Api, rid: int) -> None:
    did = _save(client, rid, NON_APOLOGY)
    page = _page(client, f"/repairs/{rid}/drafts/{did}")
    assert page.one("h1").text.startswith("I'm sorry if you felt left out")
    coach = page.one("section#coach")
    assert [m.text for m in _marks(coach, "non_apology")] == ["sorry if you felt"]
    revise = page.one("form#version-form")
    assert revise.one("textarea#draft-text").text == NON_APOLOGY
    assert revise.one("textarea#draft-text")["hx-target"] == "#coach"
    assert page.one("form#send-form").one("select", name="channel")

    again = _post(
        client, f"/repairs/{rid}/drafts/{did}/versions", {"text": APOLOGY, "kind": "apology"}
    )
    assert again.status_code == 303
    assert again.headers["location"] == f"/repairs/{rid}/drafts/{did}"
    stored = api.get(f"repairs/{rid}/drafts/{did}")
    assert [v["number"] for v in stored["versions"]] == [1, 2]
    page = _page(client, f"/repairs/{rid}/drafts/{did}")
    assert not _marks(page.one("section#coach"), "non_apology"), (
        "the coach reads the newest version"
    )
    assert "version 2 of 2" in page.text
    assert len(page.one("ol", class_="versions").all("li")) == 2

    listed = _page(client, f"/repairs/{rid}").one("section#drafts")
    assert listed.one("a", href=f"/repairs/{rid}/drafts/{did}")
    assert "2 versions" in listed.text and "not sent" in listed.text


def test_an_empty_draft_is_refused_and_nothing_saved(
    client: TestClient, api: Api, rid: int
) -> None:
    response = _post(
        client, f"/repairs/{rid}/drafts", {"kind": "outreach", "title": "Hi", "text": "  "}
    )
    assert response.status_code == 422
    page = Html(response.text)
    text = page.one("form#draft-form").one("textarea#draft-text")
    assert text["aria-invalid"] == "true"
    assert "cannot be empty" in page.one(id="draft-text-error").text
    assert (
        page.one("select", name="kind").one("option", value="outreach").get("selected") is not None
    )
    assert page.one("input", name="title")["value"] == "Hi"

    bad_kind = _post(client, f"/repairs/{rid}/drafts", {"kind": "poem", "text": "Roses"})
    assert bad_kind.status_code == 422
    assert "must be one of" in Html(bad_kind.text).one(id="draft-kind-error").text
    assert api.get(f"repairs/{rid}/drafts")["total"] == 0

    did = _save(client, rid, APOLOGY)
    empty_version = _post(client, f"/repairs/{rid}/drafts/{did}/versions", {"text": ""})
    assert empty_version.status_code == 422
    assert "cannot be empty" in Html(empty_version.text).one(id="draft-text-error").text
    assert len(api.get(f"repairs/{rid}/drafts/{did}")["versions"]) == 1


def test_unknown_drafts_are_not_found(client: TestClient, rid: int) -> None:
    for url in (
        f"/repairs/{rid}/drafts/77",
        f"/repairs/{rid}/drafts/77/sent",
        "/repairs/9999/drafts/new",
    ):
        assert client.get(url).status_code == 404, url
    assert _post(client, f"/repairs/{rid}/drafts/77/send", {"channel": "email"}).status_code == 404
    assert (
        _post(client, "/repairs/9999/drafts", {"kind": "apology", "text": "x"}).status_code == 404
    )


# --- sending and tracking promises -------------------------------------------------------------


def test_send_then_track_the_promises_it_makes(client: TestClient, api: Api, rid: int) -> None:
    did = _save(client, rid, APOLOGY)
    sent = _post(client, f"/repairs/{rid}/drafts/{did}/send", {"channel": "email"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/repairs/{rid}/drafts/{did}/sent"
    [outreach] = api.get(f"repairs/{rid}/interactions")["items"]
    assert (outreach["kind"], outreach["initiated_by"]) == ("email", "me")

    offer = _page(client, sent.headers["location"]).one("form#offer-form")
    assert offer["action"] == f"/repairs/{rid}/drafts/{did}/commitments"
    [box] = offer.all("input", name="accept")
    assert box["type"] == "checkbox" and box["value"] == "0"
    label = offer.one("label", for_=box["id"])
    assert "status update" in label.text and "Yours, every Friday" in label.text

    tracked = _post(client, offer["action"], {"accept": "0"})
    assert tracked.status_code == 303
    assert tracked.headers["location"] == f"/repairs/{rid}"
    [commitment] = api.get(f"repairs/{rid}/commitments")["items"]
    assert "status update" in commitment["description"]
    assert commitment["recurrence"] is not None
    assert commitment["source_draft_id"] == did

    # Ticking it again does not track it twice; the page shows it as tracked.
    assert _post(client, offer["action"], {"accept": "0"}).status_code == 303
    assert api.get(f"repairs/{rid}/commitments")["total"] == 1
    again = _page(client, sent.headers["location"]).one("form#offer-form")
    assert again.one("input", name="accept").get("disabled") is not None
    assert "already tracked" in again.text

    page = _page(client, f"/repairs/{rid}")
    for step in ("apologize", "offer_solutions"):
        assert page.one("li", id=f"step-{step}")["data-state"] == "done"
    timeline = page.one("section#timeline").text
    assert "Sent: I'm sorry that I missed" in timeline and "Commitment:" in timeline

    # A sent draft is final: no revising, no second send.
    draft = _page(client, f"/repairs/{rid}/drafts/{did}")
    assert not draft.all("form#version-form") and not draft.all("form#send-form")
    assert "Sent on" in draft.text
    assert (
        _post(client, f"/repairs/{rid}/drafts/{did}/versions", {"text": "More"}).status_code == 409
    )
    twice = _post(client, f"/repairs/{rid}/drafts/{did}/send", {"channel": "email"})
    assert twice.status_code == 409
    assert "already marked as sent" in Html(twice.text).one("p", role="alert").text


def test_choosing_a_promise_that_is_not_there_is_refused(
    client: TestClient, api: Api, rid: int
) -> None:
    did = _save(client, rid, APOLOGY)
    assert _post(client, f"/repairs/{rid}/drafts/{did}/send", {"channel": ""}).status_code == 303
    assert api.get(f"repairs/{rid}/interactions")["total"] == 0, "no channel, no outreach logged"
    for accept in ("5", "first"):
        response = _post(client, f"/repairs/{rid}/drafts/{did}/commitments", {"accept": accept})
        assert response.status_code == 422
        assert Html(response.text).one(id="offer-accept-error")["role"] == "alert"
    assert api.get(f"repairs/{rid}/commitments")["total"] == 0


def test_the_sent_page_waits_for_the_draft_to_be_sent(client: TestClient, rid: int) -> None:
    did = _save(
        client, rid, "Could we find half an hour this week to talk about the report?", "outreach"
    )
    early = client.get(f"/repairs/{rid}/drafts/{did}/sent", follow_redirects=False)
    assert early.status_code == 303
    assert early.headers["location"] == f"/repairs/{rid}/drafts/{did}"
    assert (
        _post(client, f"/repairs/{rid}/drafts/{did}/send", {"channel": "message"}).status_code
        == 303
    )
    page = _page(client, f"/repairs/{rid}/drafts/{did}/sent")
    assert not page.all("form#offer-form")
    assert "no promise with a date" in page.text


def test_sending_too_soon_asks_for_confirmation(client: TestClient, api: Api, rid: int) -> None:
    first = _save(client, rid, "Could we talk about the report this week?", "outreach")
    assert (
        _post(client, f"/repairs/{rid}/drafts/{first}/send", {"channel": "email"}).status_code
        == 303
    )
    second = _save(client, rid, APOLOGY)

    held = _post(client, f"/repairs/{rid}/drafts/{second}/send", {"channel": "email"})
    assert held.status_code == 409
    page = Html(held.text)
    warning = page.one("form#send-form").one(id="patience-warning")
    assert "no reply yet" in warning.text
    force = warning.one("input", name="force")
    assert force["type"] == "checkbox" and page.all("label", for_=force["id"])
    assert api.get(f"repairs/{rid}/drafts/{second}")["sent_at"] is None, "nothing saved"
    assert api.get(f"repairs/{rid}/interactions")["total"] == 1

    forced = _post(
        client, f"/repairs/{rid}/drafts/{second}/send", {"channel": "email", "force": "1"}
    )
    assert forced.status_code == 303
    assert api.get(f"repairs/{rid}/drafts/{second}")["sent_at"] is not None
    assert [i["forced"] for i in api.get(f"repairs/{rid}/interactions")["items"]] == [False, True]
