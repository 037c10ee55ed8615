"""Read models across repairs: the status board, what is due, the next best action, trust.

``mend status`` must stay fast with a thousand repairs, so the board is built from
plain rows (SQLAlchemy Core) rather than loading every aggregate; the rules it applies
are the domain's own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, String, and_, case, cast, func, literal, or_, select, type_coerce

from mend.domain import patience, playbook, recurrence, trust
from mend.domain.commitments import LOOK_BACK
from mend.domain.enums import (
    ACTIVE_STATUSES,
    InteractionKind,
    OccurrenceStatus,
    Party,
    Step,
    StepState,
    Tension,
)
from mend.domain.model import Person, Repair
from mend.domain.pulse import Pulse, PulseSummary, in_span, summarize
from mend.domain.trust import TrustEstimate
from mend.domain.validation import VERDICTS
from mend.services.statusrows import (
    _KINDS,
    _LONG_AGO,
    _NO_STEPS,
    _PARTIES,
    _STATES,
    _STEPS,
    _TENSIONS,
    TREND_SPAN,
    Agenda,
    Contact,
    DueItem,
    StatusRow,
    Suggestion,
    _commitment_label,
    best_next,
    board_row,
    contacts_late,
    finish_agenda,
    finish_board,
    needing_ledgers,
    week_end,
)
from mend.store import tables as t
from mend.store.types import UTCDateTime
from mend.store.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection, Select

_SECONDS_PER_DAY = 86_400.0
_UNIX_EPOCH_JULIAN_DAY = 2_440_587.5  # SQLite's julianday('1970-01-01')


def status_board(
    uow: UnitOfWork,
    *,
    now: datetime,
    tz: tzinfo,
    include_closed: bool = False,
    history_weeks: int = 0,
) -> list[StatusRow]:
    """One row per repair, finished at ``now`` from its stored summary (store/board.py).

    The summaries hold what does not depend on the clock, kept current by every write;
    this read applies "now": trust decayed to it (and four weeks before it, for the
    trend), the patience rules, what falls due before the end of the week.
    """
    rows, _ = board_and_agenda(
        uow, now=now, tz=tz, include_closed=include_closed, history_weeks=history_weeks
    )
    return rows


def board_and_agenda(
    uow: UnitOfWork,
    *,
    now: datetime,
    tz: tzinfo,
    include_closed: bool = False,
    history_weeks: int = 0,
    days: int = 7,
) -> tuple[list[StatusRow], Agenda]:
    """The board and the agenda (of the active repairs) from one read of the rows."""
    with uow:
        s = uow.connection
        scope = uow.owner.repair_ids(active_only=not include_closed)
        heads, summaries, ledgers = _stored(s, scope)
        missing = [
            rid
            for rid in needing_ledgers(heads, summaries, now, history_weeks)
            if rid not in ledgers
        ]
        ledgers.update(_ledgers(s, missing))
        late_ids = contacts_late(heads, summaries, now)
        late = _recent_contacts(s, late_ids, len(late_ids), now) if late_ids else {}
    for rid in late_ids:
        late.setdefault(rid, [])
    rows = finish_board(
        heads, summaries, ledgers, late, now=now, tz=tz, history_weeks=history_weeks
    )
    active = [h for h in heads if h.status in ACTIVE_STATUSES]
    return rows, finish_agenda(active, summaries, now=now, tz=tz, days=days)


def rebuild_status(uow: UnitOfWork) -> int:
    """Rebuild every repair's stored status row (every account's) in one transaction;
    how many repairs there are. Writes keep the rows current; this is for after a
    change to the rules they were built with, or a database edited by other means."""
    from mend.store.board import rebuild_all

    with uow:
        count = rebuild_all(uow.connection)
        uow.commit()
    return count


def agenda(uow: UnitOfWork, *, now: datetime, tz: tzinfo, days: int = 7) -> Agenda:
    """What is overdue, due today and due in the coming days across active repairs."""
    with uow:
        heads, summaries, _ = _stored(uow.connection, uow.owner.repair_ids(active_only=True))
    return finish_agenda(heads, summaries, now=now, tz=tz, days=days)


def _stored(s, scope: Select[tuple[int]]):  # type: ignore[no-untyped-def]
    """The repairs in ``scope`` with their summaries (and the trust ledgers of any that
    had to be built here: a repair without a current row is summarised on the spot)."""
    from mend.store import board

    rs = t.repair_status.c
    heads = s.execute(
        select(
            t.repairs.c.id,
            t.repairs.c.title,
            t.repairs.c.status,
            t.repairs.c.severity,
            t.people.c.name,
            t.people.c.role,
            rs.format,
            rs.summary,
        )
        .join(t.people, t.people.c.id == t.repairs.c.person_id)
        .outerjoin(t.repair_status, rs.repair_id == t.repairs.c.id)
        .where(t.repairs.c.id.in_(scope))
        .order_by(t.repairs.c.id)
    ).all()
    loads = json.loads
    summaries = {h.id: loads(h.summary) for h in heads if h.format == board.FORMAT}
    ledgers: dict[int, list[list[Any]]] = {}
    stale = [h.id for h in heads if h.id not in summaries]
    if stale:
        for rid, (summary, ledger) in board.summarize(s, stale).items():
            summaries[rid], ledgers[rid] = summary, ledger
    return heads, summaries, ledgers


def _ledgers(s, repair_ids: list[int]) -> dict[int, list[list[Any]]]:  # type: ignore[no-untyped-def]
    if not repair_ids:
        return {}
    rs = t.repair_status.c
    rows = s.execute(select(rs.repair_id, rs.trust_ledger).where(rs.repair_id.in_(repair_ids)))
    return {rid: json.loads(text) for rid, text in rows}


def status_board_from_scratch(
    uow: UnitOfWork,
    *,
    now: datetime,
    tz: tzinfo,
    include_closed: bool = False,
    history_weeks: int = 0,
) -> list[StatusRow]:
    """The board computed from the whole history, from a handful of set-based queries
    (none per repair): what the stored rows must always equal (tests hold them to it).

    Trust is summed in the database (see ``_trust_trajectories``), so a board of a
    thousand repairs with fifty thousand recorded outcomes reads about five thousand
    rows, not fifty thousand.
    """
    # The trend compares trust exactly TREND_SPAN ago with now, so those are the only
    # two instants the board computes, unless ``history_weeks`` asks for every weekly
    # point too (the web board's small trend line).
    trend_from = (now.date(), now - TREND_SPAN)
    weekly = (
        trust.trajectory_instants(now - timedelta(weeks=history_weeks), now)
        if history_weeks
        else [(now.date(), now)]
    )
    instants = sorted({trend_from, *weekly}, key=lambda point: point[1])
    trend_index = instants.index(trend_from)
    in_history = [point in weekly for point in instants]
    with uow:
        s = uow.connection
        scope = uow.owner.repair_ids(active_only=not include_closed)
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
            .where(t.repairs.c.id.in_(scope))
            .order_by(t.repairs.c.id)
        )
        heads = s.execute(query).all()
        names = {h.id: h.name for h in heads}
        steps = _steps(s, scope)
        trajectories = _trust_trajectories(s, scope, now, instants)
        contacts = _recent_contacts(s, scope, len(heads), now)
        agenda = _due_items(s, scope, now, tz, horizon=week_end(now, tz), names=names)
    no_evidence = [(day, trust.from_evidence(0.0, 0.0, 0)) for day, _ in instants]
    rows = []
    for head in heads:
        trajectory = trajectories.get(head.id, no_evidence)
        states = steps.get(head.id, _NO_STEPS)
        verdict = patience.check_outreach(contacts.get(head.id, []), now, tz=tz)  # type: ignore[arg-type]
        due = agenda.get(head.id, [])
        rows.append(
            board_row(
                head,
                states,
                trajectory[-1][1],  # the last point is "now"
                trust.trend([trajectory[trend_index], trajectory[-1]]),
                tuple(e.value for (_, e), keep in zip(trajectory, in_history, strict=True) if keep)
                if history_weeks
                else (),
                verdict,
                due,
                now,
            )
        )
    return rows


def agenda_from_scratch(uow: UnitOfWork, *, now: datetime, tz: tzinfo, days: int = 7) -> Agenda:
    """The agenda computed from the whole history (what :func:`agenda` must equal)."""
    with uow:
        s = uow.connection
        items = [
            i
            for group in _due_items(
                s, uow.owner.repair_ids(active_only=True), now, tz, now + timedelta(days=days)
            ).values()
            for i in group
        ]
    end_of_today = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(), tz)
    items.sort(key=lambda i: (i.due_at, i.repair_id, i.kind, i.item_id))
    return Agenda(
        overdue=[i for i in items if i.due_at < now],
        today=[i for i in items if now <= i.due_at < end_of_today],
        this_week=[i for i in items if i.due_at >= end_of_today],
    )


@dataclass(frozen=True)
class TrustReport:
    repair_id: int
    estimate: trust.TrustEstimate
    #: Over the last four weeks (as on the board).
    trend: trust.Trend
    #: Both the whole story and the last four weeks, in words (see ``trust.summary``).
    summary: str
    trajectory: list[tuple[date, trust.TrustEstimate]]
    #: Every recorded event with its effect, the largest first.
    movers: list[tuple[trust.TrustEvent, float]]
    params: trust.TrustParams
    #: Where the other person's record differs from the user's, oldest first.
    gaps: list[trust.TrustEvent] = field(default_factory=list)
    #: Their "how are we doing?" answers over the span, oldest first, and in figures.
    pulses: list[Pulse] = field(default_factory=list)
    pulse: PulseSummary = field(default_factory=PulseSummary)
    #: Where the span starts (the chart's left edge).
    start: datetime | None = None


def trust_report(uow: UnitOfWork, repair_id: int, *, now: datetime, weeks: int = 12) -> TrustReport:
    with uow:
        repair = uow.repairs.get(repair_id)
        events = trust.events_from(repair)
        start = max(repair.opened_at, now - timedelta(weeks=weeks))
        answers = [
            Pulse(p.created_at, p.score or 0, p.author, p.text)
            for p in uow.invitations.pulses(repair_id)
        ]
    trajectory = trust.weekly_trajectory(events, start, now)
    estimate = trust.estimate(events, now)
    recent = trust.trend(
        [(now.date(), trust.estimate(events, now - TREND_SPAN)), (now.date(), estimate)]
    )
    return TrustReport(
        repair_id=repair_id,
        estimate=estimate,
        trend=recent,
        summary=trust.summary(
            estimate,
            recent,
            *trust.recent_story(events, now, recent),
            two_sided=trust.is_two_sided(events),
        ),
        trajectory=trajectory,
        movers=trust.movers(events, now),
        params=trust.DEFAULT_PARAMS,
        gaps=trust.gaps(events, now),
        pulses=in_span(answers, start, now),
        pulse=summarize(answers, start, now),
        start=start,
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
        return read_repair_view(uow, repair_id, now=now, tz=tz)


def read_repair_view(uow: UnitOfWork, repair_id: int, *, now: datetime, tz: tzinfo) -> RepairView:
    """``repair_view`` in the caller's (read) transaction; the entities come back detached."""
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


