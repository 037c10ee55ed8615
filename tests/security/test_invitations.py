"""The invited person reaches one repair's shared page and nothing else (both backends).

Threats (docs/security.md, "Inviting the other person"): the invited person reading the
owner's private records (a canary string sits in every private field: "my part", the
owner's interpretations, notes, an unsent draft and its coach report, outcome and
check-in notes, a second repair with everything in it), a link session reaching an owner
page or API or a second repair, and a leaked, expired or withdrawn link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.mailtools import Inbox
from tests.routes import all_routes
from tests.security.test_isolation import CANARY, Records, record_everything
from tests.teamtools import PASSWORD, add_account, log_in
from tests.web.conftest import csrf_token

from mend.app import App
from mend.services import invitations
from mend.services.invitations import LINK_REFUSED
from mend.web.app import create_app
from mend.web.guest import LINK_COOKIE

SHARED_TITLE = "Getting the launch back on track"
SHARED = {
    "message": "I am sorry the specs were late; that was on me.",
    "promise": "Send the weekly status note",
    "ground": "We both want a calm launch",
    "channel": "A short call on Mondays",
}
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass
class World:
    web: FastAPI
    app: App
    owner: TestClient
    guest: TestClient
    repair: int
    occurrence: int
    invitation: int
    link: str
    other: Records
    #: The app's clock reads ``moment[0]``: move it with :meth:`later`.
    moment: list[datetime]

    def later(self, **delta: float) -> None:
        self.moment[0] += timedelta(**delta)


def _post(client: TestClient, path: str, body: dict[str, Any], expect: int = 201) -> Any:
    response = client.post(f"/api/v1/{path}", json=body)
    assert response.status_code == expect, (path, response.text)
    return response.json()


def shared_repair(client: TestClient) -> tuple[int, int]:
    """A repair with a canary in every private field and plain words in the shared ones."""
    person = _post(
        client, "people", {"name": "Priya", "role": "colleague", "notes": f"notes {CANARY}"}
    )
    repair = _post(
        client,
        "repairs",
        {
            "person_id": person["id"],
            "title": f"Owner's own title {CANARY}",
            "what_happened": f"What happened {CANARY}",
            "my_part": f"My part {CANARY}",
            "impact": f"Impact {CANARY}",
        },
    )["repair"]
    r = f"repairs/{repair['id']}"
    _post(client, f"{r}/steps/empathize/answers", {"answers": {"how_it_felt": CANARY}}, expect=200)
    _post(
        client,
        f"{r}/interactions",
        {
            "kind": "meeting",
            "initiated_by": "them",
            "summary": f"Summary {CANARY}",
            "their_perspective": f"As I heard it {CANARY}",
            "my_interpretation": f"My view {CANARY}",
        },
    )
    sent = _post(client, f"{r}/drafts", {"kind": "apology", "text": f"First go {CANARY}"})
    _post(client, f"{r}/drafts/{sent['id']}/versions", {"text": SHARED["message"]})
    _post(client, f"{r}/drafts/{sent['id']}/send", {"force": True}, expect=200)
    _post(client, f"{r}/drafts", {"kind": "outreach", "text": f"Unsent draft {CANARY}"})
    due = (NOW + timedelta(hours=1)).isoformat()
    commitment = _post(
        client, f"{r}/commitments", {"description": SHARED["promise"], "due_at": due}
    )
    _post(
        client,
        f"{r}/commitments/{commitment['id']}/outcomes",
        {"status": "late", "note": f"Outcome note {CANARY}"},
        expect=200,
    )
    _post(
        client,
        f"{r}/check-ins",
        {"scheduled_at": (NOW + timedelta(days=3)).isoformat(), "note": f"Check-in {CANARY}"},
    )
    _post(client, f"{r}/common-ground", {"text": SHARED["ground"]})
    _post(client, f"{r}/initiatives", {"title": f"Initiative {CANARY}"})
    _post(client, f"{r}/agreement", {"channel": SHARED["channel"], "notes": f"Notes {CANARY}"})
    return repair["id"], commitment["occurrences"][0]["id"]


@pytest.fixture
def world(app_factory: Any, smtp: Inbox) -> Iterator[World]:
    """Ana's team server, sending e-mail through a real local SMTP server (``smtp``)."""
    moment = [NOW]
    app = app_factory(team=True, clock=lambda: moment[0], **smtp.settings)
    add_account(app, "a@example.org", name="Ana")
    web = create_app(app)
    with TestClient(web) as owner, TestClient(web) as guest:
        log_in(owner, "a@example.org")
        repair, occurrence = shared_repair(owner)
        other = record_everything(owner, CANARY)  # a second repair: none of it is shared
        made = _post(
            owner,
            f"repairs/{repair}/invitations",
            {"shared_title": SHARED_TITLE, "their_name": "Priya", "email": "priya@example.org"},
        )
        link = made["link"].replace("http://testserver", "")
        opened = guest.get(link, follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/shared"
        assert guest.cookies.get(LINK_COOKIE)
        yield World(web, app, owner, guest, repair, occurrence, made["id"], link, other, moment)


def _form(client: TestClient, path: str, **fields: str) -> Any:
    data = {**fields, "csrf_token": csrf_token(client)}
    return client.post(path, data=data, follow_redirects=False)


def test_the_shared_page_shows_what_is_shared_and_nothing_private(world: World) -> None:
    page = world.guest.get("/shared")
    assert page.status_code == 200
    for words in (SHARED_TITLE, "Priya", *SHARED.values()):
        assert words in page.text, words
    assert CANARY not in page.text
    assert "First go" not in page.text, "only the version that was sent"
    assert 'href="/people"' not in page.text, "no owner navigation"


def test_their_words_are_saved_and_shown_on_both_sides(world: World) -> None:
    g = world.guest
    assert _form(g, "/shared/view", text="It felt like I was left to guess.").status_code == 303
    answer = _form(
        g, f"/shared/occurrences/{world.occurrence}", verdict="missed", note="Never came"
    )
    assert answer.status_code == 303
    assert _form(g, "/shared/pulse", score="3", note="Getting there").status_code == 303
    page = g.get("/shared").text
    for words in ("It felt like I was left to guess.", "Never came", "3 of 5", "Getting there"):
        assert words in page
    words = world.owner.get(f"/api/v1/repairs/{world.repair}/their-words").json()
    assert [v["text"] for v in words["views"]] == ["It felt like I was left to guess."]
    assert [(v["verdict"], v["author"]) for v in words["verdicts"]] == [("missed", "Priya")]
    assert [p["score"] for p in words["pulses"]] == [3]
    owner_page = world.owner.get(f"/repairs/{world.repair}").text
    for words in ("It felt like I was left to guess.", "Never came", "Getting there"):
        assert words in owner_page


def test_their_bad_input_is_one_message_beside_its_field(world: World) -> None:
    refused = _form(world.guest, "/shared/view", text="   ")
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text and "cannot be empty" in refused.text
    refused = _form(world.guest, f"/shared/occurrences/{world.occurrence}", verdict="disputed")
    assert refused.status_code == 422 and "what you see differently" in refused.text
    assert _form(world.guest, "/shared/pulse", score="9").status_code == 422
    forged = world.guest.post("/shared/view", data={"text": "no token"}, follow_redirects=False)
    assert forged.status_code == 403
    words = world.owner.get(f"/api/v1/repairs/{world.repair}/their-words").json()
    assert words == {"views": [], "verdicts": [], "pulses": []}


def test_the_preview_is_exactly_their_page(world: World) -> None:
    def main(html: str) -> str:
        """The page's content, without the preview's note, the forms' tokens and the
        disabled state of the preview's forms, and the guest's own "close" button and
        "keep it in my account" box (about their session, not the repair)."""
        body = html.split('<main id="main" tabindex="-1">', 1)[1].split("</main>", 1)[0]
        body = re.sub(r'<p class="notice" role="status">Preview:.*?</p>', "", body, flags=re.S)
        body = re.sub(r'name="csrf_token" value="[^"]*"', "", body)
        body = re.sub(r'<form method="post" action="/shared/leave".*?</form>', "", body, flags=re.S)
        body = re.sub(r'<section class="card" id="keep".*?</section>', "", body, flags=re.S)
        return " ".join(body.replace(" disabled>", ">").split())

    preview = world.owner.get(f"/repairs/{world.repair}/share-preview")
    assert preview.status_code == 200 and CANARY not in preview.text
    assert main(preview.text) == main(world.guest.get("/shared").text)


def _fill(path: str, values: dict[str, str]) -> str:
    return _PARAM.sub(lambda m: values.get(m.group(1), "1"), path)


#: Where a link session may go: its own page and what needs no login at all.
GUEST_ROUTES = {
    "/shared",
    "/shared/view",
    "/shared/occurrences/{occurrence_id}",
    "/shared/pulse",
    "/shared/agreement/comment",
    "/shared/agreement/sign",
    "/shared/keep",
}
OPEN_TO_ALL = {"/login", "/healthz", "/reset/{token}", "/join/{token}"}


def test_a_link_session_reaches_no_owner_page_or_api_and_no_second_repair(world: World) -> None:
    """Every route of the app, filled with the shared repair's ids and then the second
    repair's: the guest gets 404 everywhere but its own page, and never a canary."""
    shared_ids = {
        "repair_id": str(world.repair),
        "occurrence_id": str(world.occurrence),
        "invitation_id": str(world.invitation),
    }
    walked = 0
    for values in (shared_ids, world.other.path_values()):
        values = {**world.other.path_values(), **values, "token": "not-a-token"}
        for route in all_routes(world.web.routes):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
            if path.startswith("/static") or path in GUEST_ROUTES or path == "/shared/leave":
                continue
            for method in sorted((route.methods or set()) - {"HEAD"}):
                filled = _fill(path, values)
                kwargs: dict[str, Any] = {"follow_redirects": False}
                if method != "GET":
                    kwargs["data" if not filled.startswith("/api/") else "json"] = (
                        {"csrf_token": csrf_token(world.guest)} if "/api/" not in filled else {}
                    )
                answer = world.guest.request(method, filled, **kwargs)
                assert CANARY not in answer.text, (method, filled)
                if path not in OPEN_TO_ALL:
                    assert answer.status_code == 404, (method, filled, answer.status_code)
                walked += 1
    assert walked > 200
    # A promise of the second repair cannot be answered from the first one's link.
    other = _form(world.guest, f"/shared/occurrences/{world.other.occurrence}", verdict="kept")
    assert other.status_code == 404
    assert world.guest.get("/shared").status_code == 200, "the link session still works"


def _everything_in(message: EmailMessage) -> str:
    """A mail as its reader gets it: headers and every part decoded (an attachment is
    base64 on the wire, where a canary would hide from a plain search)."""
    texts = [str(message.items())]
    for part in message.walk():
        if not part.is_multipart():
            content = part.get_content()
            texts.append(content.decode() if isinstance(content, bytes) else str(content))
    return "\n".join(texts)


def test_the_canary_never_reaches_them_by_mail_or_calendar(world: World, smtp: Inbox) -> None:
    """Every e-mail sent to the invited person (the invitation, a signature request, a
    check-in reminder with its calendar invitation) and every calendar file they can
    download: none holds anything private."""
    from mend.services.mail import checkins, delivery
    from mend.services.mail.smtp import SmtpConfig

    owner = world.owner
    signed = owner.post(
        f"/repairs/{world.repair}/agreement/sign",
        data={"version": "1", "csrf_token": csrf_token(owner)},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    app = world.app
    mailing, config = app.mailing(), SmtpConfig.from_settings(app.settings)
    assert mailing is not None and config is not None
    soon = NOW + timedelta(days=2, hours=12)  # the check-in is 3 days off
    assert checkins.remind(app.uow, mailing, now=soon, tz=app.tz) == 1
    assert delivery.deliver(app.uow, config, lambda: soon).sent == 3
    mails = smtp.to("priya@example.org")
    assert sorted(m["Subject"].split(":")[0] for m in mails) == [
        "Ana invites you to a shared page",
        "Check-in coming up",
        "Please read and sign the agreement",
    ]
    crawled = [_everything_in(m) for m in mails]
    assert any("BEGIN:VCALENDAR" in text for text in crawled), "the ICS was decoded"
    page = world.guest.get("/shared").text
    downloads = re.findall(r'href="(/shared/check-ins/\d+\.ics)"', page)
    assert downloads, "their page links each planned check-in's calendar file"
    for path in downloads:
        answer = world.guest.get(path)
        assert answer.status_code == 200 and "BEGIN:VCALENDAR" in answer.text
        crawled.append(answer.text)
    for text in crawled:
        assert CANARY not in text
        assert "Owner's own title" not in text


def test_the_canary_never_reaches_the_guest_after_every_action(world: World) -> None:
    answers = [world.guest.get("/shared")]
    answers.append(_form(world.guest, "/shared/view", text="Mine"))
    answers.append(_form(world.guest, f"/shared/occurrences/{world.occurrence}", verdict="kept"))
    answers.append(_form(world.guest, "/shared/pulse", score="5"))
    answers.append(_form(world.guest, "/shared/view", text=""))  # a refused form, shown again
    answers += [world.guest.get(p) for p in ("/shared?done=view", "/", "/api/v1/status")]
    answers.append(_form(world.guest, "/shared/leave"))
    for answer in answers:
        assert CANARY not in answer.text, answer.request.url


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked"])
def test_a_link_that_does_not_work_opens_nothing(world: World, case: str) -> None:
    link = world.link
    if case == "unknown":
        link = "/join/" + "A" * 43
    elif case == "revoked":
        path = f"/api/v1/repairs/{world.repair}/invitations/{world.invitation}/revoke"
        assert world.owner.post(path).json()["status"] == "revoked"
        assert world.guest.get("/shared").status_code == 404, "its open sessions end too"
    else:
        app = world.app
        made = invitations.create(
            app.uow(account=1),
            world.repair,
            shared_title="Old",
            their_name="P",
            now=NOW - timedelta(days=15),
        )
        link = "/join/" + made.token
    with TestClient(world.web) as stranger:
        answer = stranger.get(link, follow_redirects=False)
        assert answer.status_code == 404
        assert LINK_REFUSED in answer.text
        assert not stranger.cookies.get(LINK_COOKIE)
        assert stranger.get("/shared").status_code == 404


def test_the_owner_invites_lists_and_withdraws_through_the_api(world: World) -> None:
    base = f"/api/v1/repairs/{world.repair}/invitations"
    listed = world.owner.get(base).json()
    assert [(i["their_name"], i["status"]) for i in listed] == [("Priya", "joined")]
    assert "link" not in listed[0] and "token_hash" not in listed[0]
    refused = world.owner.post(base, json={"shared_title": "", "their_name": "P"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "shared_title"
    refused = world.owner.post(base, json={"shared_title": "T", "their_name": "P", "email": "x"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "email"
    assert world.owner.post(f"{base}/{world.invitation}/revoke").status_code == 200
    again = world.owner.post(f"{base}/{world.invitation}/revoke")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_the_owner_page_shows_the_link_once_and_withdraws(world: World) -> None:
    page = world.owner.get(f"/repairs/{world.repair}/invite")
    assert page.status_code == 200 and "Invite them in" in page.text and "opened" in page.text
    made = _form(
        world.owner,
        f"/repairs/{world.repair}/invitations",
        shared_title="Second try",
        their_name="Priya",
        valid_days="7",
    )
    assert made.status_code == 201
    link = re.search(r'value="(http://testserver/join/[^"]+)"', made.text)
    assert link is not None
    assert link.group(1) not in world.owner.get(f"/repairs/{world.repair}/invite").text
    refused = _form(
        world.owner, f"/repairs/{world.repair}/invitations", shared_title="", their_name="Priya"
    )
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    done = _form(world.owner, f"/repairs/{world.repair}/invitations/{world.invitation}/revoke")
    assert done.status_code == 303
    assert world.guest.get("/shared").status_code == 404


def test_closing_the_page_ends_only_this_devices_link_session(world: World) -> None:
    closed = _form(world.guest, "/shared/leave")
    assert closed.status_code == 200 and "Closed on this device" in closed.text
    assert not world.guest.cookies.get(LINK_COOKIE)
    refused = world.guest.get("/shared")
    assert refused.status_code == 404 and 'href="/people"' not in refused.text
    assert world.guest.get(world.link, follow_redirects=False).status_code == 303, "link works"


@pytest.mark.parametrize("password", ["a web password", ""])
def test_in_local_mode_a_link_session_reaches_only_its_page(
    app_factory: Any, password: str
) -> None:
    """With a password (served to others) and without one (127.0.0.1 only): the invited
    browser gets its page, and 404 for the owner's pages and API; the owner, logged in,
    keeps every page even with a link session in the same browser."""
    from mend.passwords import hash_password

    app = app_factory(password_hash=hash_password(password) if password else "")
    web = create_app(app)
    with TestClient(web) as owner, TestClient(web) as guest:
        if password:
            assert owner.post("/login", json={"password": password}).status_code == 204
        repair, _ = shared_repair(owner)
        made = _post(
            owner, f"repairs/{repair}/invitations", {"shared_title": "Ours", "their_name": "P"}
        )
        link = made["link"].replace("http://testserver", "")
        assert guest.get(link, follow_redirects=False).status_code == 303
        page = guest.get("/shared")
        assert page.status_code == 200 and CANARY not in page.text
        for path in ("/", f"/repairs/{repair}", "/api/v1/status", f"/api/v1/repairs/{repair}"):
            answer = guest.get(path, follow_redirects=False)
            assert answer.status_code == 404, path
            assert CANARY not in answer.text
        assert guest.get("/calendar/mend.ics", follow_redirects=False).status_code == 404
        if password:  # a logged-in owner opening their own link keeps their pages
            assert owner.get(link, follow_redirects=False).status_code == 303
            assert owner.get(f"/repairs/{repair}").status_code == 200


def test_comments_and_signatures_on_both_sides_lock_the_version(world: World) -> None:
    g, owner, r = world.guest, world.owner, world.repair
    assert _form(g, "/shared/agreement/comment", text="Could we say Tuesdays?").status_code == 303
    assert _form(g, "/shared/agreement/sign", version="1").status_code == 303
    page = g.get("/shared").text
    assert "Could we say Tuesdays?" in page and "Priya signed version 1" in page
    assert "Sign this version" not in page and CANARY not in page
    mine = owner.get(f"/repairs/{r}/agreement").text
    assert "Could we say Tuesdays?" in mine and "Locked" not in mine
    answer = owner.post(
        f"/repairs/{r}/agreement/comment",
        data={"text": "Tuesdays suit me.", "csrf_token": csrf_token(owner)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    signed = owner.post(
        f"/repairs/{r}/agreement/sign",
        data={"version": "1", "csrf_token": csrf_token(owner)},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert "Locked: signed by both" in owner.get(f"/repairs/{r}/agreement").text
    page = g.get("/shared").text
    assert "Tuesdays suit me." in page and "Locked: signed by both" in page
    assert CANARY not in page


def test_an_old_version_or_an_empty_comment_is_refused_beside_its_form(world: World) -> None:
    refused = _form(world.guest, "/shared/agreement/sign", version="7")
    assert refused.status_code == 409 and "not the current agreement" in refused.text
    refused = _form(world.guest, "/shared/agreement/comment", text="  ")
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    refused = world.owner.post(
        f"/repairs/{world.repair}/agreement/comment",
        data={"text": " ", "csrf_token": csrf_token(world.owner)},
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "cannot be empty" in refused.text


def _timeline(html: str) -> list[str]:
    """The shared timeline's lines, newest first, as plain text."""
    section = html.split('id="shared-timeline"', 1)[1].split("</section>", 1)[0]
    titles = re.findall(r'<p class="tl-title">(.*?)</p>', section, flags=re.S)
    return [" ".join(unescape(t).split()) for t in titles]


def test_the_shared_timeline_tells_both_sides_who_did_what(world: World) -> None:
    g, owner, r = world.guest, world.owner, world.repair
    assert _form(g, "/shared/view", text="I was left to guess.").status_code == 303
    world.later(hours=1)
    assert _form(g, f"/shared/occurrences/{world.occurrence}", verdict="missed").status_code == 303
    world.later(hours=1)
    assert _form(g, "/shared/agreement/sign", version="1").status_code == 303
    world.later(hours=1)
    owner.post(
        f"/repairs/{r}/agreement/sign",
        data={"version": "1", "csrf_token": csrf_token(owner)},
        follow_redirects=False,
    )

    theirs = _timeline(g.get("/shared").text)
    assert theirs[:3] == [
        "Ana signed version 1 of the agreement",
        "You signed version 1 of the agreement",
        f"You marked “{SHARED['promise']}”, due {(NOW + timedelta(hours=1)):%d %b %Y} as missed",
    ]
    assert "You told how it was for them" in theirs
    assert any(line.startswith("Ana marked") and line.endswith("as kept late") for line in theirs)
    assert any(line == f"Ana wrote down a promise: {SHARED['promise']}" for line in theirs)

    mine = _timeline(owner.get(f"/repairs/{r}/invite").text)
    assert mine[:2] == [
        "You signed version 1 of the agreement",
        "Priya signed version 1 of the agreement",
    ]
    api = owner.get(f"/api/v1/repairs/{r}/shared-timeline").json()
    assert [(e["by"], e["actor"]) for e in api[:2]] == [("owner", "You"), ("them", "Priya")]
    assert api[2]["what"].endswith("as missed") and api[2]["actor"] == "Priya"
    assert [e["at"] for e in api] == sorted((e["at"] for e in api), reverse=True)
    for text in (g.get("/shared").text, json.dumps(api)):
        assert CANARY not in text, "the owner's note on the outcome stays theirs"


def _log_in_form(client: TestClient, email: str, **extra: str) -> Any:
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token(client), **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_the_other_person_keeps_the_invitation_in_their_account(world: World) -> None:
    g, owner, r = world.guest, world.owner, world.repair
    add_account(world.app, "bo@example.org", name="Bo")
    add_account(world.app, "cy@example.org", name="Cy")
    box = g.get("/shared").text.split('id="keep"', 1)[1]
    assert 'href="/login?then=shared"' in box, "no account yet: asked to log in"
    assert g.post("/shared/keep", data={"csrf_token": csrf_token(g)}).url.path == "/login"

    assert "come back to the page" in g.get("/login?then=shared").text
    back = _log_in_form(g, "bo@example.org", then="shared")
    assert back.status_code == 303 and back.headers["location"] == "/shared#keep"
    assert "Keep it in my account" in g.get("/shared").text
    kept = _form(g, "/shared/keep")
    assert kept.status_code == 303
    assert "kept in your account (bo@example.org)" in g.get("/shared").text
    assert "kept in their account" in owner.get(f"/repairs/{r}/invite").text
    assert _form(g, "/shared/keep").status_code == 303, "keeping twice changes nothing"

    # Another account cannot take it over, and the owner cannot keep their own repair.
    with TestClient(world.web) as third:
        third.get(world.link)
        log_in(third, "cy@example.org")
        refused = _form(third, "/shared/keep")
        assert refused.status_code == 409 and "already kept in another account" in refused.text
    owner.get(world.link)
    refused = _form(owner, "/shared/keep")
    assert refused.status_code == 409 and "your own repair" in refused.text

    # Past the link's date the link opens nothing, but the account still reaches the page,
    # from another browser too.
    world.later(days=15)
    with TestClient(world.web) as laptop:
        assert laptop.get(world.link, follow_redirects=False).status_code == 404
        log_in(laptop, "bo@example.org")
        listing = laptop.get("/with-me").text
        assert SHARED_TITLE in listing and CANARY not in listing
        opened = _form(laptop, f"/with-me/{world.invitation}/open")
        assert opened.status_code == 303 and opened.headers["location"] == "/shared"
        assert SHARED_TITLE in laptop.get("/shared").text
        # Cy keeps nothing: the same number opens nothing for them.
        log_in(laptop, "cy@example.org")
        assert _form(laptop, f"/with-me/{world.invitation}/open").status_code == 404

        # Withdrawn: the page closes at once, and the list says so.
        log_in(owner, "a@example.org")  # two weeks idle: the owner's session had ended
        revoked = owner.post(f"/api/v1/repairs/{r}/invitations/{world.invitation}/revoke")
        assert revoked.status_code == 200
        assert g.get("/shared").status_code == 404
        log_in(laptop, "bo@example.org")
        assert "withdrawn" in laptop.get("/with-me").text
        assert _form(laptop, f"/with-me/{world.invitation}/open").status_code == 404


def test_without_accounts_there_is_nothing_to_keep(app_factory: Any) -> None:
    app = app_factory()
    web = create_app(app)
    with TestClient(web) as owner, TestClient(web) as guest:
        repair, _ = shared_repair(owner)
        made = _post(
            owner, f"repairs/{repair}/invitations", {"shared_title": "T", "their_name": "P"}
        )
        guest.get(made["link"].replace("http://testserver", ""))
        assert 'id="keep"' not in guest.get("/shared").text
        assert _form(guest, "/shared/keep").status_code == 404
        assert owner.get("/with-me").status_code == 404


def test_promises_that_fell_due_can_be_answered_before_the_owner_records_them(
    world: World,
) -> None:
    made = _post(
        world.owner,
        f"repairs/{world.repair}/commitments",
        {"description": "Friday written update", "recurrence": "every Friday"},
    )
    assert made["occurrences"] == [], "nothing due yet"
    world.later(days=12)  # two Fridays have passed; both sessions have ended meanwhile
    world.guest.get(world.link)
    log_in(world.owner, "a@example.org")
    page = world.guest.get("/shared").text
    ids = re.findall(r'action="/shared/occurrences/(\d+)"', page)
    assert len(ids) == 3, "the first promise and the two Fridays that fell due"
    answer = _form(world.guest, f"/shared/occurrences/{ids[-1]}", verdict="kept")
    assert answer.status_code == 303
    words = world.owner.get(f"/api/v1/repairs/{world.repair}/their-words").json()
    assert [v["verdict"] for v in words["verdicts"]] == ["kept"]


def test_the_owner_chooses_what_to_share_and_previews_it_first(world: World) -> None:
    owner, r = world.owner, world.repair
    token = csrf_token(owner)
    choices = {"shared_title": "Only the promises", "their_name": "Priya", "shares_form": "1"}
    preview = owner.post(
        f"/repairs/{r}/share-preview",
        data={**choices, "share_commitments": "on", "csrf_token": token},
    )
    assert preview.status_code == 200 and "Only the promises" in preview.text
    assert SHARED["promise"] in preview.text
    for hidden in (SHARED["message"], SHARED["ground"], SHARED["channel"]):
        assert hidden not in preview.text, hidden
    assert _invitations(owner, r) == 1, "a preview saves nothing"

    made = owner.post(
        f"/repairs/{r}/invitations",
        data={**choices, "share_commitments": "on", "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 201 and "Shares: promises." in made.text
    link = re.search(r'id="link-copy"[^>]*value="([^"]+)"', made.text)
    assert link is not None
    with TestClient(world.web) as second:
        second.get(link.group(1).replace("http://testserver", ""))
        page = second.get("/shared").text
        assert SHARED["promise"] in page and "Only the promises" in page
        for hidden in (SHARED["message"], SHARED["ground"], SHARED["channel"], CANARY):
            assert hidden not in page, hidden
        assert _form(second, "/shared/agreement/sign", version="1").status_code == 404
        assert _form(second, "/shared/agreement/comment", text="Hi").status_code == 404
        answer = _form(second, f"/shared/occurrences/{world.occurrence}", verdict="kept")
        assert answer.status_code == 303, "promises are shared: they can answer"

    api = owner.post(
        f"/api/v1/repairs/{r}/invitations",
        json={"shared_title": "T", "their_name": "P", "shares": ["agreement", "messages"]},
    )
    assert api.status_code == 201 and api.json()["shares"] == ["messages", "agreement"]
    wrong = owner.post(
        f"/api/v1/repairs/{r}/invitations",
        json={"shared_title": "T", "their_name": "P", "shares": ["my_part"]},
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "shares"
    listed = owner.get(f"/api/v1/repairs/{r}/invitations").json()
    assert listed[0]["shares"] == [
        "messages",
        "commitments",
        "check_ins",
        "common_ground",
        "agreement",
    ], "an invitation made without a choice shares every part"


def _invitations(owner: TestClient, repair: int) -> int:
    return len(owner.get(f"/api/v1/repairs/{repair}/invitations").json())
