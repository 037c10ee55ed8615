"""Trust (step 8): an explainable estimate of how reliable the user has been lately.

The model is the Beta reputation system of Jøsang & Ismail (2002). Each of the user's
commitment occurrences, once recorded, is evidence:

* KEPT adds positive evidence 1;
* LATE adds positive 0.5 *and* negative 0.5 — the thing was delivered, but not when
  promised. Its net effect pulls the estimate towards 0.5: a late delivery helps a
  little when trust is low and costs a little when trust is high;
* MISSED adds negative evidence 1, so it always lowers the estimate more than LATE.

Older evidence counts for less: an event ``a`` days old weighs ``0.5 ** (a / h)``
where ``h`` is the half-life (6 weeks by default), Jøsang's forgetting factor in
continuous time. With ``r`` and ``s`` the decayed positive and negative totals:

* expected value ``E = (r + 1) / (r + s + 2)`` — 0.5 with no evidence;
* uncertainty ``u = 2 / (r + s + 2)`` — 1 with no evidence, shrinking as it grows
  (the uncertainty of Jøsang's opinion ``(b, d, u)`` with base rate 0.5).

Only the user's own commitments count (owner ME or BOTH): Mend estimates how
trustworthy the user has shown themselves to be, which is the part they control.

Two-sided: where the invited other person gave a verdict on an occurrence, their word
is the evidence (:func:`counted_status`), also on one the user has not recorded yet. A
dispute counts as late at best. Where the two records differ the event is a *gap*
(:func:`gaps`), shown with both readings. docs/trust-and-patience.md has worked examples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final, Literal

from mend.domain.commitments import mine
from mend.domain.enums import OccurrenceStatus
from mend.domain.errors import InvalidRule

if TYPE_CHECKING:
    from mend.domain.model import Occurrence, Repair


_SECONDS_PER_DAY: Final = 86_400.0


@dataclass(frozen=True)
class TrustParams:
    """Weights of the trust model. The defaults are Mend's documented choices."""

    #: Days after which an event counts half as much (6 weeks).
    half_life_days: float = 42.0
    #: Positive evidence of a kept occurrence.
    kept_positive: float = 1.0
    #: Positive evidence of a late occurrence (it was delivered).
    late_positive: float = 0.5
    #: Negative evidence of a late occurrence (it was not on time).
    late_negative: float = 0.5
    #: Negative evidence of a missed occurrence; must exceed ``late_negative``.
    missed_negative: float = 1.0
    #: ``trend`` calls a change smaller than this (in E) steady.
    steady_band: float = 0.02

    def __post_init__(self) -> None:
        if self.half_life_days <= 0:
            raise InvalidRule("The trust half-life must be more than 0 days.")
        weights = (self.kept_positive, self.late_positive, self.late_negative, self.missed_negative)
        if min(weights) < 0:
            raise InvalidRule("Trust evidence weights cannot be negative.")
        if self.missed_negative <= self.late_negative:
            raise InvalidRule("A missed commitment must weigh more than a late one.")
        if self.steady_band < 0:
            raise InvalidRule("The steady band cannot be negative.")

    def weights(self, kind: OccurrenceStatus) -> tuple[float, float]:
        """(positive, negative) evidence for an occurrence recorded as ``kind``."""
        if kind == OccurrenceStatus.KEPT:
            return self.kept_positive, 0.0
        if kind == OccurrenceStatus.LATE:
            return self.late_positive, self.late_negative
        if kind == OccurrenceStatus.MISSED:
            return 0.0, self.missed_negative
        raise InvalidRule(f"A {kind.value} occurrence is not evidence of anything yet.")


DEFAULT_PARAMS: Final = TrustParams()


#: Their verdict that says "not as you recorded it", without saying how.
DISPUTED: Final = "disputed"

#: Whose word an event counts on: only the user's ("yours"), the other person's
#: ("theirs": they recorded it, or recorded it differently), both alike ("agreed"), or
#: the user's record that they dispute ("disputed").
Word = Literal["yours", "theirs", "agreed", "disputed"]


