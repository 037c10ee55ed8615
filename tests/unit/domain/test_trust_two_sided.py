"""Two-sided trust: the other person's verdict is the evidence where they gave one.

The worked example is the one of docs/trust-and-patience.md ("Two-sided trust").
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import at, make_commitment, make_occurrence, make_repair

from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.model import Occurrence, Repair, TheirVerdict
from mend.domain.trust import (
    counted_at,
    counted_status,
    estimate,
    events_from,
    gap_text,
    gaps,
    movers,
    recent_story,
    summary,
    trend,
    trust_for,
    weekly_trajectory,
)
from mend.domain.validation import VERDICTS

P, K, L, M = (
    OccurrenceStatus.PENDING,
    OccurrenceStatus.KEPT,
    OccurrenceStatus.LATE,
    OccurrenceStatus.MISSED,
)
NOW = at(2025, 4, 7)


def said(verdict: str, when: datetime, note: str = "", author: str = "Priya") -> TheirVerdict:
    return TheirVerdict(verdict=verdict, author=author, created_at=when, note=note)


def worked_example() -> Repair:
    """The weekly update of the one-sided example, with Priya's verdicts."""
    history = [
        (at(2025, 3, 7, 17), K, at(2025, 3, 7, 17), [said("kept", at(2025, 3, 8, 10))]),
        (at(2025, 3, 14, 17), L, at(2025, 3, 17, 9), []),
        (
            at(2025, 3, 21, 17),
            K,
            at(2025, 3, 21, 17),
            [said("late", at(2025, 3, 24, 10), "It reached me on Monday morning.")],
        ),
        (
            at(2025, 3, 28, 17),
            M,
            at(2025, 3, 31, 9),
            [said("kept", at(2025, 3, 29, 10), "You told me in person on Friday.")],
        ),
        (
            at(2025, 4, 4, 17),
            K,
            at(2025, 4, 4, 17),
            [said("disputed", at(2025, 4, 5, 10), "The budget part was missing.")],
        ),
    ]
    weekly = make_commitment(
        description="Weekly written update",
        due_at=at(2025, 3, 7, 17),
        recurrence="FREQ=WEEKLY;BYDAY=FR",
        occurrences=[
            make_occurrence(due, status, recorded_at=recorded, their_verdicts=verdicts)
            for due, status, recorded, verdicts in history
        ],
    )
    return make_repair(commitments=[weekly])


def test_the_rule_for_every_pair_of_records() -> None:
    assert [counted_status(s, None) for s in (P, K, L, M)] == [None, K, L, M]
    for mine in (P, K, L, M):
        assert [counted_status(mine, v) for v in ("kept", "late", "missed")] == [K, L, M]
    assert [counted_status(s, "disputed") for s in (P, K, L, M)] == [L, L, L, M]


def test_worked_example_figures() -> None:
    repair = worked_example()
    events = events_from(repair)
    assert [(e.kind, e.word) for e in events] == [
        (K, "agreed"),
        (L, "yours"),
        (L, "theirs"),
        (K, "theirs"),
        (L, "disputed"),
    ]
    # Their verdict changes what an occurrence counts as, not when.
    assert [e.at for e in events] == [
        at(2025, 3, 7, 17),
        at(2025, 3, 17, 9),
        at(2025, 3, 21, 17),
        at(2025, 3, 31, 9),
        at(2025, 4, 4, 17),
    ]
    result = trust_for(repair, NOW)
    assert result.positive == pytest.approx(2.7055, abs=1e-4)
    assert result.negative == pytest.approx(1.2118, abs=1e-4)
    assert result.value == pytest.approx(0.6262, abs=1e-4)
    assert result.uncertainty == pytest.approx(0.3380, abs=1e-4)
    trajectory = weekly_trajectory(events, at(2025, 3, 3), NOW)
    assert [round(e.value, 4) for _, e in trajectory] == [
        0.6625,
        0.6501,
        0.5826,
        0.5785,
        0.6265,
        0.6262,
    ]
    ranked = [(e.due_at, e.whose, round(d, 4)) for e, d in movers(events, NOW)]
    assert ranked == [
        (at(2025, 3, 7, 17), "you and Priya agree", 0.1667),
        (at(2025, 3, 28, 17), "Priya's word", 0.0792),
        (at(2025, 3, 14, 17), "your word", -0.0388),
        (at(2025, 4, 4, 17), "disputed by Priya", -0.0251),
        (at(2025, 3, 21, 17), "Priya's word", -0.0226),
    ]


