"""Use cases for opening a repair, editing what happened, and moving its status."""

from __future__ import annotations

from datetime import date, datetime

from mend.domain import playbook
from mend.domain.enums import RepairStatus, Step
from mend.domain.model import Repair, StatusChange
from mend.domain.validation import check_severity, clean_text, one_line, parse_choice
from mend.errors import InvalidInput
from mend.services.people import NewPerson
from mend.store.uow import UnitOfWork


def refresh(repair: Repair, now: datetime) -> list[Step]:
    """Re-evaluate the steps after any change; the first progress puts an open repair to work."""
    newly_done = playbook.sync_steps(repair, now)
    if repair.status == RepairStatus.OPEN and any(
        record.state.value != "pending" for record in repair.steps
    ):
        repair.change_status(RepairStatus.IN_PROGRESS, now, "Work on the steps has begun.")
    return newly_done


def open_repair(
    uow: UnitOfWork,
    *,
    person: str | NewPerson,
    title: str,
    what_happened: str,
    occurred_on: date | None = None,
    my_part: str = "",
    impact: str = "",
    severity: int = 3,
    now: datetime,
) -> Repair:
    """Open a repair with ``person`` (an id or name, or a :class:`NewPerson` to add too)."""
    if occurred_on is not None and occurred_on > now.date():
        raise InvalidInput(
            f"The date it happened ({occurred_on.isoformat()}) is in the future.",
            field="occurred_on",
        )
    check_severity(severity)  # before looking anyone up: the value alone is wrong
    with uow:
        if isinstance(person, NewPerson):  # someone new, saved with the repair or not at all
            who = person.entity()
            uow.people.add(who)
            uow.session.flush()
        else:
            who = uow.people.find(person)
        assert who.id is not None
        repair = Repair(
            person_id=who.id,
            title=one_line(title, "title", required=True),
            what_happened=clean_text(what_happened, "what_happened", required=True),
            occurred_on=occurred_on,
            my_part=clean_text(my_part, "my_part"),
            impact=clean_text(impact, "impact"),
            severity=check_severity(severity),
            opened_at=now,
        )
        repair.status_changes.append(
            StatusChange(from_status=None, to_status=RepairStatus.OPEN, at=now, reason="Opened.")
        )
        for step in Step:
            repair.step(step)
        refresh(repair, now)
        uow.repairs.add(repair)
        uow.commit()
    return repair


def update_repair(
    uow: UnitOfWork,
    repair_id: int,
    *,
    now: datetime,
    title: str | None = None,
    what_happened: str | None = None,
    occurred_on: date | None = None,
    my_part: str | None = None,
    impact: str | None = None,
    severity: int | None = None,
) -> Repair:
    with uow:
        repair = uow.repairs.get(repair_id)
        if title is not None:
            repair.title = one_line(title, "title", required=True)
        if what_happened is not None:
            repair.what_happened = clean_text(what_happened, "what_happened", required=True)
        if occurred_on is not None:
            repair.occurred_on = occurred_on
        if my_part is not None:
            repair.my_part = clean_text(my_part, "my_part")
        if impact is not None:
            repair.impact = clean_text(impact, "impact")
        if severity is not None:
            repair.severity = check_severity(severity)
        refresh(repair, now)
        uow.commit()
    return repair


def change_status(
    uow: UnitOfWork,
    repair_id: int,
    *,
    to: str | RepairStatus,
    reason: str,
    now: datetime,
) -> Repair:
    target = parse_choice(RepairStatus, to, "status")
    why = clean_text(reason, "reason", required=True)
    with uow:
        repair = uow.repairs.get(repair_id)
        repair.change_status(target, now, why)
        uow.commit()
    return repair


def require_repair(uow: UnitOfWork, repair_id: int) -> None:
    """NotFound unless the repair exists, without loading it (for checks on every keystroke)."""
    with uow:
        uow.repairs.require(repair_id)


def get_repair(uow: UnitOfWork, repair_id: int) -> Repair:
    with uow:
        return uow.repairs.get(repair_id)


def delete_repair(uow: UnitOfWork, repair_id: int) -> Repair:
    with uow:
        repair = uow.repairs.get(repair_id)
        uow.repairs.delete(repair)
        uow.commit()
    return repair


def repairs_for(uow: UnitOfWork, person_id: int) -> list[Repair]:
    with uow:
        return list(uow.repairs.for_person(person_id))
