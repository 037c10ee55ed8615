"""The status board's rows, finished at "now" from the stored summaries (store/board.py).

No database here: the rows come from a unit of work (services/overview.py) or, for a
quick read of a local file, from the standard library's sqlite3 (store/quick.py), so
`mend status` need not import SQLAlchemy at all. The rules are the domain's own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple, Protocol

from mend.dates import instant, micros
from mend.domain import patience, playbook, recurrence, trust
from mend.domain.commitments import LOOK_BACK
from mend.domain.enums import (
    InteractionKind,
    Party,
    RepairStatus,
    Role,
    Step,
    StepState,
    Tension,
)
from mend.domain.trust import Trend, TrustEstimate
from mend.words import overdue_words

#: The board's trend compares trust now with trust this long ago.
TREND_SPAN = trust.RECENT
_LONG_AGO = datetime(1900, 1, 1, tzinfo=UTC)
_SECONDS_PER_DAY = 86_400.0
_UNIX_EPOCH_JULIAN_DAY = 2_440_587.5  # SQLite's julianday('1970-01-01')


class Contact(NamedTuple):
    """The part of an interaction the patience rules read."""

    occurred_at: datetime
    kind: InteractionKind
    initiated_by: Party
    tension: Tension
    replied: bool | None
    forced: bool


@dataclass(slots=True)  # thousands on a big board: not frozen, five times faster to make
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
    #: Weekly trust values, oldest first, when the board was asked for its history.
    history: tuple[float, ...] = ()

    @property
    def progress(self) -> int:
        return sum(1 for s in self.steps.values() if s != StepState.PENDING)

    @property
    def trend_text(self) -> str:
        """Trust's movement in words: since the first outcome, and over the last 4 weeks."""
        return trust.summary(self.trust, self.trend)


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


class Head(Protocol):
    """What a board row shows of the repair itself (a row of repairs and people)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> RepairStatus: ...
    @property
    def severity(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> Role: ...


Summaries = Mapping[int, dict[str, Any]]
Ledgers = Mapping[int, list[list[Any]]]


def board_moments(now: datetime, history_weeks: int) -> list[datetime]:
    """Every instant a board reads trust at: now, the trend's start, the weekly points."""
    weekly = (
        [m for _, m in trust.trajectory_instants(now - timedelta(weeks=history_weeks), now)]
        if history_weeks
        else []
    )
    return [now, now - TREND_SPAN, *weekly]


def needing_ledgers(
    heads: Sequence[Head], summaries: Summaries, now: datetime, history_weeks: int
) -> list[int]:
    """The repairs whose trust at one of the board's instants needs the whole ledger."""
    moments = board_moments(now, history_weeks)
    return [h.id for h in heads if _needs_ledger(summaries[h.id], moments)]


def contacts_late(heads: Sequence[Head], summaries: Summaries, now: datetime) -> list[int]:
    """The repairs whose stored contacts do not serve ``now`` (a clock set back)."""
    return [h.id for h in heads if not _contacts_ready(summaries[h.id], now)]


def finish_board(
    heads: Sequence[Head],
    summaries: Summaries,
    ledgers: Ledgers,
    late: Mapping[int, list[Contact]],
    *,
    now: datetime,
    tz: tzinfo,
    history_weeks: int = 0,
) -> list[StatusRow]:
    """The board's rows at ``now``; ``late`` holds the contacts of ``contacts_late``."""
    moments = board_moments(now, history_weeks)
    trend_from, weekly = moments[1], moments[2:]
    horizon = week_end(now, tz)
    rows = []
    for head in heads:
        summary = summaries[head.id]
        ledger = ledgers.get(head.id)
        states = _states_of(summary)
        contacts = late[head.id] if head.id in late else _contacts_at(summary, now)
        verdict = patience.check_outreach(contacts, now, tz=tz)  # type: ignore[arg-type]
        due = due_at(summary["due"], head.id, head.name, now, horizon)
        estimate = _trust_at(summary["trust"], ledger, now)
        before = _trust_at(summary["trust"], ledger, trend_from)
        rows.append(
            board_row(
                head,
                states,
                estimate,
                trust.trend([(now.date(), before), (now.date(), estimate)]),
                tuple(_trust_at(summary["trust"], ledger, m).value for m in weekly),
                verdict,
                due,
                now,
            )
        )
    return rows