def test_worked_example_gaps_and_words() -> None:
    events = events_from(worked_example())
    listed = [(g.due_at, g.mine, g.theirs, g.their_note) for g in gaps(events, NOW)]
    assert listed == [
        (at(2025, 3, 21, 17), K, "late", "It reached me on Monday morning."),
        (at(2025, 3, 28, 17), M, "kept", "You told me in person on Friday."),
        (at(2025, 4, 4, 17), K, "disputed", "The budget part was missing."),
    ]
    # A gap is only where both said something different: not before ``at``.
    assert gaps(events, at(2025, 3, 25)) == [e for e in events if e.due_at == at(2025, 3, 21, 17)]
    now = estimate(events, NOW)
    recent = trend([(NOW.date(), estimate(events, NOW - timedelta(weeks=4))), (NOW.date(), now)])
    story = summary(now, recent, *recent_story(events, NOW, recent), two_sided=True)
    assert story == (
        "up 13 points since the first outcome; down 4 over the last 4 weeks, after a late "
        "“Weekly written update” (your word)"
    )


def test_a_verdict_on_a_pending_occurrence_counts_from_their_first_word() -> None:
    occurrence = make_occurrence(
        at(2025, 3, 10),
        their_verdicts=[said("missed", at(2025, 3, 12)), said("kept", at(2025, 3, 14))],
    )
    assert counted_at(occurrence) == at(2025, 3, 12)
    [event] = events_from(make_repair(commitments=[make_commitment(occurrences=[occurrence])]))
    assert (event.kind, event.mine, event.theirs, event.word, event.is_gap) == (
        K,
        None,
        "kept",
        "theirs",
        False,
    )


def test_each_gap_in_words() -> None:
    def text(status: OccurrenceStatus, verdict: str, note: str = "") -> str:
        occurrence = make_occurrence(
            at(2025, 3, 10),
            status,
            recorded_at=None if status == P else at(2025, 3, 10),
            their_verdicts=[said(verdict, at(2025, 3, 11), note)],
        )
        [event] = events_from(make_repair(commitments=[make_commitment(occurrences=[occurrence])]))
        return gap_text(event, lambda d: f"{d:%d %b}")

    assert text(K, "missed", "Never came") == (
        "Send Dana the weekly status update, due 10 Mar: you marked kept; Priya marked "
        "missed on 11 Mar (“Never came”). Counted as missed, Priya's word."
    )
    assert text(K, "disputed", "Half of it").endswith(
        "you marked kept; Priya disputes it on 11 Mar (“Half of it”). Counted as late, "
        "a disputed outcome counts as late at best."
    )
    assert text(M, "disputed").endswith(
        "you marked missed; Priya disputes it on 11 Mar. Counted as missed, as you "
        "recorded it: a dispute never counts better than your own record."
    )
    assert text(P, "disputed").endswith(
        "you have not recorded it; Priya disputes it on 11 Mar. Counted as late, a "
        "disputed outcome counts as late at best."
    )


def test_their_verdict_on_their_own_promise_is_not_evidence() -> None:
    theirs = make_commitment(
        owner=Party.THEM,
        occurrences=[make_occurrence(at(2025, 3, 10), K, their_verdicts=[said("missed", NOW)])],
    )
    assert events_from(make_repair(commitments=[theirs])) == []


# --- properties --------------------------------------------------------------------------