def _steps(s, scope: Select[tuple[int]]) -> dict[int, dict[Step, StepState]]:  # type: ignore[no-untyped-def]
    # Pending is the default, so only the other rows are read; the stored text is mapped
    # here (cheaper than the enum column type, row by row).
    out: dict[int, dict[Step, StepState]] = defaultdict(dict)
    rows = s.execute(
        select(
            t.steps.c.repair_id,
            type_coerce(t.steps.c.step, String),
            type_coerce(t.steps.c.state, String),
        ).where(t.steps.c.repair_id.in_(scope), t.steps.c.state != StepState.PENDING.value)
    )
    for repair_id, step, state in rows:
        out[repair_id][_STEPS[step]] = _STATES[state]
    return {
        rid: {st: states.get(st, StepState.PENDING) for st in Step} for rid, states in out.items()
    }


def _trust_trajectories(  # type: ignore[no-untyped-def]
    s, scope: Select[tuple[int]], now: datetime, instants: list[tuple[date, datetime]]
) -> dict[int, list[tuple[date, TrustEstimate]]]:
    """Each repair's trust at ``instants`` (the last one being ``now``), summed in SQL.

    The model's forgetting factor is exponential, so an event's weight at any instant
    ``T`` is its weight now divided by ``decay(T, now)``: the database sums each event's
    weight *now* once, per repair and per interval between instants, and the
    trajectory is the running total of those sums, rescaled per instant. The result
    equals ``trust.estimate`` on the same events (to rounding).

    The sums are linear, so the other person's verdicts come in as a second, small
    query (:func:`_verdict_corrections`) that changes only the occurrences they spoke
    about: the owner's records are summed as they are, at no extra cost.
    """
    params = trust.DEFAULT_PARAMS
    c, o = t.commitments.c, t.occurrences.c
    at = func.coalesce(o.recorded_at, o.due_at)
    weight_now = _weight_now(s, at, now, params)
    kinds = (OccurrenceStatus.KEPT, OccurrenceStatus.LATE, OccurrenceStatus.MISSED)
    positive = case(*((o.status == k.value, params.weights(k)[0]) for k in kinds), else_=0.0)
    negative = case(*((o.status == k.value, params.weights(k)[1]) for k in kinds), else_=0.0)
    rows = s.execute(
        select(
            c.repair_id,
            _interval(at, instants),
            func.sum(cast(positive, Float) * weight_now),
            func.sum(cast(negative, Float) * weight_now),
            func.count(),
        )
        .join(t.occurrences, o.commitment_id == c.id)
        .where(
            c.repair_id.in_(scope),
            c.owner.in_([Party.ME.value, Party.BOTH.value]),
            # Not "IN (kept, late, missed)": that would lead SQLite to the status index,
            # which picks nearly every row, one lookup at a time.
            o.status != OccurrenceStatus.PENDING.value,
            at <= now,
        )
        .group_by(c.repair_id, "interval")
    ).all()
    sums: dict[int, list[tuple[float, float, int]]] = defaultdict(
        lambda: [(0.0, 0.0, 0)] * len(instants)
    )
    for repair_id, index, r, s_, n in [*rows, *_verdict_corrections(s, scope, now, instants)]:
        old_r, old_s, old_n = sums[repair_id][index]
        sums[repair_id][index] = (old_r + (r or 0.0), old_s + (s_ or 0.0), old_n + n)
    rescale = [trust.decay(moment, now, params) for _, moment in instants]
    out = {}
    for repair_id, parts in sums.items():
        r = s_ = 0.0
        n = 0
        points = []
        for (day, _), (dr, ds, dn), factor in zip(instants, parts, rescale, strict=True):
            r, s_, n = r + dr, s_ + ds, n + dn
            points.append((day, trust.from_evidence(r / factor, s_ / factor, n)))
        out[repair_id] = points
    return out


