"""Read-only use cases that render documents: a repair report, the agreement, the calendar."""

from __future__ import annotations

from datetime import datetime, tzinfo

from mend.domain.enums import ACTIVE_STATUSES
from mend.errors import NotFound
from mend.services import reports
from mend.store.uow import UnitOfWork


def repair_document(uow: UnitOfWork, repair_id: int, *, now: datetime, tz: tzinfo) -> str:
    with uow:
        repair = uow.repairs.get(repair_id)
        return reports.repair_markdown(repair, uow.people.get(repair.person_id), tz=tz, now=now)


def agreement_document(uow: UnitOfWork, repair_id: int, *, tz: tzinfo) -> str:
    with uow:
        repair = uow.repairs.get(repair_id)
        if repair.agreement is None:
            raise NotFound(
                f"Repair {repair_id} has no agreement yet; write one with `mend agreement set`.",
                field="agreement",
            )
        return reports.agreement_markdown(repair, uow.people.get(repair.person_id), tz=tz)


def calendar_feed(uow: UnitOfWork, *, now: datetime) -> bytes:
    """Every active repair's open check-ins and pending due dates, as iCalendar."""
    with uow:
        repairs = uow.repairs.list(statuses=list(ACTIVE_STATUSES))
        people = {p.id: p for p in uow.people.list()}
        return reports.calendar_ics(((r, people[r.person_id]) for r in repairs), now=now)
