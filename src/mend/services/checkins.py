"""Use cases for check-ins: scheduling, completing (and the next one), cancelling."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from mend.domain import checkins as cadence
from mend.domain import trust
from mend.domain.model import CheckIn, Repair
from mend.domain.validation import check_cadence, clean_text
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services.interactions import require_active
from mend.services.mail import checkins as mail_checkins
from mend.services.mail.notices import Mailing
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork


def schedule_check_in(
    uow: UnitOfWork,
    repair_id: int,
    *,
    at: datetime,
    now: datetime,
    cadence_days: int | None = None,
    note: str = "",
) -> CheckIn:
    if at < now:
        raise InvalidInput("A check-in must be scheduled in the future.", field="at")
    check_cadence(cadence_days)
    with uow:
        repair = uow.repairs.get(repair_id)
        require_active(repair)
        check_in = CheckIn(
            scheduled_at=at,
            created_at=now,
            cadence_days=cadence_days,
            note=clean_text(note, "note"),
        )
        repair.check_ins.append(check_in)
        refresh(repair, now)
        uow.commit()
    return check_in


def complete_check_in(
    uow: UnitOfWork,
    repair_id: int,
    check_in_id: int,
    *,
    outcome: str,
    now: datetime,
    note: str = "",
    adapt_cadence: bool = True,
) -> tuple[CheckIn, CheckIn | None]:
    """Complete a check-in; a recurring one schedules its successor.

    With ``adapt_cadence`` the successor's spacing follows trust: closer together while
    trust is low, further apart as it recovers.
    """
    with uow:
        repair = uow.repairs.get(repair_id)
        check_in = find_check_in(repair, check_in_id)
        if not check_in.is_open:
            raise Conflict(f"Check-in {check_in_id} is already completed or cancelled.")
        check_in.completed_at = now
        check_in.outcome = clean_text(outcome, "outcome", required=True)
        if note:
            check_in.note = clean_text(note, "note")
        successor = None
        if check_in.cadence_days and repair.is_active:
            days = check_in.cadence_days
            if adapt_cadence:
                value = trust.trust_for(repair, now).value
                days = cadence.suggest_cadence_days(value, repair.status)
            successor = CheckIn(
                scheduled_at=cadence.next_check_in_at(now, days),
                created_at=now,
                cadence_days=days,
            )
            repair.check_ins.append(successor)
        refresh(repair, now)
        uow.commit()
    return check_in, successor


def cancel_check_in(
    uow: UnitOfWork,
    repair_id: int,
    check_in_id: int,
    *,
    now: datetime,
    mailing: Mailing | None = None,
    tz: tzinfo = UTC,
) -> CheckIn:
    """Call a check-in off; with ``mailing``, whoever was mailed its calendar invitation
    gets the cancellation (times in the mail shown in ``tz``)."""
    with uow:
        repair = uow.repairs.get(repair_id)
        check_in = find_check_in(repair, check_in_id)
        if not check_in.is_open:
            raise Conflict(f"Check-in {check_in_id} is already completed or cancelled.")
        check_in.cancelled = True
        refresh(repair, now)
        if mailing is not None:
            mail_checkins.cancelled(uow, mailing, repair, check_in, now=now, tz=tz)
        uow.commit()
    return check_in


def find_check_in(repair: Repair, check_in_id: int) -> CheckIn:
    for check_in in repair.check_ins:
        if check_in.id == check_in_id:
            return check_in
    raise NotFound(f"Repair {repair.id} has no check-in {check_in_id}.", field="check_in")