def _weight_now(s, at: ColumnElement[datetime], now: datetime, params: trust.TrustParams):  # type: ignore[no-untyped-def]
    """SQL: how much an event at ``at`` counts at ``now`` (``trust.decay``)."""
    if s.dialect.name == "sqlite":
        now_julian = now.timestamp() / _SECONDS_PER_DAY + _UNIX_EPOCH_JULIAN_DAY
        age_days = literal(now_julian, Float) - func.julianday(at)
    else:
        age_days = func.date_part("epoch", literal(now, UTCDateTime) - at) / _SECONDS_PER_DAY
    return func.power(0.5, cast(age_days, Float) / params.half_life_days)


def _interval(at: ColumnElement[datetime], instants: list[tuple[date, datetime]]):  # type: ignore[no-untyped-def]
    """SQL: the index of the first instant at or after ``at`` (the last one: ``now``)."""
    return case(
        *((at <= moment, index) for index, (_, moment) in enumerate(instants[:-1])),
        else_=len(instants) - 1,
    ).label("interval")


def _verdict_corrections(  # type: ignore[no-untyped-def]
    s, scope: Select[tuple[int]], now: datetime, instants: list[tuple[date, datetime]]
) -> Sequence[tuple[int, int, float, float, int]]:
    """What the other person's verdicts change in the owner-only sums, per repair and
    interval: for each occurrence they spoke about, the evidence it counts as under the
    two-sided rule (``trust.counted_status``, at ``trust.counted_at``) minus what the
    owner's record alone added. Driven by their verdicts, which are few (people answer
    them by hand); with none, as on a computer of one, it reads nothing.
    """
    params = trust.DEFAULT_PARAMS
    c, o, v = t.commitments.c, t.occurrences.c, t.their_verdicts.c
    said = (
        select(
            v.occurrence_id,
            func.max(v.id).label("last_id"),
            func.min(v.created_at).label("first_at"),
        )
        # Read from the verdicts, not from every occurrence in scope: a lookup per
        # occurrence would cost the owner-only board time even with no verdict at all.
        .where(
            v.invitation_id.in_(
                select(t.invitations.c.id).where(t.invitations.c.repair_id.in_(scope))
            )
        )
        .group_by(v.occurrence_id)
        .subquery("said")
    )
    latest = t.their_verdicts.alias("latest_verdict")
    pending = o.status == OccurrenceStatus.PENDING.value
    at = case((pending, said.c.first_at), else_=func.coalesce(o.recorded_at, o.due_at))
    positive, negative = _verdict_deltas(o.status, latest.c.verdict, params)
    rows: Sequence[tuple[int, int, float, float, int]] = s.execute(
        select(
            c.repair_id,
            _interval(at, instants),
            func.sum(cast(positive, Float) * _weight_now(s, at, now, params)),
            func.sum(cast(negative, Float) * _weight_now(s, at, now, params)),
            # A pending occurrence they spoke about is a new event; a recorded one was
            # counted already.
            func.sum(case((pending, 1), else_=0)),
        )
        .select_from(
            said.join(t.occurrences, o.id == said.c.occurrence_id)
            .join(t.commitments, c.id == o.commitment_id)
            .join(latest, latest.c.id == said.c.last_id)
        )
        .where(
            c.repair_id.in_(scope),
            c.owner.in_([Party.ME.value, Party.BOTH.value]),
            at <= now,
        )
        .group_by(c.repair_id, "interval")
    ).all()
    return rows


