"""Read models across repairs: the status board, what is due, the next best action, trust.

``mend status`` must stay fast with a thousand repairs, so the board is built from
plain rows (SQLAlchemy Core) rather than loading every aggregate; the rules it applies
are the domain's own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from mend.domain import patience, playbook, recurrence, trust
from mend.domain.enums import (
    InteractionKind,
    OccurrenceStatus,
    Party,
    RepairStatus,
    Role,
    Step,
    StepState,
    Tension,
)
from mend.domain.model import ACTIVE_STATUSES, Person, Repair
from mend.domain.trust import Trend, TrustEstimate
from mend.store import tables as t
from mend.store.uow import UnitOfWork

#: The board looks at this much recent contact to apply the patience rules.
CONTACT_WINDOW = timedelta(days=21)
CONTACT_TAIL = 6


class Contact(NamedTuple):
    """The part of an interaction the patience rules read."""

    occurred_at: datetime
    kind: InteractionKind
    initiated_by: Party
    tension: Tension
    replied: bool | None
    forced: bool


@dataclass(frozen=True)
class DueItem:
    kind: str  # "commitment" or "check_in"
    repair_id: int
    item_id: int
    person: str
    label: str
    due_at: datetime
    owner: Party = Party.ME


@dataclass(frozen=True)
class StatusRow:
    repair_id: int
    title: str
    person: str
    role: Role
    status: RepairStatus
    severity: int
    steps: dict[Step, StepState]
    trust: TrustEstimate
    trend: Trend
    next_step: playbook.NextStep | None
    overdue: list[DueItem] = field(default_factory=list)
    due_soon: list[DueItem] = field(default_factory=list)

    @property
    def progress(self) -> int:
        return sum(1 for s in self.steps.values() if s != StepState.PENDING)


@dataclass(frozen=True)
class Agenda:
    overdue: list[DueItem]
    today: list[DueItem]
    this_week: list[DueItem]


@dataclass(frozen=True)
class Suggestion:
    """The single most useful thing to do now, and why."""

    repair_id: int
    person: str
    text: str
    why: str


def status_board(
    uow: UnitOfWork, *, now: datetime, tz: tzinfo, include_closed: bool = False
) -> list[StatusRow]:
    with uow:
        s = uow.session
        query = (
            select(
                t.repairs.c.id,
                t.repairs.c.title,
                t.repairs.c.status,
                t.repairs.c.severity,
                t.people.c.name,
                t.people.c.role,
            )
            .join(t.people, t.people.c.id == t.repairs.c.person_id)
            .order_by(t.repairs.c.id)
        )
        if not include_closed:
            query = query.where(t.repairs.c.status.in_([x.value for x in ACTIVE_STATUSES]))
        heads = s.execute(query).all()
        ids = [h.id for h in heads]
        steps = _steps(s, ids)
        events = _trust_events(s, ids)
        contacts = _recent_contacts(s, ids, now)
        agenda = _due_items(s, ids, now, tz, horizon=_week_end(now, tz))
    rows = []
    for head in heads:
        evs = events.get(head.id, [])
        estimate = trust.estimate(evs, now)
        trajectory = trust.weekly_trajectory(evs, now - timedelta(weeks=4), now)
        states = steps.get(head.id, {})
        verdict = patience.check_outreach(contacts.get(head.id, []), now, tz=tz)  # type: ignore[arg-type]
        due = agenda.get(head.id, [])
        rows.append(
            StatusRow(
                repair_id=head.id,
                title=head.title,
                person=head.name,
                role=head.role,
                status=head.status,
                severity=head.severity,
                steps=states,
                trust=estimate,
                trend=trust.trend(trajectory),
                next_step=playbook.next_step_from_states(states, verdict),
                overdue=[d for d in due if d.due_at < now],
                due_soon=[d for d in due if d.due_at >= now],
            )
        )
    return rows


def agenda(uow: UnitOfWork, *, now: datetime, tz: tzinfo, days: int = 7) -> Agenda:
    """What is overdue, due today and due in the coming days across active repairs."""
    with uow:
        s = uow.session
        ids = list(
            s.scalars(
                select(t.repairs.c.id).where(
                    t.repairs.c.status.in_([x.value for x in ACTIVE_STATUSES])
                )
            )
        )
        items = [
            i
            for group in _due_items(s, ids, now, tz, now + timedelta(days=days)).values()
            for i in group
        ]
    end_of_today = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(), tz)
    items.sort(key=lambda i: i.due_at)
    return Agenda(
        overdue=[i for i in items if i.due_at < now],
        today=[i for i in items if now <= i.due_at < end_of_today],
        this_week=[i for i in items if i.due_at >= end_of_today],
    )


def best_next(rows: Sequence[StatusRow], now: datetime) -> Suggestion | None:
    """Overdue promises first, then check-ins due today, then the most serious next step."""
    overdue = sorted(
        ((d, r) for r in rows for d in r.overdue if d.owner != Party.THEM),
        key=lambda pair: (pair[0].due_at, -pair[1].severity),
    )
    if overdue:
        item, row = overdue[0]
        late = (now - item.due_at).days
        return Suggestion(
            row.repair_id,
            row.person,
            f"{item.label} (due {'today' if late == 0 else f'{late} day(s) ago'})",
            "Keeping promises is what rebuilds trust, and this one is overdue. Do it, or "
            "tell them honestly when it will happen, then record it.",
        )
    soon = sorted(
        ((d, r) for r in rows for d in r.due_soon if d.due_at < now + timedelta(days=1)),
        key=lambda pair: pair[0].due_at,
    )
    if soon:
        item, row = soon[0]
        return Suggestion(
            row.repair_id,
            row.person,
            item.label,
            "It is due within a day; being on time is part of being consistent.",
        )
    candidates = [r for r in rows if r.next_step is not None and r.next_step.blocked_until is None]
    if candidates:
        row = max(candidates, key=lambda r: (r.severity, -r.progress, -r.repair_id))
        assert row.next_step is not None
        title = playbook.guide(row.next_step.step).title
        return Suggestion(
            row.repair_id, row.person, f"{title} with {row.person}", row.next_step.why
        )
    waiting = [r for r in rows if r.next_step is not None]
    if waiting:
        row = min(waiting, key=lambda r: r.next_step.blocked_until or now)  # type: ignore[union-attr]
        assert row.next_step is not None
        return Suggestion(row.repair_id, row.person, "Give it time", row.next_step.why)
    return None


@dataclass(frozen=True)
class TrustReport:
    repair_id: int
    estimate: trust.TrustEstimate
    trend: trust.Trend
    trajectory: list[tuple[date, trust.TrustEstimate]]
    movers: list[tuple[trust.TrustEvent, float]]
    params: trust.TrustParams


def trust_report(uow: UnitOfWork, repair_id: int, *, now: datetime, weeks: int = 12) -> TrustReport:
    with uow:
        repair = uow.repairs.get(repair_id)
        events = trust.events_from(repair)
        start = max(repair.opened_at, now - timedelta(weeks=weeks))
    trajectory = trust.weekly_trajectory(events, start, now)
    return TrustReport(
        repair_id=repair_id,
        estimate=trust.estimate(events, now),
        trend=trust.trend(trajectory[-5:]),
        trajectory=trajectory,
        movers=trust.movers(events, now),
        params=trust.DEFAULT_PARAMS,
    )


@dataclass(frozen=True)
class RepairView:
    """One repair with everything a detail page shows."""

    repair: Repair
    person: Person
    checks: dict[Step, playbook.StepCheck]
    next_step: playbook.NextStep | None
    verdict: patience.PatienceVerdict
    trust: trust.TrustEstimate


def repair_view(uow: UnitOfWork, repair_id: int, *, now: datetime, tz: tzinfo) -> RepairView:
    with uow:
        repair = uow.repairs.get(repair_id)
        person = uow.people.get(repair.person_id)
        with uow.session.no_autoflush:
            for commitment in repair.commitments:
                # Shown, not saved: a read never writes (the transaction rolls back).
                from mend.domain.commitments import materialize

                materialize(commitment, now)
            playbook.sync_steps(repair, now)
        view = RepairView(
            repair=repair,
            person=person,
            checks=playbook.evaluate(repair, now),
            next_step=playbook.next_step(repair, now, tz=tz),
            verdict=patience.check_outreach(repair.interactions, now, tz=tz),
            trust=trust.trust_for(repair, now),
        )
        uow.session.expunge_all()
    return view


# --- plain-row queries -------------------------------------------------------------


def _in(column, ids: list[int]):  # type: ignore[no-untyped-def]
    return column.in_(ids) if len(ids) < 30_000 else column.isnot(None)


def _steps(s, ids: list[int]) -> dict[int, dict[Step, StepState]]:  # type: ignore[no-untyped-def]
    out: dict[int, dict[Step, StepState]] = defaultdict(dict)
    rows = s.execute(
        select(t.steps.c.repair_id, t.steps.c.step, t.steps.c.state).where(
            _in(t.steps.c.repair_id, ids)
        )
    )
    for repair_id, step, state in rows:
        out[repair_id][step] = state
    return {
        rid: {st: states.get(st, StepState.PENDING) for st in Step} for rid, states in out.items()
    }


def _trust_events(s, ids: list[int]) -> dict[int, list[trust.TrustEvent]]:  # type: ignore[no-untyped-def]
    rows = s.execute(
        select(
            t.commitments.c.repair_id,
            t.commitments.c.id,
            t.commitments.c.description,
            t.occurrences.c.status,
            t.occurrences.c.recorded_at,
            t.occurrences.c.due_at,
        )
        .join(t.occurrences, t.occurrences.c.commitment_id == t.commitments.c.id)
        .where(
            _in(t.commitments.c.repair_id, ids),
            t.commitments.c.owner.in_([Party.ME.value, Party.BOTH.value]),
            t.occurrences.c.status != OccurrenceStatus.PENDING.value,
        )
    )
    out: dict[int, list[trust.TrustEvent]] = defaultdict(list)
    for repair_id, commitment_id, description, status, recorded_at, due_at in rows:
        out[repair_id].append(
            trust.event_for(status, recorded_at or due_at, description, due_at, commitment_id)
        )
    for events in out.values():
        events.sort(key=lambda e: e.at)
    return out


def _recent_contacts(s, ids: list[int], now: datetime) -> dict[int, list[Contact]]:  # type: ignore[no-untyped-def]
    i = t.interactions.c
    rank = func.row_number().over(partition_by=i.repair_id, order_by=i.occurred_at.desc())
    inner = (
        select(
            i.repair_id,
            i.occurred_at,
            i.kind,
            i.initiated_by,
            i.tension,
            i.replied,
            i.forced,
            rank.label("rank"),
        )
        .where(_in(i.repair_id, ids))
        .subquery()
    )
    rows = s.execute(
        select(inner).where(
            or_(inner.c.rank <= CONTACT_TAIL, inner.c.occurred_at >= now - CONTACT_WINDOW)
        )
    )
    out: dict[int, list[Contact]] = defaultdict(list)
    for row in rows:
        out[row.repair_id].append(
            Contact(
                row.occurred_at, row.kind, row.initiated_by, row.tension, row.replied, row.forced
            )
        )
    for contacts in out.values():
        contacts.sort(key=lambda c: c.occurred_at)
    return out


def _week_end(now: datetime, tz: tzinfo) -> datetime:
    local = now.astimezone(tz).date()
    return datetime.combine(local + timedelta(days=7 - local.weekday()), time(), tz)


def _due_items(
    s: Session, ids: list[int], now: datetime, tz: tzinfo, horizon: datetime
) -> dict[int, list[DueItem]]:
    out: dict[int, list[DueItem]] = defaultdict(list)
    names = dict(
        s.execute(
            select(t.repairs.c.id, t.people.c.name)
            .join(t.people, t.people.c.id == t.repairs.c.person_id)
            .where(_in(t.repairs.c.id, ids))
        ).all()
    )
    c, o = t.commitments.c, t.occurrences.c
    stored = s.execute(
        select(c.repair_id, c.id, c.description, c.owner, o.due_at)
        .join(t.occurrences, o.commitment_id == c.id)
        .where(
            _in(c.repair_id, ids),
            c.active.is_(True),
            o.status == OccurrenceStatus.PENDING.value,
            o.due_at < horizon,
        )
    ).all()
    seen = set()
    for repair_id, cid, description, owner, due_at in stored:
        seen.add((cid, due_at))
        out[repair_id].append(
            DueItem(
                "commitment",
                repair_id,
                cid,
                names[repair_id],
                _commitment_label(description, owner),
                due_at,
                owner,
            )
        )
    # Recurring promises fall due whether or not anyone has opened Mend since.
    recurring = s.execute(
        select(
            c.repair_id,
            c.id,
            c.description,
            c.owner,
            c.recurrence,
            c.due_at,
            c.created_at,
            c.ends_at,
            func.max(o.due_at),
        )
        .outerjoin(t.occurrences, o.commitment_id == c.id)
        .where(_in(c.repair_id, ids), c.active.is_(True), c.recurrence.isnot(None))
        .group_by(c.id)
    ).all()
    for repair_id, cid, description, owner, rule, due_at, created_at, ends_at, last in recurring:
        anchor = due_at or created_at
        start = (last + timedelta(seconds=1)) if last else anchor
        end = min(horizon, ends_at) if ends_at else horizon
        for when in recurrence.occurrences_between(rule, anchor, start, end):
            if (cid, when) not in seen:
                out[repair_id].append(
                    DueItem(
                        "commitment",
                        repair_id,
                        cid,
                        names[repair_id],
                        _commitment_label(description, owner),
                        when,
                        owner,
                    )
                )
    k = t.check_ins.c
    checkins = s.execute(
        select(k.repair_id, k.id, k.scheduled_at, k.note).where(
            _in(k.repair_id, ids),
            k.completed_at.is_(None),
            k.cancelled.is_(False),
            k.scheduled_at < horizon,
        )
    ).all()
    for repair_id, kid, at, note in checkins:
        label = f"Check-in with {names[repair_id]}" + (f": {note}" if note else "")
        out[repair_id].append(DueItem("check_in", repair_id, kid, names[repair_id], label, at))
    for items in out.values():
        items.sort(key=lambda d: d.due_at)
    return out


def _commitment_label(description: str, owner: Party) -> str:
    prefix = {Party.ME: "", Party.THEM: "Theirs: ", Party.BOTH: "Together: "}[owner]
    return prefix + description


__all__ = ["and_"]