def counted_status(mine: OccurrenceStatus, theirs: str | None) -> OccurrenceStatus | None:
    """What one occurrence counts as, from the user's record and the other person's
    latest verdict (None: they gave none). None: not evidence yet.

    * no verdict: the user's record (nothing while it is pending);
    * kept, late or missed from them: their word, whatever the user recorded;
    * disputed: late at best. The one who was promised something says it did not go as
      recorded; Mend cannot tell who is right, so it counts half for and half against
      (missed stays missed: a dispute never raises trust above the user's own record).
    """
    if theirs is None or theirs == "":
        return None if mine == OccurrenceStatus.PENDING else mine
    if theirs == DISPUTED:
        return OccurrenceStatus.MISSED if mine == OccurrenceStatus.MISSED else OccurrenceStatus.LATE
    return OccurrenceStatus(theirs)


def counted_at(occurrence: Occurrence) -> datetime:
    """When an occurrence counts: when the user recorded it (else its due time); one they
    have not recorded, from the other person's first verdict on it.

    Their verdict changes what an occurrence counts as, never when: so a worse verdict
    can only lower trust, at every moment.
    """
    if occurrence.status != OccurrenceStatus.PENDING:
        return occurrence.recorded_at or occurrence.due_at
    return occurrence.first_said_at or occurrence.due_at


@dataclass(frozen=True)
class TrustEvent:
    """One piece of evidence: a recorded occurrence of one of the user's commitments."""

    at: datetime
    kind: OccurrenceStatus
    weight_positive: float
    weight_negative: float
    label: str
    commitment_id: int | None = None
    description: str = ""
    due_at: datetime | None = None
    #: The user's own record (None: still pending on their side).
    mine: OccurrenceStatus | None = None
    #: The other person's latest verdict ("" when they gave none), their name, note, time.
    theirs: str = ""
    their_name: str = ""
    their_note: str = ""
    their_at: datetime | None = None
    occurrence_id: int | None = None

    @property
    def word(self) -> Word:
        """Whose word the event counts on."""
        if not self.theirs:
            return "yours"
        if self.theirs == DISPUTED:
            return "disputed"
        return "agreed" if self.mine is not None and self.mine.value == self.theirs else "theirs"

    @property
    def is_gap(self) -> bool:
        """The two records differ: both said something, and not the same thing."""
        if not self.theirs:
            return False
        return self.theirs == DISPUTED or (self.mine is not None and self.mine.value != self.theirs)

    @property
    def whose(self) -> str:
        """Whose word counted, in words: "your word", "Priya's word", ..."""
        name = self.their_name or "the other person"
        return {
            "yours": "your word",
            "theirs": f"{name}'s word",
            "agreed": f"you and {name} agree",
            "disputed": f"disputed by {name}",
        }[self.word]


@dataclass(frozen=True)
class TrustEstimate:
    """Trust at one moment: expected value, uncertainty and the evidence behind them."""

    value: float
    uncertainty: float
    positive: float
    negative: float
    n_events: int


@dataclass(frozen=True)
class Trend:
    """Which way trust has moved over a trajectory, and by how much (in E)."""

    direction: Literal["rising", "falling", "steady"]
    delta: float


def event_for(
    status: OccurrenceStatus | str,
    at: datetime,
    description: str,
    due_at: datetime,
    commitment_id: int | None = None,
    params: TrustParams = DEFAULT_PARAMS,
) -> TrustEvent:
    """The evidence of one recorded occurrence (``status`` may be the stored string)."""
    kind = OccurrenceStatus(status)
    return _event(kind, at, description, due_at, commitment_id, params, mine=kind)


