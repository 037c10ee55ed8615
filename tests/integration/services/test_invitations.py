"""Invitations and the invited person's words, at the service layer (both backends).

Threats (docs/security.md, "Inviting the other person"): a leaked, expired or withdrawn
link; an invited person reaching beyond their one repair; another account reading the
invitations of a repair that is not theirs.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from tests.conftest import NOW
from tests.teamtools import add_account

from mend.app import App
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services import commitments, invitations, people, repairs, shared
from mend.services.invitations import LINK_REFUSED, Guest
from mend.store import tables


def _repair(app: App, title: str = "Late specs") -> int:
    person = people.add_person(app.uow(), name="Priya", role="colleague", now=NOW)
    assert person.id is not None
    repair = repairs.open_repair(
        app.uow(), person=str(person.id), title=title, what_happened="I was late", now=NOW
    )
    assert repair.id is not None
    return repair.id


def _invite(app: App, repair_id: int, **fields: Any) -> invitations.NewInvitation:
    values = {"shared_title": "The launch", "their_name": "Priya", "now": NOW, **fields}
    return invitations.create(app.uow(), repair_id, **values)


def _guest(app: App, token: str, now: Any = NOW) -> Guest:
    session = invitations.accept(app.uow(), token, now=now)
    found = invitations.guest(app.uow, session, now=now)
    assert found is not None
    return found


def test_an_invitation_keeps_only_the_hash_of_its_token(app: App) -> None:
    repair_id = _repair(app)
    made = _invite(app, repair_id, email=" Priya@Example.org ")
    assert len(made.token) >= 43  # 32 random bytes, URL-safe
    assert made.link("https://mend.example/") == f"https://mend.example/join/{made.token}"
    with app.uow(write=False) as uow:
        stored = uow.connection.execute(select(tables.invitations)).mappings().one()
    assert made.token not in str(dict(stored))
    assert stored["email"] == "priya@example.org"
    assert stored["expires_at"] == NOW + timedelta(days=14)
    assert made.invitation.status(NOW) == "waiting"
    assert [i.id for i in invitations.list_for(app.uow(write=False), repair_id)] == [
        made.invitation.id
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"shared_title": " "}, "shared_title"),
        ({"shared_title": "two\nlines"}, "shared_title"),
        ({"their_name": ""}, "their_name"),
        ({"email": "not an address"}, "email"),
        ({"valid_days": 0}, "valid_days"),
        ({"valid_days": 91}, "valid_days"),
    ],
)
def test_bad_input_names_its_field(app: App, fields: dict[str, Any], field: str) -> None:
    repair_id = _repair(app)
    with pytest.raises(InvalidInput) as refused:
        _invite(app, repair_id, **fields)
    assert refused.value.field == field
    assert invitations.list_for(app.uow(write=False), repair_id) == []


def test_opening_a_link_starts_a_link_session_bound_to_its_invitation(app: App) -> None:
    repair_id = _repair(app)
    made = _invite(app, repair_id)
    guest = _guest(app, made.token, NOW + timedelta(hours=1))
    assert (guest.repair_id, guest.name, guest.account_id) == (repair_id, "Priya", None)
    listed = invitations.list_for(app.uow(write=False), repair_id)[0]
    assert listed.status(NOW + timedelta(hours=1)) == "joined"
    # The link works again while it lives (a phone and a laptop), each a session of its own.
    assert _guest(app, made.token).invitation.id == made.invitation.id


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked", "empty", "huge"])
def test_a_link_that_does_not_work_is_refused_with_one_message(app: App, case: str) -> None:
    repair_id = _repair(app)
    made = _invite(app, repair_id, valid_days=1)
    token, now = made.token, NOW
    if case == "unknown":
        token = secrets.token_urlsafe(32)
    elif case == "expired":
        now = NOW + timedelta(days=1)
    elif case == "revoked":
        invitations.revoke(app.uow(), repair_id, made.invitation.id, now=NOW)
    elif case == "empty":
        token = ""
    else:
        token = "a" * 5000
    with pytest.raises(NotFound) as refused:
        invitations.accept(app.uow(), token, now=now)
    assert refused.value.message == LINK_REFUSED


def test_revoking_ends_the_link_and_its_sessions_at_once(app: App) -> None:
    repair_id = _repair(app)
    made = _invite(app, repair_id)
    session = invitations.accept(app.uow(), made.token, now=NOW)
    done = invitations.revoke(app.uow(), repair_id, made.invitation.id, now=NOW)
    assert done.status(NOW) == "revoked"
    assert invitations.guest(app.uow, session, now=NOW) is None
    with pytest.raises(NotFound):  # reused after revoking
        invitations.accept(app.uow(), made.token, now=NOW)
    with pytest.raises(Conflict):
        invitations.revoke(app.uow(), repair_id, made.invitation.id, now=NOW)
    with pytest.raises(NotFound):
        invitations.revoke(app.uow(), repair_id, 987654, now=NOW)


def test_a_link_session_ends_when_its_invitation_expires_or_it_sits_unused(app: App) -> None:
    repair_id = _repair(app)
    made = _invite(app, repair_id, valid_days=2)
    session = invitations.accept(app.uow(), made.token, now=NOW)
    assert invitations.guest(app.uow, session, now=NOW + timedelta(hours=11)) is not None
    assert invitations.guest(app.uow, session, now=NOW + timedelta(days=2)) is None
    second = invitations.accept(app.uow(), made.token, now=NOW)
    assert invitations.guest(app.uow, second, now=NOW + timedelta(hours=13)) is None
    assert invitations.guest(app.uow, "no-such-session", now=NOW) is None
    assert invitations.guest(app.uow, None, now=NOW) is None


def test_another_account_sees_no_invitation_of_a_repair_not_its_own(app_factory: Any) -> None:
    team = app_factory(team=True)
    ana = add_account(team, "ana@example.org")
    ben = add_account(team, "ben@example.org")
    as_ana = team.acting_as(ana.id)
    repair_id = _repair(as_ana)
    made = _invite(as_ana, repair_id)
    as_ben = team.acting_as(ben.id)
    for call in (
        lambda: invitations.list_for(as_ben.uow(write=False), repair_id),
        lambda: invitations.revoke(as_ben.uow(), repair_id, made.invitation.id, now=NOW),
        lambda: _invite(as_ben, repair_id),
        lambda: shared.preview(as_ben.uow(write=False), repair_id),
        lambda: shared.their_words(as_ben.uow(write=False), repair_id),
    ):
        with pytest.raises(NotFound):
            call()
    guest = _guest(team, made.token)
    assert guest.account_id == ana.id


def test_their_view_verdicts_and_pulse_are_saved_as_their_words(app: App) -> None:
    repair_id = _repair(app)
    commitment = commitments.record_commitment(
        app.uow(), repair_id, description="Send the specs", due_at=NOW + timedelta(days=1), now=NOW
    )
    occurrence = commitment.occurrences[0].id
    assert occurrence is not None
    guest = _guest(app, _invite(app, repair_id).token)
    later = NOW + timedelta(days=2)
    as_owner = app.acting_as(guest.account_id)
    shared.give_view(as_owner.uow(), guest, text="  I felt left out.  ", now=later)
    shared.give_verdict(as_owner.uow(), guest, occurrence, verdict="Late", note="", now=later)
    shared.give_verdict(
        as_owner.uow(), guest, occurrence, verdict="disputed", note="It came Monday", now=later
    )
    shared.give_pulse(as_owner.uow(), guest, score=4, note="Better", now=later)
    views, verdicts, pulses = shared.their_words(app.uow(write=False), repair_id)
    assert [(v.author, v.text, v.created_at) for v in views] == [
        ("Priya", "I felt left out.", later)
    ]
    assert [(v.verdict, v.text, v.occurrence_id) for v in verdicts] == [
        ("late", "", occurrence),
        ("disputed", "It came Monday", occurrence),
    ]
    assert [(p.score, p.text) for p in pulses] == [(4, "Better")]
    page = shared.shared_view(app.uow(write=False), guest)
    assert [v.verdict for v in page.commitments[0].occurrences[0].verdicts] == ["late", "disputed"]


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ({"kind": "view", "text": " "}, "text"),
        ({"kind": "verdict", "verdict": "maybe"}, "verdict"),
        ({"kind": "verdict", "verdict": "disputed", "note": ""}, "note"),
        ({"kind": "pulse", "score": 0}, "score"),
        ({"kind": "pulse", "score": 6}, "score"),
    ],
)
def test_their_bad_input_names_its_field(app: App, action: dict[str, Any], field: str) -> None:
    repair_id = _repair(app)
    commitment = commitments.record_commitment(
        app.uow(), repair_id, description="Send it", due_at=NOW + timedelta(days=1), now=NOW
    )
    guest = _guest(app, _invite(app, repair_id).token)
    action = dict(action)  # the same table serves both backends
    kind = action.pop("kind")
    with pytest.raises(InvalidInput) as refused:
        if kind == "view":
            shared.give_view(app.uow(), guest, now=NOW, **action)
        elif kind == "verdict":
            occurrence = commitment.occurrences[0].id
            assert occurrence is not None
            shared.give_verdict(app.uow(), guest, occurrence, now=NOW, **action)
        else:
            shared.give_pulse(app.uow(), guest, now=NOW, **action)
    assert refused.value.field == field
    assert shared.their_words(app.uow(write=False), repair_id) == ([], [], [])


def test_a_guest_cannot_answer_for_a_promise_of_another_repair(app: App) -> None:
    first = _repair(app, "First")
    second = _repair(app, "Second")
    other = commitments.record_commitment(
        app.uow(), second, description="Other", due_at=NOW + timedelta(days=1), now=NOW
    )
    guest = _guest(app, _invite(app, first).token)
    occurrence = other.occurrences[0].id
    assert occurrence is not None
    for target in (occurrence, 987654, 2**40):
        with pytest.raises(NotFound):
            shared.give_verdict(app.uow(), guest, target, verdict="kept", now=NOW)
    assert shared.their_words(app.uow(write=False), second) == ([], [], [])


def test_deleting_the_repair_deletes_its_invitations_and_their_words(app: App) -> None:
    repair_id = _repair(app)
    made = _invite(app, repair_id)
    guest = _guest(app, made.token)
    shared.give_view(app.uow(), guest, text="Mine", now=NOW)
    repairs.delete_repair(app.uow(), repair_id)
    with app.uow(write=False) as uow:
        for table in (tables.invitations, tables.link_sessions, tables.their_views):
            assert uow.connection.execute(select(table)).first() is None, table.name


def test_their_verdict_rebuilds_the_status_row_and_their_other_words_cost_none(
    app: App,
) -> None:
    """Their verdict (a plain row, not the ORM) counts in trust: it marks the repair for
    the stored board, and a row dropped beforehand is back after it. Their view, their
    pulse and a withdrawn link are in no summary, so they rebuild nothing."""
    from mend.store import board

    repair_id = _repair(app)
    commitment = commitments.record_commitment(
        app.uow(), repair_id, description="Send the specs", due_at=NOW + timedelta(days=1), now=NOW
    )
    occurrence = commitment.occurrences[0].id
    assert occurrence is not None
    guest = _guest(app, _invite(app, repair_id).token)
    as_owner = app.acting_as(guest.account_id)

    def drop_row() -> None:
        with app.engine.begin() as conn:
            conn.execute(tables.repair_status.delete())

    def stored() -> set[int]:
        with app.engine.connect() as conn:
            return set(conn.execute(select(tables.repair_status.c.repair_id)).scalars())

    drop_row()
    shared.give_verdict(as_owner.uow(), guest, occurrence, verdict="late", now=NOW)
    assert stored() == {repair_id}
    for write in (
        lambda: shared.give_view(as_owner.uow(), guest, text="I felt left out.", now=NOW),
        lambda: shared.give_pulse(as_owner.uow(), guest, score=4, now=NOW),
        lambda: invitations.revoke(app.uow(), repair_id, guest.invitation.id, now=NOW),
    ):
        drop_row()
        write()
        assert stored() == set()
    with app.engine.connect() as conn:
        assert board.take_touched(conn) == set()  # nothing left over for the next one
