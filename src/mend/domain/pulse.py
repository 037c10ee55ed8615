"""The other person's pulse: their own 1-5 answer to "how are we doing?", beside trust.

Trust is Mend's estimate from promises; the pulse is how the relationship feels to the
other person, in their words. They are shown side by side and never mixed: a pulse
answer is not evidence about a promise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

#: The scale of an answer: 1 (badly) to 5 (well).
LOWEST, HIGHEST = 1, 5


@dataclass(frozen=True)
class Pulse:
    """One answer: when, the score, who gave it, and what they added."""

    at: datetime
    score: int
    author: str
    note: str = ""


@dataclass(frozen=True)
class PulseSummary:
    """The answers of one span in figures (``latest`` may be older than the span)."""

    #: Answers given in the span.
    count: int = 0
    #: Their mean score in the span; None without any.
    average: float | None = None
    #: The newest answer of all.
    latest: Pulse | None = None
    #: The newest score minus the one before it; None with fewer than two answers.
    change: int | None = None


def summarize(pulses: Iterable[Pulse], since: datetime, until: datetime) -> PulseSummary:
    """The figures of the answers given from ``since`` to ``until``."""
    known = sorted((p for p in pulses if p.at <= until), key=lambda p: p.at)
    recent = [p.score for p in known if p.at >= since]
    return PulseSummary(
        count=len(recent),
        average=sum(recent) / len(recent) if recent else None,
        latest=known[-1] if known else None,
        change=known[-1].score - known[-2].score if len(known) >= 2 else None,
    )


def in_span(pulses: Iterable[Pulse], since: datetime, until: datetime) -> list[Pulse]:
    """The answers given from ``since`` to ``until``, oldest first."""
    return sorted((p for p in pulses if since <= p.at <= until), key=lambda p: p.at)