def _event(
    kind: OccurrenceStatus,
    at: datetime,
    description: str,
    due_at: datetime,
    commitment_id: int | None,
    params: TrustParams,
    *,
    mine: OccurrenceStatus | None,
    theirs: str = "",
    their_name: str = "",
    their_note: str = "",
    their_at: datetime | None = None,
    occurrence_id: int | None = None,
) -> TrustEvent:
    positive, negative = params.weights(kind)
    return TrustEvent(
        at=at,
        kind=kind,
        weight_positive=positive,
        weight_negative=negative,
        label=f"{kind.value.capitalize()}: {description} (due {due_at:%Y-%m-%d})",
        commitment_id=commitment_id,
        description=description,
        due_at=due_at,
        mine=mine,
        theirs=theirs,
        their_name=their_name,
        their_note=their_note,
        their_at=their_at,
        occurrence_id=occurrence_id,
    )


def occurrence_event(
    occurrence: Occurrence,
    description: str,
    commitment_id: int | None = None,
    params: TrustParams = DEFAULT_PARAMS,
) -> TrustEvent | None:
    """The evidence of one occurrence under the two-sided rule; None while it is none."""
    verdict = occurrence.their_verdict
    kind = counted_status(occurrence.status, verdict.verdict if verdict else None)
    if kind is None:
        return None
    recorded = occurrence.status != OccurrenceStatus.PENDING
    return _event(
        kind,
        counted_at(occurrence),
        description,
        occurrence.due_at,
        commitment_id,
        params,
        mine=occurrence.status if recorded else None,
        theirs=verdict.verdict if verdict else "",
        their_name=verdict.author if verdict else "",
        their_note=verdict.note if verdict else "",
        their_at=verdict.created_at if verdict else None,
        occurrence_id=occurrence.id,
    )


def events_from(repair: Repair, params: TrustParams = DEFAULT_PARAMS) -> list[TrustEvent]:
    """Evidence from the user's occurrences, oldest first (see :func:`counted_status`).

    An occurrence counts from when the user recorded it, or else from the other person's
    first verdict (:func:`counted_at`); one neither has recorded is not evidence yet.
    """
    events = [
        event
        for c in mine(repair.commitments)
        for occ in c.occurrences
        if (event := occurrence_event(occ, c.description, c.id, params)) is not None
    ]
    events.sort(key=lambda e: e.at)
    return events


def gaps(events: Iterable[TrustEvent], at: datetime) -> list[TrustEvent]:
    """The events up to ``at`` where the two records differ, oldest first."""
    return sorted((e for e in events if e.is_gap and e.at <= at), key=lambda e: e.at)


def gap_text(event: TrustEvent, day: Callable[[datetime], str]) -> str:
    """One gap in words, both readings and what counted; ``day`` writes a date.

    "Weekly update, due 21 Mar 2025: you marked kept; Priya marked late on 24 Mar 2025
    (“It reached me on Monday.”). Counted as late, Priya's word."
    """
    name = event.their_name or "the other person"
    when = f" on {day(event.their_at)}" if event.their_at is not None else ""
    yours = f"you marked {event.mine.value}" if event.mine else "you have not recorded it"
    if event.theirs == DISPUTED:
        theirs = f"{name} disputes it{when}"
        why = (
            "as you recorded it: a dispute never counts better than your own record"
            if event.kind == OccurrenceStatus.MISSED
            else "a disputed outcome counts as late at best"
        )
    else:
        theirs = f"{name} marked {event.theirs}{when}"
        why = f"{name}'s word"
    note = f" (“{event.their_note}”)" if event.their_note else ""
    due = f", due {day(event.due_at)}" if event.due_at is not None else ""
    return (
        f"{event.description}{due}: {yours}; {theirs}{note}. Counted as {event.kind.value}, {why}."
    )


def decay(event_at: datetime, at: datetime, params: TrustParams = DEFAULT_PARAMS) -> float:
    """How much an event counts at ``at``: 1 when fresh, halving every half-life."""
    age_days = max(0.0, (at - event_at).total_seconds() / _SECONDS_PER_DAY)
    return float(0.5 ** (age_days / params.half_life_days))