def _verdict_deltas(  # type: ignore[no-untyped-def]
    mine, theirs, params: trust.TrustParams
) -> tuple[ColumnElement[float], ColumnElement[float]]:
    """SQL: (positive, negative) evidence a verdict adds to the owner's own record, written
    out from the domain's rule (``trust.counted_status``) for every pair of records, so
    the board and the trust page cannot disagree."""
    positive, negative = [], []
    for verdict in VERDICTS:
        for status in OccurrenceStatus:
            kind = trust.counted_status(status, verdict)
            own = trust.counted_status(status, None)
            with_verdict = params.weights(kind) if kind is not None else (0.0, 0.0)
            alone = params.weights(own) if own is not None else (0.0, 0.0)
            same = and_(mine == status.value, theirs == verdict)
            positive.append((same, with_verdict[0] - alone[0]))
            negative.append((same, with_verdict[1] - alone[1]))
    return case(*positive, else_=0.0), case(*negative, else_=0.0)


def _recent_contacts(  # type: ignore[no-untyped-def]
    s, scope: Select[tuple[int]] | list[int], count: int, now: datetime
) -> dict[int, list[Contact]]:
    """Per repair, the interactions the patience rules can still be affected by.

    That is every interaction since the other person's last sign of life up to
    ``now`` (a reply, or contact they started: see ``patience.is_answered``), which
    holds the whole unanswered chain, plus any within the longest cool-off. A first
    query finds each repair's starting time (one index lookup each); the interactions
    are then read from it on, again by index. The LIMIT keeps SQLite from folding the
    first query into the join, which would repeat the lookup for every interaction.
    """
    i, x = t.interactions.c, t.interactions.alias("x").c
    sign_of_life = or_(
        x.initiated_by != Party.ME.value,
        x.replied.is_(True),
        and_(
            x.replied.is_(None),
            x.kind.in_([InteractionKind.MEETING.value, InteractionKind.CALL.value]),
        ),
    )
    last_sign = (
        select(x.occurred_at)
        .where(x.repair_id == t.repairs.c.id, x.occurred_at <= now, sign_of_life)
        .order_by(x.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    starts = (
        select(t.repairs.c.id.label("repair_id"), last_sign.label("last_sign"))
        .where(t.repairs.c.id.in_(scope))
        .limit(max(1, count))
        .subquery()
    )
    rules = patience.DEFAULT_RULES
    window_start = literal(now - max(rules.cooloff(x) for x in Tension), UTCDateTime)
    since = case(
        (starts.c.last_sign.is_(None), literal(_LONG_AGO, UTCDateTime)),
        (starts.c.last_sign < window_start, starts.c.last_sign),
        else_=window_start,
    )
    rows = s.execute(
        select(
            i.repair_id,
            i.occurred_at,
            type_coerce(i.kind, String),
            type_coerce(i.initiated_by, String),
            type_coerce(i.tension, String),
            i.replied,
            i.forced,
        )
        .select_from(
            starts.join(
                t.interactions, and_(i.repair_id == starts.c.repair_id, i.occurred_at >= since)
            )
        )
        .order_by(i.repair_id, i.occurred_at)
    )
    out: dict[int, list[Contact]] = defaultdict(list)
    for repair_id, at, kind, by, tension, replied, forced in rows:
        out[repair_id].append(
            Contact(at, _KINDS[kind], _PARTIES[by], _TENSIONS[tension], replied, forced)
        )
    return out


def _due_items(
    s: Connection,
    scope: Select[tuple[int]],
    now: datetime,
    tz: tzinfo,
    horizon: datetime,
    names: dict[int, str] | None = None,
) -> dict[int, list[DueItem]]:
    out: dict[int, list[DueItem]] = defaultdict(list)
    if names is None:
        names = dict(
            s.execute(
                select(t.repairs.c.id, t.people.c.name)
                .join(t.people, t.people.c.id == t.repairs.c.person_id)
                .where(t.repairs.c.id.in_(scope))
            ).all()
        )
    c, o = t.commitments.c, t.occurrences.c
    owner_text = type_coerce(c.owner, String)  # mapped with _PARTIES: cheaper per row
    stored = s.execute(
        select(c.repair_id, c.id, c.description, owner_text, o.due_at)
        .join(t.occurrences, o.commitment_id == c.id)
        .where(
            c.repair_id.in_(scope),
            c.active.is_(True),
            o.status == OccurrenceStatus.PENDING.value,
            o.due_at < horizon,
        )
    ).all()
    seen = set()
    for repair_id, cid, description, owner_value, due_at in stored:
        seen.add((cid, due_at))
        owner = _PARTIES[owner_value]
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
    # The latest stored occurrence of each: one index lookup per commitment (the index
    # on commitment and due date ends at it), not a join over all their occurrences.
    last_stored = select(func.max(o.due_at)).where(o.commitment_id == c.id).scalar_subquery()
    recurring = s.execute(
        select(
            c.repair_id,
            c.id,
            c.description,
            owner_text,
            c.recurrence,
            c.due_at,
            c.created_at,
            c.ends_at,
            last_stored,
        ).where(c.repair_id.in_(scope), c.active.is_(True), c.recurrence.isnot(None))
    ).all()
    for (
        repair_id,
        cid,
        description,
        owner_value,
        rule,
        due_at,
        created_at,
        ends_at,
        last,
    ) in recurring:
        owner = _PARTIES[owner_value]
        anchor = due_at or created_at
        start = max((last + timedelta(seconds=1)) if last else anchor, now - LOOK_BACK)
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
            k.repair_id.in_(scope),
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


__all__ = [
    "Agenda",
    "DueItem",
    "RepairView",
    "StatusRow",
    "Suggestion",
    "TrustReport",
    "agenda",
    "agenda_from_scratch",
    "best_next",
    "board_and_agenda",
    "rebuild_status",
    "repair_view",
    "status_board",
    "status_board_from_scratch",
    "trust_report",
]
