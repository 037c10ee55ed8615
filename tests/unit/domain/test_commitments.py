"""Commitments: materializing occurrences, recording them, finding what is overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import at, make_commitment, make_occurrence

from mend.domain.commitments import (
    due_between,
    is_concrete,
    is_mine,
    materialize,
    missing_due_times,
    overdue,
    overdue_due_times,
    record,
)
from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.errors import InvalidRule

FRIDAYS = "FREQ=WEEKLY;BYDAY=FR"


def test_one_off_gets_exactly_one_occurrence_whatever_the_time() -> None:
    commitment = make_commitment(due_at=at(2025, 3, 20))
    added = materialize(commitment, now=at(2025, 3, 4))
    assert [o.due_at for o in added] == [at(2025, 3, 20)]
    assert materialize(commitment, now=at(2025, 4, 30)) == []
    assert len(commitment.occurrences) == 1


def test_one_off_without_a_date_gets_none() -> None:
    assert materialize(make_commitment(due_at=None), now=at(2025, 4, 1)) == []


def test_recurring_fills_up_to_now_inclusive() -> None:
    commitment = make_commitment(due_at=at(2025, 3, 7, 17), recurrence=FRIDAYS)
    added = materialize(commitment, now=at(2025, 3, 21, 17))
    assert [o.due_at for o in added] == [
        at(2025, 3, 7, 17),
        at(2025, 3, 14, 17),
        at(2025, 3, 21, 17),
    ]
    assert all(o.status == OccurrenceStatus.PENDING for o in added)


def test_recurring_with_horizon_adds_upcoming_ones() -> None:
    commitment = make_commitment(due_at=at(2025, 3, 7, 17), recurrence=FRIDAYS)
    added = materialize(commitment, now=at(2025, 3, 10), horizon_days=14)
    assert [o.due_at.day for o in added] == [7, 14, 21]


def test_recurring_without_due_date_is_anchored_at_creation() -> None:
    commitment = make_commitment(created_at=at(2025, 3, 3, 8), due_at=None, recurrence="FREQ=DAILY")
    assert [o.due_at for o in materialize(commitment, now=at(2025, 3, 5, 9))] == [
        at(2025, 3, 3, 8),
        at(2025, 3, 4, 8),
        at(2025, 3, 5, 8),
    ]


def test_materialize_respects_ends_at_and_active() -> None:
    ending = make_commitment(due_at=at(2025, 3, 7), recurrence=FRIDAYS, ends_at=at(2025, 3, 14))
    assert [o.due_at.day for o in materialize(ending, now=at(2025, 4, 30))] == [7, 14]
    stopped = make_commitment(due_at=at(2025, 3, 7), recurrence=FRIDAYS, active=False)
    assert materialize(stopped, now=at(2025, 4, 30)) == []


def test_materialize_keeps_recorded_occurrences_and_only_adds_missing_ones() -> None:
    kept = make_occurrence(at(2025, 3, 14), OccurrenceStatus.KEPT, recorded_at=at(2025, 3, 14))
    commitment = make_commitment(due_at=at(2025, 3, 7), recurrence=FRIDAYS, occurrences=[kept])
    added = materialize(commitment, now=at(2025, 3, 21))
    assert [o.due_at.day for o in added] == [7, 21]
    assert [o.due_at.day for o in commitment.occurrences] == [7, 14, 21]
    assert commitment.occurrences[1] is kept


def test_negative_horizon_is_refused() -> None:
    with pytest.raises(InvalidRule, match="horizon"):
        materialize(make_commitment(), now=at(2025, 3, 3), horizon_days=-1)


@given(
    st.sampled_from(["FREQ=DAILY", FRIDAYS, "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY", None]),
    st.integers(min_value=0, max_value=120),
    st.integers(min_value=0, max_value=30),
)
def test_materialize_is_idempotent(rule: str | None, days: int, horizon: int) -> None:
    commitment = make_commitment(due_at=at(2025, 3, 7), recurrence=rule)
    now = at(2025, 3, 1) + timedelta(days=days)
    materialize(commitment, now, horizon)
    first = [o.due_at for o in commitment.occurrences]
    assert materialize(commitment, now, horizon) == []
    assert [o.due_at for o in commitment.occurrences] == first == sorted(set(first))


def test_record_sets_status_time_and_note() -> None:
    occ = make_occurrence(at(2025, 3, 7))
    record(occ, OccurrenceStatus.LATE, at(2025, 3, 8), "  sent Saturday morning ")
    assert (occ.status, occ.recorded_at, occ.note) == (
        OccurrenceStatus.LATE,
        at(2025, 3, 8),
        "sent Saturday morning",
    )


def test_record_again_replaces_but_a_blank_note_keeps_the_old_one() -> None:
    occ = make_occurrence(at(2025, 3, 7))
    record(occ, OccurrenceStatus.MISSED, at(2025, 3, 8), "forgot")
    record(occ, OccurrenceStatus.KEPT, at(2025, 3, 9))
    assert (occ.status, occ.recorded_at, occ.note) == (
        OccurrenceStatus.KEPT,
        at(2025, 3, 9),
        "forgot",
    )


def test_record_refuses_pending() -> None:
    with pytest.raises(InvalidRule, match="kept, late or missed"):
        record(make_occurrence(), OccurrenceStatus.PENDING, at(2025, 3, 8))


def test_overdue_is_pending_and_before_now() -> None:
    occurrences = [
        make_occurrence(at(2025, 3, 14)),
        make_occurrence(at(2025, 3, 7)),
        make_occurrence(at(2025, 3, 10), OccurrenceStatus.KEPT),
        make_occurrence(at(2025, 3, 21)),
    ]
    commitment = make_commitment(occurrences=occurrences)
    assert [o.due_at.day for o in overdue(commitment, at(2025, 3, 21))] == [7, 14]


def test_due_between_any_status() -> None:
    occurrences = [make_occurrence(at(2025, 3, d)) for d in (7, 14, 21)]
    occurrences[1].status = OccurrenceStatus.MISSED
    commitment = make_commitment(occurrences=occurrences)
    assert [o.due_at.day for o in due_between(commitment, at(2025, 3, 7), at(2025, 3, 21))] == [
        7,
        14,
    ]


def test_overdue_due_times_counts_what_is_not_materialized_yet() -> None:
    commitment = make_commitment(
        due_at=at(2025, 3, 7), recurrence=FRIDAYS, occurrences=[make_occurrence(at(2025, 3, 7))]
    )
    now = at(2025, 3, 21, 12)
    assert overdue_due_times(commitment, now) == [at(2025, 3, 7), at(2025, 3, 14), at(2025, 3, 21)]
    assert missing_due_times(commitment, now) == [at(2025, 3, 14), at(2025, 3, 21)]
    assert len(commitment.occurrences) == 1  # nothing was written


def test_mine_and_concrete() -> None:
    assert is_mine(make_commitment(owner=Party.ME))
    assert is_mine(make_commitment(owner=Party.BOTH))
    assert not is_mine(make_commitment(owner=Party.THEM))
    assert is_concrete(make_commitment())
    assert is_concrete(make_commitment(due_at=None, recurrence=FRIDAYS))
    assert not is_concrete(make_commitment(due_at=None))
    assert not is_concrete(make_commitment(active=False))


def test_datetimes_stay_utc() -> None:
    commitment = make_commitment(due_at=at(2025, 3, 7), recurrence="FREQ=DAILY")
    for occ in materialize(commitment, now=datetime(2025, 3, 9, tzinfo=UTC)):
        assert occ.due_at.tzinfo is UTC
