"""Use cases for commitments: promising, and recording what became of each occurrence."""

from __future__ import annotations

from datetime import datetime, timedelta

from mend.domain import commitments as rules
from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.model import Commitment, Occurrence, Repair
from mend.domain.recurrence import parse_recurrence
from mend.domain.validation import clean_text, parse_choice
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork

#: A due time this far in the past is taken as a typing slip rather than a plan.
PAST_SLACK = timedelta(hours=1)


def add_commitment(
    repair: Repair,
    *,
    description: str,
    owner: str | Party,
    now: datetime,
    due_at: datetime | None = None,
    recurrence: str | None = None,
    ends_at: datetime | None = None,
    source_draft_id: int | None = None,
) -> Commitment:
    """Validate and attach a commitment to ``repair`` (no transaction: callers own it)."""
    if due_at is None and not recurrence:
        raise InvalidInput(
            "A commitment needs a due date (--due) or a recurrence (--every).", field="due_at"
        )
    if due_at is not None and due_at < now - PAST_SLACK:
        raise InvalidInput(
            "The due date is in the past; a new commitment must be due from now on.",
            field="due_at",
        )
    rule = parse_recurrence(recurrence) if recurrence else None
    if ends_at is not None and ends_at <= (due_at or now):
        raise InvalidInput("The end date must come after the start.", field="ends_at")
    commitment = Commitment(
        description=clean_text(description, "description", required=True),
        owner=parse_choice(Party, owner, "owner"),
        created_at=now,
        due_at=due_at,
        recurrence=rule,
        ends_at=ends_at,
        source_draft_id=source_draft_id,
    )
    repair.commitments.append(commitment)
    rules.materialize(commitment, now)
    return commitment


def record_commitment(
    uow: UnitOfWork,
    repair_id: int,
    *,
    description: str,
    owner: str | Party = Party.ME,
    due_at: datetime | None = None,
    recurrence: str | None = None,
    ends_at: datetime | None = None,
    now: datetime,
) -> Commitment:
    with uow:
        repair = uow.repairs.get(repair_id)
        commitment = add_commitment(
            repair,
            description=description,
            owner=owner,
            due_at=due_at,
            recurrence=recurrence,
            ends_at=ends_at,
            now=now,
        )
        refresh(repair, now)
        uow.commit()
    return commitment


def record_outcome(
    uow: UnitOfWork,
    repair_id: int,
    commitment_id: int,
    *,
    status: str | OccurrenceStatus,
    now: datetime,
    due_at: datetime | None = None,
    note: str = "",
) -> Occurrence:
    """Record an occurrence as kept, late or missed.

    Without ``due_at`` it is the oldest occurrence still pending that is already due
    (or, for a one-off, its only occurrence).
    """
    outcome = parse_choice(OccurrenceStatus, status, "status")
    with uow:
        repair = uow.repairs.get(repair_id)
        commitment = find_commitment(repair, commitment_id)
        rules.materialize(commitment, now)
        occurrence = _pick_occurrence(commitment, due_at, now)
        rules.record(occurrence, outcome, now, clean_text(note, "note"))
        refresh(repair, now)
        uow.commit()
    return occurrence


def cancel_commitment(
    uow: UnitOfWork, repair_id: int, commitment_id: int, *, now: datetime
) -> Commitment:
    with uow:
        repair = uow.repairs.get(repair_id)
        commitment = find_commitment(repair, commitment_id)
        if not commitment.active:
            raise Conflict(f"Commitment {commitment_id} is already cancelled.")
        commitment.active = False
        commitment.ends_at = now
        refresh(repair, now)
        uow.commit()
    return commitment


def find_commitment(repair: Repair, commitment_id: int) -> Commitment:
    for commitment in repair.commitments:
        if commitment.id == commitment_id:
            return commitment
    raise NotFound(f"Repair {repair.id} has no commitment {commitment_id}.", field="commitment")


def _pick_occurrence(commitment: Commitment, due_at: datetime | None, now: datetime) -> Occurrence:
    if due_at is not None:
        for occurrence in commitment.occurrences:
            if occurrence.due_at.date() == due_at.date():
                return occurrence
        raise NotFound(
            f"Commitment {commitment.id} has nothing due on {due_at.date().isoformat()}.",
            field="due_at",
        )
    pending = [o for o in commitment.occurrences if o.status == OccurrenceStatus.PENDING]
    due = [o for o in pending if o.due_at <= now]
    if due:
        return due[0]
    if not commitment.is_recurring and commitment.occurrences:
        # A one-off can be recorded early: kept ahead of time is still kept.
        return commitment.occurrences[0]
    if pending:
        return pending[0]
    upcoming = rules.materialize(commitment, now, horizon_days=31)
    if upcoming:
        return upcoming[0]
    raise Conflict(f"Commitment {commitment.id} has nothing left to record.")
