"""Shared check-ins as calendar invitations: their identity (UID and SEQUENCE), the ICS
the other person gets by mail or downloads from their page, and the reminders.

A one-off check-in is its own event (``checkin-<id>``). A repeating check-in is
followed, once held, by the next one Mend schedules (a new row, its cadence perhaps
adapted to trust); to the other person's calendar the repair's repeating check-ins are
one series (``checkins-<repair id>``) whose SEQUENCE goes up with each successor, so the
calendar moves the series instead of stacking copies. Cancelling bumps it once more.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.exc import IntegrityError

from mend.dates import format_local
from mend.domain.model import CheckIn, Repair
from mend.errors import NotFound
from mend.services import reports
from mend.services.invitations import Guest, UowFactory
from mend.services.mail.notices import (
    Mailing,
    check_in_cancelled_mail,
    check_in_mail,
    owner_contact,
)
from mend.store.invitations import Invitation
from mend.store.uow import UnitOfWork

#: How far ahead of a check-in its reminder goes out.
REMIND_AHEAD = timedelta(hours=24)


def identity(repair: Repair, check_in: CheckIn) -> tuple[str, int]:
    """The UID and SEQUENCE of ``check_in`` in the other person's calendar."""
    cancelled = 1 if check_in.cancelled else 0
    if not check_in.cadence_days:
        return f"checkin-{check_in.id}@{reports.UID_DOMAIN}", cancelled
    series = sorted(c.id for c in repair.check_ins if c.cadence_days and c.id is not None)
    position = series.index(check_in.id) if check_in.id in series else 0
    return f"checkins-{repair.id}@{reports.UID_DOMAIN}", 2 * position + cancelled


def check_in_ics(
    uow: UnitOfWork,
    repair: Repair,
    check_in: CheckIn,
    invitation: Invitation,
    *,
    base_url: str,
    sender: str,
    now: datetime,
    method: str,
) -> bytes:
    """The ICS of one check-in for the person ``invitation`` invited (in ``uow``)."""
    uid, sequence = identity(repair, check_in)
    contact = owner_contact(uow) or ("Mend", sender)
    return reports.shared_check_in_ics(
        check_in,
        uid=uid,
        sequence=sequence,
        title=invitation.shared_title,
        organizer=contact,
        attendee=(invitation.their_name, invitation.email),
        link=base_url.rstrip("/") + "/shared",
        now=now,
        method=method,
    )


def _find(repair: Repair, check_in_id: int) -> CheckIn:
    for check_in in repair.check_ins:
        if check_in.id == check_in_id:
            return check_in
    raise NotFound("There is no such check-in here.", field="check_in")


def download(
    uow: UnitOfWork, guest: Guest, check_in_id: int, *, base_url: str, sender: str, now: datetime
) -> bytes:
    """The other person downloads a check-in of their repair from their page."""
    with uow:
        repair = uow.repairs.get(guest.repair_id)
        check_in = _find(repair, check_in_id if guest.invitation.shared("check_ins") else 0)
        return check_in_ics(
            uow,
            repair,
            check_in,
            guest.invitation,
            base_url=base_url,
            sender=sender,
            now=now,
            method="PUBLISH",
        )


def cancelled(
    uow: UnitOfWork,
    mailing: Mailing,
    repair: Repair,
    check_in: CheckIn,
    *,
    now: datetime,
    tz: tzinfo,
) -> None:
    """``check_in`` was just called off (in ``uow``): whoever was sent its invitation
    gets the cancellation (``METHOD:CANCEL``, the SEQUENCE bumped)."""
    assert repair.id is not None and check_in.id is not None
    for invitation_id in sorted(uow.outbox.reminded(check_in.id)):
        invitation = uow.invitations.get(repair.id, invitation_id)
        if (
            invitation is None
            or not invitation.is_live(now)
            or not invitation.email
            or not invitation.shared("check_ins")
        ):
            continue
        check_in_cancelled_mail(
            uow,
            mailing,
            invitation,
            when=_when(check_in.scheduled_at, tz),
            ics=_ics(uow, mailing, repair, check_in, invitation, now=now, method="CANCEL"),
            now=now,
        )


def _ics(
    uow: UnitOfWork,
    mailing: Mailing,
    repair: Repair,
    check_in: CheckIn,
    invitation: Invitation,
    *,
    now: datetime,
    method: str,
) -> str:
    """The calendar file a mail about ``check_in`` carries, as text."""
    ics = check_in_ics(
        uow,
        repair,
        check_in,
        invitation,
        base_url=mailing.base_url,
        sender=mailing.sender,
        now=now,
        method=method,
    )
    return ics.decode("utf-8")


def _when(moment: datetime, tz: tzinfo) -> str:
    zone = moment.astimezone(tz).tzname() or "UTC"
    return f"{format_local(moment, tz)} ({zone})"


def dedupe_key(check_in_id: int | None, scheduled_at: datetime, invitation_id: int) -> str:
    """One reminder per check-in, date and invitation: never twice."""
    return f"check_in:{check_in_id}:{scheduled_at:%Y%m%dT%H%M}:{invitation_id}"


def remind(uows: UowFactory, mailing: Mailing, *, now: datetime, tz: tzinfo) -> int:
    """Queue a reminder, with its calendar invitation, for each shared check-in due
    within :data:`REMIND_AHEAD` that has not had one; how many were queued."""
    with uows(write=False, account=None) as uow:
        found = uow.outbox.check_ins_between(now, now + REMIND_AHEAD, now)
        keys = [dedupe_key(d.check_in_id, d.scheduled_at, d.invitation_id) for d in found]
        # Most rounds find only check-ins reminded already: skip them without loading.
        done = uow.outbox.keys_among(keys)
    due = [d for d, key in zip(found, keys, strict=True) if key not in done]
    queued = 0
    for item in due:
        try:
            with uows(write=True, account=item.account_id) as uow:
                repair = uow.repairs.get(item.repair_id)
                check_in = _find(repair, item.check_in_id)
                invitation = uow.invitations.get(item.repair_id, item.invitation_id)
                if invitation is None:
                    continue
                key = dedupe_key(check_in.id, check_in.scheduled_at, invitation.id)
                if uow.outbox.has_key(key):
                    continue
                check_in_mail(
                    uow,
                    mailing,
                    invitation,
                    when=_when(check_in.scheduled_at, tz),
                    ics=_ics(uow, mailing, repair, check_in, invitation, now=now, method="REQUEST"),
                    dedupe_key=key,
                    now=now,
                )
                uow.commit()
                queued += 1
        except IntegrityError:
            continue  # another process queued this very reminder a moment ago
    return queued
