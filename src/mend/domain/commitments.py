"""Commitments and their occurrences: what was promised, when it is due, what became of it.

A commitment is one-off (``due_at``) or recurring (``recurrence``, see
:mod:`mend.domain.recurrence`). Each due instance is an :class:`Occurrence`, which the
user later records as kept, late or missed; those records are the evidence that
:mod:`mend.domain.trust` turns into a trust estimate.

Occurrences of a recurring commitment are added lazily by :func:`materialize`, which is
safe to call as often as wanted: it only ever adds what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.errors import InvalidRule
from mend.domain.recurrence import occurrences_between

if TYPE_CHECKING:
    from mend.domain.model import Commitment, Occurrence

#: The statuses an occurrence can be recorded with (PENDING is where it starts).
RECORDABLE: Final = frozenset(
    {OccurrenceStatus.KEPT, OccurrenceStatus.LATE, OccurrenceStatus.MISSED}
)

#: Owners whose commitments are the user's own (and count towards trust in the user).
MY_OWNERS: Final = frozenset({Party.ME, Party.BOTH})

#: How far back due times of a repeating promise are still filled in. A year of a daily
#: promise nobody recorded is history no one will record now; without a bound, a start
#: date decades ago (typed or imported) would make every page list tens of thousands.
LOOK_BACK: Final = timedelta(days=366)

# Datetimes have microsecond resolution, so adding one turns an inclusive limit into
# the exclusive ``end`` that ``occurrences_between`` takes.
_TICK: Final = timedelta(microseconds=1)


def is_mine(commitment: Commitment) -> bool:
    """True for the user's own promises: owner ME, or BOTH (the user's share counts)."""
    return commitment.owner in MY_OWNERS


def is_concrete(commitment: Commitment) -> bool:
    """True for an active commitment that says when: a due date or a recurrence."""
    return commitment.active and (
        commitment.due_at is not None or commitment.recurrence is not None
    )


def anchor_of(commitment: Commitment) -> datetime:
    """The first due time of a commitment: ``due_at``, else when it was made."""
    return commitment.due_at if commitment.due_at is not None else commitment.created_at


def missing_due_times(
    commitment: Commitment, now: datetime, horizon_days: int = 0
) -> list[datetime]:
    """Due times that :func:`materialize` would add now, without changing anything.

    Recurring: every due time from the anchor (or ``LOOK_BACK`` before ``now``, whichever
    is later) up to and including ``now`` plus ``horizon_days`` (and not after ``ends_at``)
    that has no occurrence yet. One-off:
    ``due_at`` if it has no occurrence yet. Nothing for an inactive commitment.
    """
    if horizon_days < 0:
        raise InvalidRule("The horizon cannot be negative.", field="horizon_days")
    if not commitment.active:
        return []
    existing = {o.due_at for o in commitment.occurrences}
    if commitment.recurrence is None:
        due = commitment.due_at
        return [due] if due is not None and due not in existing else []
    limit = now + timedelta(days=horizon_days)
    if commitment.ends_at is not None:
        limit = min(limit, commitment.ends_at)
    anchor = anchor_of(commitment)
    start = max(anchor, now - LOOK_BACK)
    due_times = occurrences_between(commitment.recurrence, anchor, start, limit + _TICK)
    return [due for due in due_times if due not in existing]


def materialize(commitment: Commitment, now: datetime, horizon_days: int = 0) -> list[Occurrence]:
    """Add the occurrences that are due by ``now`` (+ ``horizon_days``) and missing.

    Returns the new occurrences (also appended to ``commitment.occurrences``, which is
    kept sorted by due time). Calling it again with the same arguments adds nothing.
    """
    # Imported here: the rules above serve `mend status`, which never builds an entity
    # and starts faster without the entities' module (see docs/performance.md).
    from mend.domain.model import Occurrence

    added = [Occurrence(due_at=due) for due in missing_due_times(commitment, now, horizon_days)]
    if added:
        commitment.occurrences.extend(added)
        commitment.occurrences.sort(key=lambda o: o.due_at)
    return added


def next_due_time(commitment: Commitment, now: datetime) -> datetime | None:
    """The first due time after ``now`` that has no occurrence yet, within a year."""
    if not commitment.active:
        return None
    later = [due for due in missing_due_times(commitment, now, horizon_days=366) if due > now]
    pending = [
        o.due_at
        for o in commitment.occurrences
        if o.status == OccurrenceStatus.PENDING and o.due_at > now
    ]
    candidates = later[:1] + pending
    return min(candidates) if candidates else None


def record(
    occurrence: Occurrence, status: OccurrenceStatus, at: datetime, note: str = ""
) -> Occurrence:
    """Record what became of an occurrence: kept, late or missed.

    Recording again replaces the status and time (people correct mistakes); a blank
    ``note`` keeps the note already there.
    """
    if status not in RECORDABLE:
        raise InvalidRule(
            f"An occurrence can be recorded as kept, late or missed, not {status.value}.",
            field="status",
        )
    occurrence.status = status
    occurrence.recorded_at = at
    if note.strip():
        occurrence.note = note.strip()
    return occurrence


def overdue(commitment: Commitment, now: datetime) -> list[Occurrence]:
    """Occurrences still pending whose due time is before ``now``, oldest first."""
    return sorted(
        (
            o
            for o in commitment.occurrences
            if o.status == OccurrenceStatus.PENDING and o.due_at < now
        ),
        key=lambda o: o.due_at,
    )


def due_between(commitment: Commitment, start: datetime, end: datetime) -> list[Occurrence]:
    """Occurrences (of any status) due in ``[start, end)``, oldest first."""
    return sorted(
        (o for o in commitment.occurrences if start <= o.due_at < end), key=lambda o: o.due_at
    )


def overdue_due_times(commitment: Commitment, now: datetime) -> list[datetime]:
    """Every due time before ``now`` still waiting for a record, oldest first.

    Counts stored pending occurrences and due times not yet materialized alike, so
    read-only callers (advice, status screens) see the truth without writing anything.
    """
    stored = [o.due_at for o in overdue(commitment, now)]
    unstored = [due for due in missing_due_times(commitment, now) if due < now]
    return sorted(stored + unstored)


def mine(commitments: Iterable[Commitment]) -> list[Commitment]:
    """The user's own commitments (owner ME or BOTH), in the order given."""
    return [c for c in commitments if is_mine(c)]


