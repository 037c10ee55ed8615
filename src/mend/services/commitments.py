"""Use cases for commitments: promising, and recording what became of each occurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from mend.dates import format_local
from mend.domain import commitments as rules
from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.model import Commitment, Occurrence, Repair
from mend.domain.recurrence import parse_recurrence, parse_rule
from mend.domain.validation import clean_text, parse_choice
from mend.errors import Conflict, InvalidInput, NotFound
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork

#: A due time this far in the past is taken as a typing slip rather than a plan.
PAST_SLACK = timedelta(hours=1)
#: A promise "by the 15th" or "every Friday" falls due at the end of that working day.
DUE_HOUR = 17


def end_of_working_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(DUE_HOUR), tz)


def first_due(rule: str, now: datetime, tz: tzinfo) -> datetime:
    """When a repeating promise first falls due: the end of the first working day from
    ``now`` on that the rule names ("every Friday" said on a Sunday: next Friday)."""
    parsed = parse_rule(parse_recurrence(rule))
    today = now.astimezone(tz).date()
    for offset in range(8):
        due = end_of_working_day(today + timedelta(days=offset), tz)
        if due > now and (not parsed.byday or due.weekday() in parsed.byday):
            return due
    raise AssertionError(f"{rule} names no day of the week")  # BYDAY always names one


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
    tz: tzinfo = UTC,
) -> Commitment:
    """Record a promise; a repeating one without a start first falls due on the first day
    its rule names (at the end of the working day)."""
    if recurrence and due_at is None:
        due_at = first_due(recurrence, now, tz)
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
    tz: tzinfo = UTC,
) -> Occurrence:
    """Record an occurrence as kept, late or missed.

    With ``due_at``, the occurrence due that day (in ``tz``), even one still ahead: a
    promise can be kept early. Without it, the oldest occurrence still pending that is
    already due; for a one-off its only occurrence; for a repeating promise, one due later
    today. Anything else is refused with the day the next one falls due.
    """
    outcome = parse_choice(OccurrenceStatus, status, "status")
    with uow:
        repair = uow.repairs.get(repair_id)
        commitment = find_commitment(repair, commitment_id)
        rules.materialize(commitment, now)
        occurrence = _pick_occurrence(commitment, due_at, now, tz)
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


def _pick_occurrence(
    commitment: Commitment, due_at: datetime | None, now: datetime, tz: tzinfo
) -> Occurrence:
    if due_at is not None:
        day = due_at.astimezone(tz).date()
        end_of_day = datetime.combine(day + timedelta(days=1), time(), tz)
        if end_of_day > now:  # a day still ahead: fill in what falls due by then
            rules.materialize(commitment, end_of_day - timedelta(microseconds=1))
        for occurrence in commitment.occurrences:
            if occurrence.due_at.astimezone(tz).date() == day:
                return occurrence
        raise NotFound(
            f"Commitment {commitment.id} has nothing due on {day.isoformat()}"
            + _next_due_hint(commitment, now, tz)
            + ".",
            field="due_at",
        )
    pending = [o for o in commitment.occurrences if o.status == OccurrenceStatus.PENDING]
    due = [o for o in pending if o.due_at <= now]
    if due:
        return due[0]
    if not commitment.is_recurring and commitment.occurrences:
        # A one-off can be recorded early: kept ahead of time is still kept.
        return commitment.occurrences[0]
    following = rules.next_due_time(commitment, now)
    if following is not None and following.astimezone(tz).date() == now.astimezone(tz).date():
        added = rules.materialize(commitment, following)
        return next(o for o in [*pending, *added] if o.due_at == following)
    if following is None:
        raise Conflict(f"Commitment {commitment.id} has nothing left to record.")
    when = format_local(following, tz)
    raise Conflict(
        f"Nothing of commitment {commitment.id} is due yet: the next is {when}. Record it "
        f"then, or name the day to record it early (--due {following.astimezone(tz).date()})."
    )


def _next_due_hint(commitment: Commitment, now: datetime, tz: tzinfo) -> str:
    following = rules.next_due_time(commitment, now)
    return f"; the next is {format_local(following, tz)}" if following else ""


def similar_commitment(
    uow: UnitOfWork, repair_id: int, description: str, *, exclude: int | None = None
) -> Commitment | None:
    """An active commitment of the repair that promises much the same (for a warning)."""
    with uow:
        repair = uow.repairs.get(repair_id)
        return rules.similar_commitment(description, repair.commitments, exclude=exclude)