def board_row(
    head: Head,
    states: dict[Step, StepState],
    estimate: TrustEstimate,
    trend: Trend,
    history: tuple[float, ...],
    verdict: patience.PatienceVerdict,
    due: list[DueItem],
    now: datetime,
) -> StatusRow:
    """A repair's row from what was worked out for it: the next step from its steps and
    the patience verdict, and what is due split at ``now`` into overdue and coming."""
    return StatusRow(
        repair_id=head.id,
        title=head.title,
        person=head.name,
        role=head.role,
        status=head.status,
        severity=head.severity,
        steps=states,
        trust=estimate,
        trend=trend,
        history=history,
        next_step=playbook.next_step_from_states(states, verdict),
        overdue=[d for d in due if d.due_at < now],
        due_soon=[d for d in due if d.due_at >= now],
    )


def finish_agenda(
    heads: Sequence[Head], summaries: Summaries, *, now: datetime, tz: tzinfo, days: int
) -> Agenda:
    """What is overdue, due today and due in the coming ``days``, across ``heads``."""
    horizon = now + timedelta(days=days)
    items = [
        item
        for head in heads
        for item in due_at(summaries[head.id]["due"], head.id, head.name, now, horizon)
    ]
    end_of_today = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(), tz)
    items.sort(key=lambda i: (i.due_at, i.repair_id, i.kind, i.item_id))
    return Agenda(
        overdue=[i for i in items if i.due_at < now],
        today=[i for i in items if now <= i.due_at < end_of_today],
        this_week=[i for i in items if i.due_at >= end_of_today],
    )


def _needs_ledger(summary: dict[str, Any], moments: list[datetime]) -> bool:
    tail = summary["trust"]
    if tail["complete"] or not tail["tail"]:
        return False
    first = tail["tail"][0][0]
    return any(micros(m) < first for m in moments)


def _trust_at(
    tail: dict[str, Any], ledger: list[list[Any]] | None, moment: datetime
) -> TrustEstimate:
    """Trust at ``moment``: the evidence as of the last event by then, decayed to it."""
    at = micros(moment)
    entries = tail["tail"]
    if entries and at < entries[0][0] and not tail["complete"]:
        assert ledger is not None
        entries = ledger
    index = bisect_right(entries, at, key=lambda e: e[0]) - 1
    if index < 0:
        return trust.from_evidence(0.0, 0.0, 0)
    when, r, s_, n = entries[index]
    factor = trust.decay(instant(when), moment)
    return trust.from_evidence(r * factor, s_ * factor, n)


def _states_of(summary: dict[str, Any]) -> dict[Step, StepState]:
    stored = summary["steps"]
    if not stored:
        return _NO_STEPS
    # Iterating an enum class is slow; many repairs share one set of states.
    key = tuple(stored.items())
    states = _STATE_SETS.get(key)
    if states is None:
        states = _STATE_SETS[key] = {
            step: _STATES.get(stored.get(step.value, ""), StepState.PENDING) for step in _ALL_STEPS
        }
    return dict(states)


_ALL_STEPS = tuple(Step)
_STATE_SETS: dict[tuple[tuple[str, str], ...], dict[Step, StepState]] = {}


_LONGEST_COOLOFF = max(patience.DEFAULT_RULES.cooloff(x) for x in Tension)


def _contacts_ready(summary: dict[str, Any], now: datetime) -> bool:
    """Whether the stored contacts serve ``now`` (not before the newest interaction)."""
    latest = summary["latest"]
    return latest is None or micros(now) >= latest