def estimate(
    events: Iterable[TrustEvent], at: datetime, params: TrustParams = DEFAULT_PARAMS
) -> TrustEstimate:
    """Trust at ``at`` from the events that happened at or before it."""
    r = s = 0.0
    n = 0
    for event in events:
        if event.at > at:
            continue
        weight = decay(event.at, at, params)
        r += event.weight_positive * weight
        s += event.weight_negative * weight
        n += 1
    return from_evidence(r, s, n)


def from_evidence(positive: float, negative: float, n_events: int) -> TrustEstimate:
    """The estimate for decayed positive and negative evidence totals."""
    return TrustEstimate(
        value=(positive + 1.0) / (positive + negative + 2.0),
        uncertainty=2.0 / (positive + negative + 2.0),
        positive=positive,
        negative=negative,
        n_events=n_events,
    )


def trust_for(repair: Repair, now: datetime, params: TrustParams = DEFAULT_PARAMS) -> TrustEstimate:
    """Trust in the user for one repair at ``now``."""
    return estimate(events_from(repair, params), now, params)


def weekly_trajectory(
    events: Sequence[TrustEvent],
    start: datetime,
    end: datetime,
    params: TrustParams = DEFAULT_PARAMS,
) -> list[tuple[date, TrustEstimate]]:
    """Trust at the end of each week (Sunday, UTC) from ``start`` to ``end``.

    Each point is dated by its Sunday and evaluated at the midnight that ends it. When
    ``end`` falls inside a week, a last point dated ``end``'s day is evaluated at ``end``
    itself, so the chart always reaches "now".
    """
    return [(day, estimate(events, at, params)) for day, at in trajectory_instants(start, end)]


def trajectory_instants(start: datetime, end: datetime) -> list[tuple[date, datetime]]:
    """The points of ``weekly_trajectory``: each one's date and the instant it is taken at."""
    if end < start:
        return []
    first = start.astimezone(UTC).date()
    sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    points: list[tuple[date, datetime]] = []
    while (week_end := datetime.combine(sunday + timedelta(days=1), time(), UTC)) <= end:
        points.append((sunday, week_end))
        sunday += timedelta(days=7)
    if week_end - timedelta(days=7) < end:  # ``end`` is inside a week: add "now"
        points.append((end.astimezone(UTC).date(), end))
    return points


def trend(
    trajectory: Sequence[tuple[date, TrustEstimate]], params: TrustParams = DEFAULT_PARAMS
) -> Trend:
    """Rising, falling or steady from the first point to the last.

    A change smaller than ``params.steady_band`` (0.02 by default) is steady: a single
    week of forgetting moves E by less than that, and it is not news.
    """
    if len(trajectory) < 2:
        return Trend("steady", 0.0)
    delta = trajectory[-1][1].value - trajectory[0][1].value
    if abs(delta) < params.steady_band:
        return Trend("steady", delta)
    return Trend("rising" if delta > 0 else "falling", delta)


def effects(
    events: Sequence[TrustEvent], at: datetime, params: TrustParams = DEFAULT_PARAMS
) -> list[tuple[TrustEvent, float]]:
    """Every event up to ``at`` with how much it changed E when it happened, oldest first.

    An event's effect is E just after it minus E just before it, both at the event's own
    time (other events of that same instant count in both). One pass over the events.
    """
    past = sorted((e for e in events if e.at <= at), key=lambda e: e.at)
    out: list[tuple[TrustEvent, float]] = []
    r = s = 0.0
    last: datetime | None = None
    index = 0
    while index < len(past):
        moment = past[index].at
        group = [e for e in past[index:] if e.at == moment]
        if last is not None:
            weight = decay(last, moment, params)
            r, s = r * weight, s * weight
        r += sum(e.weight_positive for e in group)
        s += sum(e.weight_negative for e in group)
        after = (r + 1.0) / (r + s + 2.0)
        for event in group:
            r0, s0 = r - event.weight_positive, s - event.weight_negative
            out.append((event, after - (r0 + 1.0) / (r0 + s0 + 2.0)))
        last = moment
        index += len(group)
    return out


