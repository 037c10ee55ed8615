"""Comments on the agreement and signatures, at the service layer (both backends).

A version signed by both sides is locked: a change is a new version, unsigned. Signing an
old version is refused; signing twice changes nothing. Another account, or the link of
another repair, reaches none of it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.conftest import NOW
from tests.teamtools import add_account

from mend.app import App
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services import ground, invitations, people, repairs, shared, signing
from mend.services.invitations import Guest


def _repair(app: App, title: str = "Late specs") -> int:
    person = people.add_person(app.uow(), name="Priya", role="colleague", now=NOW)
    assert person.id is not None
    repair = repairs.open_repair(
        app.uow(), person=str(person.id), title=title, what_happened="I was late", now=NOW
    )
    assert repair.id is not None
    return repair.id


def _guest(app: App, repair_id: int) -> Guest:
    made = invitations.create(
        app.uow(), repair_id, shared_title="The launch", their_name="Priya", now=NOW
    )
    session = invitations.accept(app.uow(), made.token, now=NOW)
    found = invitations.guest(app.uow, session, now=NOW)
    assert found is not None
    return found


def _agreed(app: App) -> tuple[int, Guest]:
    repair_id = _repair(app)
    ground.set_agreement(app.uow(), repair_id, now=NOW, channel="Chat first", frequency="Weekly")
    return repair_id, _guest(app, repair_id)


def test_both_sides_comment_and_both_see_every_comment(app: App) -> None:
    repair_id, guest = _agreed(app)
    signing.their_comment(app.uow(), guest, text="  Could we meet on Tuesdays?  ", now=NOW)
    signing.comment(app.uow(), repair_id, text="Tuesdays work.", now=NOW, name="Sam")
    mine = signing.status(app.uow(write=False), repair_id)
    theirs = signing.status_for(app.uow(write=False), guest)
    assert mine is not None and theirs == mine
    assert [(c.author, c.text, c.by_owner) for c in mine.comments] == [
        ("Priya", "Could we meet on Tuesdays?", False),
        ("Sam", "Tuesdays work.", True),
    ]
    assert {c.agreement_id for c in mine.comments} == {mine.agreement_id}


def test_signed_by_both_is_locked_and_a_change_needs_both_again(app: App) -> None:
    repair_id, guest = _agreed(app)
    first = signing.sign(app.uow(), repair_id, now=NOW, version=1)
    assert first.owner_signed and not first.locked
    both = signing.their_sign(app.uow(), guest, now=NOW + timedelta(hours=1), version=1)
    assert both.locked and [s.name for s in both.signatures] == [signing.OWNER_NAME, "Priya"]

    ground.set_agreement(app.uow(), repair_id, now=NOW + timedelta(days=1), frequency="Daily")
    changed = signing.status(app.uow(write=False), repair_id)
    assert changed is not None
    assert changed.version == 2 and not changed.signatures and not changed.locked
    with app.uow(write=False) as uow:
        old = next(a for a in uow.repairs.get(repair_id).agreements if a.version == 1)
        assert old.frequency == "Weekly"  # the locked version itself never changed

    signing.their_sign(app.uow(), guest, now=NOW + timedelta(days=2))
    again = signing.sign(app.uow(), repair_id, now=NOW + timedelta(days=2))
    assert again.version == 2 and again.locked


def test_signing_an_old_version_is_refused(app: App) -> None:
    repair_id, guest = _agreed(app)
    ground.set_agreement(app.uow(), repair_id, now=NOW, frequency="Daily")
    with pytest.raises(Conflict, match="not the current agreement") as caught:
        signing.their_sign(app.uow(), guest, now=NOW, version=1)
    assert caught.value.field == "version"
    with pytest.raises(Conflict):
        signing.sign(app.uow(), repair_id, now=NOW, version=1)
    status = signing.status(app.uow(write=False), repair_id)
    assert status is not None and not status.signatures


def test_signing_twice_changes_nothing(app: App) -> None:
    repair_id, guest = _agreed(app)
    signing.their_sign(app.uow(), guest, now=NOW)
    twice = signing.their_sign(app.uow(), guest, now=NOW + timedelta(hours=1))
    assert len(twice.signatures) == 1 and twice.signatures[0].signed_at == NOW
    signing.sign(app.uow(), repair_id, now=NOW)
    assert len(signing.sign(app.uow(), repair_id, now=NOW).signatures) == 2


def test_refusals(app: App) -> None:
    repair_id = _repair(app)
    guest = _guest(app, repair_id)
    assert signing.status(app.uow(write=False), repair_id) is None
    with pytest.raises(NotFound, match="no agreement"):
        signing.their_sign(app.uow(), guest, now=NOW)
    with pytest.raises(NotFound, match="no agreement"):
        signing.comment(app.uow(), repair_id, text="Hello", now=NOW)
    ground.set_agreement(app.uow(), repair_id, now=NOW, channel="Chat")
    with pytest.raises(InvalidInput) as caught:
        signing.their_comment(app.uow(), guest, text="   ", now=NOW)
    assert caught.value.field == "text"
    with pytest.raises(InvalidInput):
        signing.comment(app.uow(), repair_id, text="x" * 20_001, now=NOW)
    with pytest.raises(NotFound):
        signing.sign(app.uow(), 999_999, now=NOW)


def test_another_account_reaches_nothing(app_factory: Any) -> None:
    team = app_factory(team=True)
    ana = add_account(team, "ana@example.org")
    bo = add_account(team, "bo@example.org")
    as_ana = team.acting_as(ana.id)
    as_bo = team.acting_as(bo.id)
    repair_id, guest = _agreed(as_ana)
    signing.their_comment(as_ana.uow(), guest, text="Fine by me.", now=NOW)
    with pytest.raises(NotFound):
        signing.status(as_bo.uow(write=False), repair_id)
    with pytest.raises(NotFound):
        signing.comment(as_bo.uow(), repair_id, text="Sneaky", now=NOW)
    with pytest.raises(NotFound):
        signing.sign(as_bo.uow(), repair_id, now=NOW)
    status = signing.status(as_ana.uow(write=False), repair_id)
    assert status is not None and len(status.comments) == 1 and not status.signatures


def test_a_link_session_of_another_repair_sees_only_its_own(app: App) -> None:
    repair_id, guest = _agreed(app)
    other_id, other_guest = _agreed(app)
    signing.their_comment(app.uow(), other_guest, text="About the other one.", now=NOW)
    signing.their_sign(app.uow(), other_guest, now=NOW)
    mine = signing.status_for(app.uow(write=False), guest)
    assert mine is not None and not mine.comments and not mine.signatures
    view = shared.shared_view(app.uow(write=False), guest)
    assert view.agreement is not None
    assert other_id != repair_id