def _contacts_at(summary: dict[str, Any], now: datetime) -> list[Contact]:
    """The interactions the patience rules read at ``now`` (as ``_recent_contacts``)."""
    last_sign = summary["last_sign"]
    window_start = now - _LONGEST_COOLOFF
    if last_sign is None:
        since = _LONG_AGO
    elif instant(last_sign) < window_start:
        since = instant(last_sign)
    else:
        since = window_start
    start = micros(since)
    return [
        Contact(instant(at), _KINDS[kind], _PARTIES[by], _TENSIONS[tension], replied, forced)
        for at, kind, by, tension, replied, forced in summary["contacts"]
        if at >= start
    ]


def due_at(
    due: dict[str, Any], repair_id: int, name: str, now: datetime, horizon: datetime
) -> list[DueItem]:
    """What of a repair falls due before ``horizon`` (as ``_due_items``)."""
    out = []
    seen = set()
    end_at = micros(horizon)
    for cid, at, description, owner_value in due["pending"]:
        if at >= end_at:
            break  # stored by due time
        seen.add((cid, at))
        owner = _PARTIES[owner_value]
        out.append(
            DueItem(
                "commitment",
                repair_id,
                cid,
                name,
                _commitment_label(description, owner),
                instant(at),
                owner,
            )
        )
    look_from = micros(now - LOOK_BACK)
    for cid, description, owner_value, rule, anchor_at, last, ends in due["recurring"]:
        start = max(last + 1_000_000 if last is not None else anchor_at, look_from)
        end = min(end_at, ends) if ends is not None else end_at
        found = recurrence.occurrence_micros(rule, anchor_at, start, end)
        if not found:
            continue
        owner = _PARTIES[owner_value]
        label = _commitment_label(description, owner)
        for at in found:
            if (cid, at) not in seen:
                out.append(DueItem("commitment", repair_id, cid, name, label, instant(at), owner))
    for kid, at, note in due["checkins"]:
        if at < end_at:
            label = f"Check-in with {name}" + (f": {note}" if note else "")
            out.append(DueItem("check_in", repair_id, kid, name, label, instant(at)))
    out.sort(key=lambda d: d.due_at)
    return out


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
            f"{item.label} ({overdue_words(late)})",
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
    candidates = [r for r in rows if r.next_step is not None and not r.next_step.waiting]
    if candidates:
        row = max(candidates, key=lambda r: (r.severity, -r.progress, -r.repair_id))
        assert row.next_step is not None
        title = playbook.guide(row.next_step.step).title
        return Suggestion(
            row.repair_id, row.person, f"{title} with {row.person}", row.next_step.why
        )
    waiting = [r for r in rows if r.next_step is not None]
    if waiting:
        # A wait that ends on a known day first (the soonest), then waits for a reply.
        far = datetime.max.replace(tzinfo=UTC)
        row = min(waiting, key=lambda r: r.next_step.blocked_until or far)  # type: ignore[union-attr]
        nxt = row.next_step
        assert nxt is not None
        text = f"Wait for {row.person}'s reply" if nxt.waiting_for_reply else "Give it time"
        return Suggestion(row.repair_id, row.person, text, nxt.why)
    return None


_STEPS = {x.value: x for x in Step}
_STATES = {x.value: x for x in StepState}
_NO_STEPS = {x: StepState.PENDING for x in Step}
_KINDS = {x.value: x for x in InteractionKind}
_PARTIES = {x.value: x for x in Party}
_TENSIONS = {x.value: x for x in Tension}


def week_end(now: datetime, tz: tzinfo) -> datetime:
    local = now.astimezone(tz).date()
    return datetime.combine(local + timedelta(days=7 - local.weekday()), time(), tz)


_OWNER_PREFIX = {Party.ME: "", Party.THEM: "Theirs: ", Party.BOTH: "Together: "}


def _commitment_label(description: str, owner: Party) -> str:
    return _OWNER_PREFIX[owner] + description