def movers(
    events: Sequence[TrustEvent],
    at: datetime,
    params: TrustParams = DEFAULT_PARAMS,
    limit: int | None = None,
) -> list[tuple[TrustEvent, float]]:
    """The events that moved trust, largest change (up or down) first; all unless ``limit``."""
    ranked = sorted(effects(events, at, params), key=lambda pair: abs(pair[1]), reverse=True)
    return ranked if limit is None else ranked[: max(0, limit)]


#: What a recent change is measured over, everywhere trust's trend is shown.
RECENT: Final = timedelta(weeks=4)


def summary(
    estimate: TrustEstimate,
    recent: Trend,
    cause: TrustEvent | None = None,
    latest: tuple[TrustEvent, float] | None = None,
    *,
    two_sided: bool = False,
) -> str:
    """Trust's movement in plain words: the whole story, then the last four weeks.

    "up 19 points since the first outcome; down 8 over the last 4 weeks, after a missed
    'Weekly report'". Trust is 50% before any outcome, so the first part is the distance
    from there. ``cause`` is the outcome that did most of the recent change; when the
    ``latest`` outcome went the other way, that is said too ("..., but down 6 after a
    missed ..."), so the words never contradict the chart. An outcome named says whose
    word it counted on when it was not the user's alone, or always when ``two_sided``
    (the other person has given verdicts in this repair).
    """
    if estimate.n_events == 0:
        return "no outcomes recorded yet"
    overall = round((estimate.value - 0.5) * 100)
    if overall == 0:
        first = "back at 50%, where it started"
    else:
        first = f"{'up' if overall > 0 else 'down'} {_points(abs(overall))} since the first outcome"
    change = round(recent.delta * 100)
    if recent.direction == "steady" or change == 0:
        second = "steady over the last 4 weeks"
        sign = 0
    else:
        sign = 1 if change > 0 else -1
        second = f"{'up' if change > 0 else 'down'} {abs(change)} over the last 4 weeks"
        if cause is not None:
            second += f", after {_cause(cause, two_sided)}"
        elif (estimate.value - 0.5) * sign < 0:
            second += ", as older outcomes count for less"
    if latest is not None:
        event, effect = latest
        moved = round(effect * 100)
        if moved and (sign == 0 or (moved > 0) != (sign > 0)):
            second += (
                f", but {'up' if moved > 0 else 'down'} {abs(moved)} after "
                f"{_cause(event, two_sided)}"
            )
    return f"{first}; {second}"


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _cause(event: TrustEvent, two_sided: bool = False) -> str:
    what = event.description or event.label.split(": ", 1)[-1].rsplit(" (due", 1)[0]
    text = {
        OccurrenceStatus.KEPT: f"keeping “{what}”",
        OccurrenceStatus.LATE: f"a late “{what}”",
        OccurrenceStatus.MISSED: f"a missed “{what}”",
    }.get(event.kind, f"“{what}”")
    # Whose word it was, when it was not the user's alone (or when it could have been).
    return text if event.word == "yours" and not two_sided else f"{text} ({event.whose})"


def is_two_sided(events: Iterable[TrustEvent]) -> bool:
    """Whether the other person gave a verdict on any of these events."""
    return any(e.theirs for e in events)


def recent_story(
    events: Sequence[TrustEvent], at: datetime, recent: Trend, params: TrustParams = DEFAULT_PARAMS
) -> tuple[TrustEvent | None, tuple[TrustEvent, float] | None]:
    """For :func:`summary`: the outcome of the last four weeks that moved trust most in
    the recent direction, and the latest outcome of those weeks with its effect."""
    since = at - RECENT
    window = [(e, effect) for e, effect in effects(events, at, params) if e.at >= since]
    if not window:
        return None, None
    sign = {"rising": 1, "falling": -1}.get(recent.direction, 0)
    same_way = [(e, effect) for e, effect in window if effect * sign > 0]
    cause = max(same_way, key=lambda pair: abs(pair[1]))[0] if same_way else None
    return cause, window[-1]