_statuses = st.sampled_from([P, K, L, M])
_verdicts = st.sampled_from([None, *VERDICTS])
_history = st.lists(
    st.tuples(_statuses, _verdicts, st.integers(0, 60), st.integers(0, 60)),
    min_size=1,
    max_size=8,
)
_RANK = {"missed": 0, "late": 1, "kept": 2}


def _repair(history: list[tuple[OccurrenceStatus, str | None, int, int]]) -> Repair:
    start = at(2025, 1, 6)
    occurrences: list[Occurrence] = []
    for status, verdict, recorded_day, said_day in history:
        recorded = start + timedelta(days=recorded_day) if status != P else None
        occurrences.append(
            make_occurrence(
                start + timedelta(days=recorded_day // 2),
                status,
                recorded_at=recorded,
                their_verdicts=[]
                if verdict is None
                else [said(verdict, start + timedelta(days=said_day), "Not as recorded")],
            )
        )
    return make_repair(commitments=[make_commitment(occurrences=occurrences)])


def _with_verdict(
    history: list[tuple[OccurrenceStatus, str | None, int, int]], index: int, verdict: str | None
) -> Repair:
    changed = list(history)
    status, _, recorded_day, said_day = changed[index]
    changed[index] = (status, verdict, recorded_day, said_day)
    return _repair(changed)


@given(_history, st.data(), st.integers(0, 120))
def test_a_worse_verdict_never_raises_trust(
    history: list[tuple[OccurrenceStatus, str | None, int, int]], data: st.DataObject, day: int
) -> None:
    index = data.draw(st.integers(0, len(history) - 1))
    better, worse = sorted(
        data.draw(st.lists(st.sampled_from(list(_RANK)), min_size=2, max_size=2)),
        key=_RANK.__getitem__,
        reverse=True,
    )
    when = at(2025, 1, 6) + timedelta(days=day)
    high = trust_for(_with_verdict(history, index, better), when).value
    low = trust_for(_with_verdict(history, index, worse), when).value
    assert low <= high + 1e-12


@given(_history, st.data(), st.integers(0, 120))
def test_their_missed_never_beats_your_kept(
    history: list[tuple[OccurrenceStatus, str | None, int, int]], data: st.DataObject, day: int
) -> None:
    index = data.draw(st.integers(0, len(history) - 1))
    status, _, recorded_day, said_day = history[index]
    mine_kept = list(history)
    mine_kept[index] = (K, None, recorded_day, said_day)
    theirs_missed = list(history)
    theirs_missed[index] = (status, "missed", recorded_day, said_day)
    when = at(2025, 1, 6) + timedelta(days=day)
    assert (
        trust_for(_repair(theirs_missed), when).value
        <= trust_for(_repair(mine_kept), when).value + 1e-12
    )


@given(_history, st.data(), st.integers(0, 120))
def test_a_dispute_never_raises_trust_above_your_own_record(
    history: list[tuple[OccurrenceStatus, str | None, int, int]], data: st.DataObject, day: int
) -> None:
    recorded = [i for i, (status, *_) in enumerate(history) if status != P]
    if not recorded:
        return
    index = data.draw(st.sampled_from(recorded))
    when = at(2025, 1, 6) + timedelta(days=day)
    alone = trust_for(_with_verdict(history, index, None), when).value
    disputed = trust_for(_with_verdict(history, index, "disputed"), when).value
    assert disputed <= alone + 1e-12


@given(_history, st.integers(0, 120))
def test_agreeing_changes_nothing(
    history: list[tuple[OccurrenceStatus, str | None, int, int]], day: int
) -> None:
    when = at(2025, 1, 6) + timedelta(days=day)
    alone = [(s, None, r, d) for s, _, r, d in history]
    agreed = [(s, None if s == P else s.value, r, d) for s, _, r, d in history]
    assert trust_for(_repair(agreed), when) == trust_for(_repair(alone), when)
    assert gaps(events_from(_repair(agreed)), when) == []