# --- near-duplicates --------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_FILLER: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "and",
        "or",
        "with",
        "our",
        "your",
        "my",
        "their",
        "his",
        "her",
        "its",
        "i",
        "we",
        "you",
        "they",
        "she",
        "he",
        "it",
        "will",
        "ll",
        "shall",
        "would",
        "can",
        "could",
        "be",
        "is",
        "are",
        "am",
        "was",
        "do",
        "does",
        "did",
        "every",
        "each",
        "s",
        "t",
        "me",
        "us",
        "them",
        "this",
        "that",
        "these",
        "those",
        "from",
        "into",
        "about",
        "as",
        "up",
    ]
)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _FILLER)


def similar_commitment(
    description: str, commitments: Iterable[Commitment], *, exclude: int | None = None
) -> Commitment | None:
    """An active commitment that promises much the same thing as ``description``.

    Two promises are taken as one when the words that carry meaning in the shorter
    are nearly all in the longer ("Written status note in our channel" and "post a
    written status note in our channel every Friday"); it is a warning, never a refusal.
    """
    words = _content_words(description)
    if not words:
        return None
    for other in commitments:
        if not other.active or (exclude is not None and other.id == exclude):
            continue
        theirs = _content_words(other.description)
        if not theirs:
            continue
        shared = len(words & theirs)
        if shared / min(len(words), len(theirs)) >= 0.8 and shared >= 2:
            return other
    return None
