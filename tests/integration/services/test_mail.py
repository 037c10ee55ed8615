"""E-mail to both sides, delivered to a real SMTP server (aiosmtpd), on both backends.

What a user relies on: the invitation mail carries a link that opens their page; the
owner's signature asks them to sign; their signature, comment and dispute reach the owner;
a check-in coming up is mailed once with a calendar invitation; nothing is queued without
mail settings; a change rolled back mails nothing; a mail server that is down loses
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import NOW
from tests.mailtools import SENDER, Inbox, body, calendars, free_port
from tests.security.test_invitations import shared_repair
from tests.security.test_isolation import CANARY
from tests.teamtools import add_account, log_in
from tests.web.conftest import csrf_token

from mend.app import App, fixed_clock
from mend.errors import InvalidInput
from mend.services import invitations
from mend.services.mail import checkins, delivery, smtp
from mend.services.mail.smtp import SmtpConfig
from mend.store.uow import SqlUnitOfWork
from mend.web.app import create_app

OWNER = "ana@example.org"
THEM = "priya@example.org"
TITLE = "Getting the launch back on track"


@dataclass
class World:
    app: App
    owner: TestClient
    guest: TestClient
    repair: int
    occurrence: int
    smtp: Inbox

    @property
    def config(self) -> SmtpConfig:
        config = SmtpConfig.from_settings(self.app.settings)
        assert config is not None
        return config

    def deliver(self, at: Any = NOW) -> delivery.Round:
        return delivery.deliver(self.app.uow, self.config, fixed_clock(at))

    def outbox(self) -> list[Any]:
        return list(delivery.outbox(self.app.uow))


def _invite(client: TestClient, repair: int, email: str = THEM) -> dict[str, Any]:
    answer = client.post(
        f"/api/v1/repairs/{repair}/invitations",
        json={"shared_title": TITLE, "their_name": "Priya", "email": email},
    )
    assert answer.status_code == 201, answer.text
    data: dict[str, Any] = answer.json()
    return data


def _form(client: TestClient, path: str, **fields: str) -> Any:
    answer = client.post(
        path, data={**fields, "csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert answer.status_code == 303, (path, answer.status_code, answer.text[:300])
    return answer


@pytest.fixture
def world(app_factory: Any, smtp: Inbox) -> Iterator[World]:
    app = app_factory(team=True, **smtp.settings)
    add_account(app, OWNER, name="Ana")
    web = create_app(app)
    with TestClient(web) as owner, TestClient(web) as guest:
        log_in(owner, OWNER)
        repair, occurrence = shared_repair(owner)
        yield World(app, owner, guest, repair, occurrence, smtp)


def _join(world: World) -> None:
    """The invitation mail arrives; the link in it opens their page."""
    [message] = world.smtp.to(THEM)
    link = next(w for w in body(message).split() if "/join/" in w)
    opened = world.guest.get(link.replace("http://testserver", ""), follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/shared"


def test_the_invitation_mail_carries_the_link_that_opens_their_page(world: World) -> None:
    made = _invite(world.owner, world.repair)
    assert made["emailed"] is True
    assert world.smtp.messages() == [], "queued, not sent, until the sender runs"
    done = world.deliver()
    assert (done.sent, done.retrying, done.failed) == (1, 0, 0)
    [message] = world.smtp.to(THEM)
    assert world.smtp.recipients() == [[THEM]]
    assert message["From"] == SENDER
    assert message["Subject"] == f"Ana invites you to a shared page: {TITLE}"
    text = body(message)
    assert made["link"] in text and "Hello Priya" in text and CANARY not in text
    _join(world)
    assert world.guest.get("/shared").status_code == 200
    [sent] = world.outbox()
    assert (sent.status, sent.to_address, sent.sent_at) == ("sent", THEM, NOW)
    assert sent.body == "" and made["link"] not in repr(sent), "the link is not kept once sent"
    assert world.deliver().sent == 0, "nothing is sent twice"


def test_signing_asks_them_and_their_answers_reach_the_owner(world: World) -> None:
    _invite(world.owner, world.repair)
    world.deliver()
    _join(world)
    r = world.repair
    _form(world.owner, f"/repairs/{r}/agreement/sign", version="1")
    world.deliver()
    request = world.smtp.to(THEM)[-1]
    assert request["Subject"] == f"Please read and sign the agreement: {TITLE}"
    assert "signed version 1" in body(request) and "http://testserver/shared" in body(request)
    _form(world.guest, "/shared/agreement/comment", text="Could we say Tuesdays?")
    _form(world.guest, "/shared/agreement/sign", version="1")
    _form(world.guest, f"/shared/occurrences/{world.occurrence}", verdict="disputed", note="Late")
    _form(world.guest, "/shared/pulse", score="4")  # no mail: nothing needs the owner
    world.deliver()
    subjects = [m["Subject"] for m in world.smtp.to(OWNER)]
    assert subjects == [
        "Priya commented on your agreement",
        "Priya signed version 1 of your agreement",
        "Priya sees an outcome differently",
    ]
    comment, signed, disputed = (body(m) for m in world.smtp.to(OWNER))
    assert "> Could we say Tuesdays?" in comment
    assert f"http://testserver/repairs/{r}/agreement" in signed
    assert "Send the weekly status note" in disputed and "> Late" in disputed
    assert len(world.smtp.to(THEM)) == 2, "their own actions send them nothing"


def test_a_check_in_coming_up_is_mailed_once_with_a_calendar_invitation(world: World) -> None:
    _invite(world.owner, world.repair)
    world.deliver()
    _join(world)
    mailing = world.app.mailing()
    assert mailing is not None
    assert checkins.remind(world.app.uow, mailing, now=NOW, tz=world.app.tz) == 0, "3 days off"
    soon = NOW + timedelta(days=2, hours=12)
    assert checkins.remind(world.app.uow, mailing, now=soon, tz=world.app.tz) == 1
    assert checkins.remind(world.app.uow, mailing, now=soon, tz=world.app.tz) == 0
    world.deliver(soon)
    assert (
        checkins.remind(world.app.uow, mailing, now=soon + timedelta(hours=1), tz=world.app.tz) == 0
    )
    reminder = world.smtp.to(THEM)[-1]
    assert reminder["Subject"] == f"Check-in coming up: {TITLE}"
    assert "Thu 05 Mar 2026 09:00" in body(reminder)
    [calendar] = calendars(reminder)
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == f"Check-in: {TITLE}"
    assert event.decoded("dtstart") == NOW + timedelta(days=3)
    assert str(event["organizer"]) == f"mailto:{OWNER}"
    assert str(event["attendee"]) == f"mailto:{THEM}"
    assert event["attendee"].params["CN"] == "Priya"
    assert int(event["sequence"]) == 0 and str(event["uid"]).startswith("checkin-")
    assert CANARY not in calendar.to_ical().decode() + body(reminder)
    # The same file, from their page (a download: PUBLISH), and for no one else.
    check_in_id = str(event["uid"]).split("-")[1].split("@")[0]
    path = f"/shared/check-ins/{check_in_id}.ics"
    got = world.guest.get(path)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/calendar")
    downloaded = calendars_from(got.content)
    assert str(downloaded["method"]) == "PUBLISH"
    assert [str(e["uid"]) for e in downloaded.walk("VEVENT")] == [str(event["uid"])]
    assert CANARY not in got.text
    assert world.owner.get(path).status_code == 404, "the owner has no link session"
    assert world.guest.get("/shared/check-ins/987654.ics").status_code == 404
    # Called off: the same event, cancelled, its SEQUENCE bumped.
    _form(world.owner, f"/repairs/{world.repair}/checkins/{check_in_id}/cancel")
    world.deliver(soon)
    cancel = world.smtp.to(THEM)[-1]
    assert cancel["Subject"] == f"Check-in called off: {TITLE}"
    [calendar] = calendars(cancel)
    [gone] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "CANCEL" and str(gone["status"]) == "CANCELLED"
    assert str(gone["uid"]) == str(event["uid"]) and int(gone["sequence"]) == 1
    assert CANARY not in calendar.to_ical().decode() + body(cancel)
    assert "add to your calendar" not in world.guest.get("/shared").text


def calendars_from(data: bytes) -> Any:
    from icalendar import Calendar

    return Calendar.from_ical(data)


def test_an_invitation_that_does_not_share_check_ins_gets_no_reminder(world: World) -> None:
    answer = world.owner.post(
        f"/api/v1/repairs/{world.repair}/invitations",
        json={"shared_title": TITLE, "their_name": "P", "email": THEM, "shares": ["agreement"]},
    )
    assert answer.status_code == 201, answer.text
    mailing = world.app.mailing()
    assert mailing is not None
    soon = NOW + timedelta(days=2, hours=12)
    assert checkins.remind(world.app.uow, mailing, now=soon, tz=world.app.tz) == 0
    _invite(world.owner, world.repair, email="sam@example.org")
    assert checkins.remind(world.app.uow, mailing, now=soon, tz=world.app.tz) == 1


def test_a_repeating_check_in_is_one_series_whose_sequence_goes_up(world: World) -> None:
    from mend.services.checkins import complete_check_in, schedule_check_in

    app = world.app.acting_as(1)
    first = schedule_check_in(
        app.uow(), world.repair, at=NOW + timedelta(days=1), now=NOW, cadence_days=7
    )
    assert first.id is not None
    _, successor = complete_check_in(
        app.uow(), world.repair, first.id, outcome="Good talk", now=NOW + timedelta(days=1)
    )
    assert successor is not None
    with app.uow(write=False) as uow:
        repair = uow.repairs.get(world.repair)
        one = checkins.identity(repair, next(c for c in repair.check_ins if c.id == first.id))
        two = checkins.identity(repair, next(c for c in repair.check_ins if c.id == successor.id))
    assert one[0] == two[0] == f"checkins-{world.repair}@mend.local"
    assert two[1] > one[1]


def test_without_mail_settings_nothing_is_queued_and_the_page_says_copy(
    app_factory: Any,
) -> None:
    app = app_factory()
    assert app.mailing() is None
    web = create_app(app)
    with TestClient(web) as owner:
        repair, _ = shared_repair(owner)
        page = owner.get(f"/repairs/{repair}/invite")
        assert "this server sends no e-mail, so you copy the link" in page.text
        made = owner.post(
            f"/repairs/{repair}/invitations",
            data={
                "shared_title": TITLE,
                "their_name": "Priya",
                "email": THEM,
                "csrf_token": csrf_token(owner),
            },
        )
        assert made.status_code == 201
        assert "This server sends no e-mail, so nothing was mailed" in made.text
        assert _invite(owner, repair)["emailed"] is False
    assert delivery.outbox(app.uow) == []


def test_the_invite_page_says_the_link_is_mailed_when_mail_is_on(world: World) -> None:
    made = world.owner.post(
        f"/repairs/{world.repair}/invitations",
        data={
            "shared_title": TITLE,
            "their_name": "Priya",
            "email": THEM,
            "csrf_token": csrf_token(world.owner),
        },
    )
    assert made.status_code == 201
    assert f"Mend is also e-mailing it to {THEM}." in made.text
    assert [m.kind for m in world.outbox()] == ["invitation"]


def test_local_mode_has_no_owner_address_so_owner_notices_are_skipped(
    app_factory: Any, smtp: Inbox
) -> None:
    app = app_factory(**smtp.settings)
    web = create_app(app)
    with TestClient(web) as owner, TestClient(web) as guest:
        repair, occurrence = shared_repair(owner)
        made = _invite(owner, repair)
        assert guest.get(made["link"].replace("http://testserver", "")).status_code == 200
        _form(guest, f"/shared/occurrences/{occurrence}", verdict="disputed", note="Late")
        _form(guest, "/shared/agreement/comment", text="Tuesdays?")
    assert [m.kind for m in delivery.outbox(app.uow)] == ["invitation"]
    config = SmtpConfig.from_settings(app.settings)
    assert config is not None
    assert delivery.deliver(app.uow, config, fixed_clock(NOW)).sent == 1
    [message] = smtp.to(THEM)
    assert "The person who invited you would like" in body(message)


class _CommitFails(SqlUnitOfWork):
    def commit(self) -> None:
        raise RuntimeError("the database went away at commit")


def test_a_change_rolled_back_mails_nothing(world: World) -> None:
    mailing = world.app.mailing("http://testserver")
    uow = _CommitFails(world.app.sessions, owner=world.app.uow(account=1).owner)
    with pytest.raises(RuntimeError):
        invitations.create(
            uow,
            world.repair,
            shared_title=TITLE,
            their_name="Priya",
            email=THEM,
            now=NOW,
            mailing=mailing,
        )
    assert world.outbox() == []
    assert invitations.list_for(world.app.uow(account=1), world.repair) == []
    assert world.deliver().sent == 0 and world.smtp.messages() == []


def test_a_mail_server_that_is_down_loses_nothing(world: World) -> None:
    _invite(world.owner, world.repair)
    _invite(world.owner, world.repair, "sam@example.org")
    down = SmtpConfig("127.0.0.1", free_port(), "none", "", SENDER)
    first = delivery.deliver(world.app.uow, down, fixed_clock(NOW))
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
    assert "cannot reach the mail server" in first.last_error
    mails = world.outbox()
    assert [m.status for m in mails] == ["pending", "pending"]
    tried = next(m for m in mails if m.attempts == 1)
    assert tried.next_attempt_at == NOW + delivery.BACKOFF[0] and tried.last_error
    # A minute later the server is back: both go, the one tried before too.
    assert world.deliver(NOW).sent == 1, "the one tried waits for its back-off"
    assert world.deliver(NOW + timedelta(minutes=2)).sent == 1
    assert sorted(m["To"] for m in world.smtp.messages()) == [
        "priya@example.org",
        "sam@example.org",
    ]
    assert [m.status for m in world.outbox()] == ["sent", "sent"]


def test_a_mail_refused_for_good_fails_and_can_be_retried(world: World) -> None:
    _invite(world.owner, world.repair)

    def refuse(config: SmtpConfig, mail: Any) -> None:
        raise smtp.PermanentFailure("the address was refused (550)")

    done = delivery.deliver(world.app.uow, world.config, fixed_clock(NOW), sender=refuse)
    assert (done.sent, done.failed) == (0, 1)
    [failed] = world.outbox()
    assert failed.status == "failed" and "550" in failed.last_error
    assert delivery.retry_failed(world.app.uow, now=NOW) == 1
    assert world.deliver().sent == 1 and len(world.smtp.to(THEM)) == 1


def test_the_server_loop_delivers_by_itself(app_factory: Any, smtp: Inbox) -> None:
    app = app_factory(team=True, **smtp.settings)
    add_account(app, OWNER, name="Ana")
    with TestClient(create_app(app, mail_interval=0.05)) as owner:
        log_in(owner, OWNER)
        repair, _ = shared_repair(owner)
        _invite(owner, repair)
        assert len(smtp.wait_for(1)) == 1
    assert [m.status for m in delivery.outbox(app.uow)] == ["sent"]


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        ("priya@example.org\r\nBcc: eve@example.org", "Hello"),
        ("priya@example.org", "Hello\r\nBcc: eve@example.org"),
        ("priya@example.org, eve@example.org", "Hello"),
    ],
)
def test_a_line_break_or_second_address_never_reaches_a_header(to: str, subject: str) -> None:
    config = SmtpConfig("127.0.0.1", 25, "none", "", SENDER)
    with pytest.raises(InvalidInput):
        smtp.build_message(config, to=to, subject=subject, body="x")


def test_mail_from_is_required_with_a_mail_server(app_factory: Any) -> None:
    app = app_factory(smtp_host="127.0.0.1")
    with pytest.raises(InvalidInput, match="mail_from"):
        SmtpConfig.from_settings(app.settings)


def test_the_mail_password_never_shows_in_a_printout(app_factory: Any) -> None:
    app = app_factory(smtp_host="127.0.0.1", mail_from=SENDER, smtp_password="hunter2")
    config = SmtpConfig.from_settings(app.settings)
    assert config is not None and config.password == "hunter2"
    assert "hunter2" not in repr(app.settings) + repr(config)


def test_mail_never_taken_fails_after_the_last_back_off(world: World) -> None:
    _invite(world.owner, world.repair)

    def busy(config: SmtpConfig, mail: Any) -> None:
        raise smtp.TemporaryFailure("the mail server answered 451")

    def attempt(at: Any) -> delivery.Round:
        return delivery.deliver(world.app.uow, world.config, fixed_clock(at), sender=busy)

    at = NOW
    for wait in delivery.BACKOFF:
        assert attempt(at).retrying == 1
        assert attempt(at + wait - timedelta(seconds=1)).retrying == 0, "not before its time"
        at += wait
    last = attempt(at)
    assert (last.retrying, last.failed) == (0, 1)
    [mail] = world.outbox()
    assert mail.status == "failed" and mail.attempts == len(delivery.BACKOFF) + 1
    assert mail.last_error == "gave up after 9 tries: the mail server answered 451"
