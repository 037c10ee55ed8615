"""Commitments and check-ins: promise, then mark each due time kept, late or missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.dates import parse_when
from mend.domain import commitments as rules
from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.model import Commitment, Occurrence, Repair
from mend.domain.recurrence import describe
from mend.domain.trust import trust_for
from mend.errors import InvalidInput, MendError, NotFound
from mend.services import checkins, commitments, overview
from mend.web.pages.common import form, mailing, mend, opt, redirect, render
from mend.web.pages.repairctx import load, render_repair_page, submit

router = APIRouter()

OUTCOMES = ("kept", "late", "missed")
#: How many past due times a recurring commitment lists before "and N earlier".
HISTORY_ROWS = 12
_STAMP = "%Y%m%dT%H%MZ"

COMMITMENT_FIELDS = {
    "description": "title",
    "owner": "owner",
    "due_at": "due",
    "recurrence": "every",
    "due date": "due",
    "ends_at": "due",
}
DONE_FIELDS = {"outcome": "outcome", "note": "note"}
CHECKIN_FIELDS = {"check-in time": "at", "at": "at", "cadence_days": "every_days", "note": "note"}


# --- commitments --------------------------------------------------------------------


@dataclass(frozen=True)
class OccurrenceRow:
    """One due time of a commitment as a table row, with where its buttons post."""

    repair_id: int
    commitment_id: int
    occurrence_id: int | None
    due_at: datetime
    status: OccurrenceStatus
    recorded_at: datetime | None
    note: str
    recordable: bool

    @property
    def key(self) -> str:
        return f"{self.commitment_id}-{self.due_at.astimezone(UTC).strftime(_STAMP)}"

    def action(self, outcome: str) -> str:
        if self.occurrence_id is not None:
            return f"/repairs/{self.repair_id}/occurrences/{self.occurrence_id}/{outcome}"
        stamp = self.due_at.astimezone(UTC).strftime(_STAMP)
        return f"/repairs/{self.repair_id}/commitments/{self.commitment_id}/due/{stamp}/{outcome}"


@dataclass(frozen=True)
class CommitmentCard:
    commitment: Commitment
    schedule: str
    rows: list[OccurrenceRow]
    earlier: int
    next_due: datetime | None
    counts: dict[str, int]

    @property
    def ended(self) -> bool:
        return not self.commitment.active


def _row(repair_id: int, commitment: Commitment, occ: Occurrence, now: datetime) -> OccurrenceRow:
    assert commitment.id is not None
    return OccurrenceRow(
        repair_id=repair_id,
        commitment_id=commitment.id,
        occurrence_id=occ.id,
        due_at=occ.due_at,
        status=occ.status,
        recorded_at=occ.recorded_at,
        note=occ.note,
        recordable=occ.due_at <= now or not commitment.is_recurring,
    )


def _schedule(commitment: Commitment) -> str:
    if commitment.recurrence:
        try:
            text = describe(commitment.recurrence)
            return text[:1].upper() + text[1:]
        except MendError:
            return commitment.recurrence
    return "Once"


def _card(repair: Repair, commitment: Commitment, now: datetime) -> CommitmentCard:
    assert repair.id is not None
    rows = [_row(repair.id, commitment, o, now) for o in commitment.occurrences]
    rows.sort(key=lambda r: r.due_at, reverse=True)
    counts = {k: sum(1 for r in rows if r.status.value == k) for k in OUTCOMES}
    next_due = None
    if commitment.is_recurring and commitment.active:
        stored = [r.due_at for r in rows if r.status == OccurrenceStatus.PENDING]
        upcoming = [d for d in [*stored, *rules.missing_due_times(commitment, now, 62)] if d > now]
        next_due = min(upcoming, default=None)
        rows = [r for r in rows if r.recordable]
    shown = rows[:HISTORY_ROWS]
    return CommitmentCard(
        commitment=commitment,
        schedule=_schedule(commitment),
        rows=shown,
        earlier=len(rows) - len(shown),
        next_due=next_due,
        counts=counts,
    )


def _commitments_page(
    request: Request,
    repair_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    app = mend(request)
    now = app.now()
    view = overview.repair_view(app.uow(write=False), repair_id, now=now, tz=app.tz)
    cards = [_card(view.repair, c, now) for c in view.repair.commitments]
    cards.sort(key=lambda c: (c.ended, c.commitment.created_at))
    return render_repair_page(
        request,
        "commitments.html",
        repair=view.repair,
        person=view.person,
        section="commitments",
        status_code=status_code,
        cards=cards,
        trust=view.trust,
        now=now,
        owners=[(p.value, _owner_label(p, view.person.name)) for p in Party],
        outcomes=OUTCOMES,
        errors=errors or {},
        values=values or {},
    )


def _owner_label(party: Party, name: str) -> str:
    return {Party.ME: "Me", Party.THEM: name, Party.BOTH: "Both of us"}[party]


@router.get("/repairs/{repair_id}/commitments", response_class=HTMLResponse)
def commitments_page(request: Request, repair_id: int) -> Response:
    return _commitments_page(request, repair_id)


@router.post("/repairs/{repair_id}/commitments")
async def add_commitment(request: Request, repair_id: int) -> Response:
    app = mend(request)
    now = app.now()

    def save(data: dict[str, str]) -> str:
        due = opt(data, "due")
        if due is None and opt(data, "every") is None:
            raise InvalidInput(
                "Say when it is due, or how often it repeats (or both).", field="due date"
            )
        commitment = commitments.record_commitment(
            app.uow(),
            repair_id,
            description=data.get("title", ""),
            owner=data.get("owner") or Party.ME,
            due_at=parse_when(due, now=now, tz=app.tz, field="due date") if due else None,
            recurrence=opt(data, "every"),
            now=now,
            tz=app.tz,
        )
        return f"/repairs/{repair_id}/commitments#commitment-{commitment.id}"

    page = partial(_commitments_page, request, repair_id)
    return await submit(request, save, page, fallback="title", names=COMMITMENT_FIELDS)


@router.post("/repairs/{repair_id}/commitments/{commitment_id}/cancel")
async def cancel_commitment(request: Request, repair_id: int, commitment_id: int) -> Response:
    await form(request)
    app = mend(request)
    commitments.cancel_commitment(app.uow(), repair_id, commitment_id, now=app.now())
    return redirect(f"/repairs/{repair_id}/commitments#commitment-{commitment_id}")


def _outcome(value: str) -> str:
    if value not in OUTCOMES:
        raise NotFound(f"An outcome is kept, late or missed, not {value!r}.", field="outcome")
    return value


async def _record(
    request: Request,
    repair_id: int,
    commitment_id: int,
    due_at: datetime,
    outcome: str,
) -> Response:
    await form(request)
    app = mend(request)
    now = app.now()
    occurrence = commitments.record_outcome(
        app.uow(), repair_id, commitment_id, status=outcome, due_at=due_at, now=now, tz=app.tz
    )
    if not request.headers.get("hx-request"):
        return redirect(f"/repairs/{repair_id}/commitments#commitment-{commitment_id}")
    repair, _ = load(app, repair_id)
    commitment = commitments.find_commitment(repair, commitment_id)
    return render(
        request,
        "partials/occurrence_swap.html",
        row=_row(repair_id, commitment, occurrence, now),
        card=_card(repair, commitment, now),
        trust=trust_for(repair, now),
        outcomes=OUTCOMES,
        just=True,
    )


@router.post("/repairs/{repair_id}/occurrences/{occurrence_id}/{outcome}")
async def record_occurrence(
    request: Request, repair_id: int, occurrence_id: int, outcome: str
) -> Response:
    _outcome(outcome)
    repair, _ = load(mend(request), repair_id)
    for commitment in repair.commitments:
        for occ in commitment.occurrences:
            if occ.id == occurrence_id and commitment.id is not None:
                return await _record(request, repair_id, commitment.id, occ.due_at, outcome)
    raise NotFound(
        f"Repair {repair_id} has nothing due with id {occurrence_id}.", field="occurrence"
    )


@router.post("/repairs/{repair_id}/commitments/{commitment_id}/due/{stamp}/{outcome}")
async def record_due_time(
    request: Request, repair_id: int, commitment_id: int, stamp: str, outcome: str
) -> Response:
    """Record a due time not stored yet (a repeat that came due since the last change)."""
    _outcome(outcome)
    try:
        due_at = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    except ValueError as exc:
        raise NotFound(f"{stamp!r} is not a due time.", field="due_at") from exc
    return await _record(request, repair_id, commitment_id, due_at, outcome)


# --- check-ins ------------------------------------------------------------------------


def _checkins_page(
    request: Request,
    repair_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    failed: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    app = mend(request)
    now = app.now()
    repair, person = load(app, repair_id)
    open_ones = sorted((c for c in repair.check_ins if c.is_open), key=lambda c: c.scheduled_at)
    past = sorted(
        (c for c in repair.check_ins if not c.is_open),
        key=lambda c: c.completed_at or c.scheduled_at,
        reverse=True,
    )
    return render_repair_page(
        request,
        "checkins.html",
        repair=repair,
        person=person,
        section="checkins",
        status_code=status_code,
        due=[c for c in open_ones if c.scheduled_at <= now],
        upcoming=[c for c in open_ones if c.scheduled_at > now],
        past=past,
        now=now,
        errors=errors or {},
        values=values or {},
        failed=failed,
    )


@router.get("/repairs/{repair_id}/checkins", response_class=HTMLResponse)
def checkins_page(request: Request, repair_id: int) -> Response:
    return _checkins_page(request, repair_id)


def _cadence(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise InvalidInput(
            f"Give the number of days between check-ins, e.g. 7 (got {raw!r}).",
            field="cadence_days",
        ) from exc


@router.post("/repairs/{repair_id}/checkins")
async def schedule_checkin(request: Request, repair_id: int) -> Response:
    app = mend(request)
    now = app.now()

    def save(data: dict[str, str]) -> str:
        check_in = checkins.schedule_check_in(
            app.uow(),
            repair_id,
            at=parse_when(data.get("at", ""), now=now, tz=app.tz, field="check-in time"),
            cadence_days=_cadence(opt(data, "every_days")),
            note=data.get("note", ""),
            now=now,
        )
        return f"/repairs/{repair_id}/checkins#checkin-{check_in.id}"

    page = partial(_checkins_page, request, repair_id)
    return await submit(request, save, page, fallback="at", names=CHECKIN_FIELDS)


@router.post("/repairs/{repair_id}/checkins/{check_in_id}/done")
async def complete_checkin(request: Request, repair_id: int, check_in_id: int) -> Response:
    app = mend(request)

    def save(data: dict[str, str]) -> str:
        checkins.complete_check_in(
            app.uow(),
            repair_id,
            check_in_id,
            outcome=data.get("outcome", ""),
            note=data.get("note", ""),
            now=app.now(),
        )
        return f"/repairs/{repair_id}/checkins#checkin-{check_in_id}"

    page = partial(_checkins_page, request, repair_id, failed=check_in_id)
    return await submit(request, save, page, fallback="outcome", names=DONE_FIELDS)


@router.post("/repairs/{repair_id}/checkins/{check_in_id}/cancel")
async def cancel_checkin(request: Request, repair_id: int, check_in_id: int) -> Response:
    await form(request)
    app = mend(request)
    checkins.cancel_check_in(
        app.uow(),
        repair_id,
        check_in_id,
        now=app.now(),
        mailing=mailing(request, app),
        tz=app.tz,
    )
    return redirect(f"/repairs/{repair_id}/checkins")
