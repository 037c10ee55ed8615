"""Check-in cadence: tighter while trust is low, wider as it recovers."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from tests.factories import at, make_check_in

from mend.domain.checkins import (
    due_check_ins,
    end_of_day,
    next_check_in_at,
    suggest_cadence_days,
)
from mend.domain.enums import RepairStatus
from mend.domain.errors import InvalidRule, InvalidTransition

IN_PROGRESS, MONITORING = RepairStatus.IN_PROGRESS, RepairStatus.MONITORING


@pytest.mark.parametrize(
    ("trust", "days"),
    [
        (0.0, 7),
        (0.4499, 7),
        (0.45, 10),
        (0.5999, 10),
        (0.60, 14),
        (0.7499, 14),
        (0.75, 28),
        (1.0, 28),
    ],
)
def test_cadence_table_edges(trust: float, days: int) -> None:
    assert suggest_cadence_days(trust, IN_PROGRESS) == days
    assert suggest_cadence_days(trust, RepairStatus.OPEN) == days
    assert suggest_cadence_days(trust, MONITORING) == 2 * days


@pytest.mark.parametrize("status", [RepairStatus.RESTORED, RepairStatus.CLOSED_UNRESOLVED])
def test_no_cadence_for_finished_repairs(status: RepairStatus) -> None:
    with pytest.raises(InvalidTransition, match="no check-in cadence"):
        suggest_cadence_days(0.5, status)


@pytest.mark.parametrize("trust", [-0.01, 1.01, float("nan")])
def test_trust_out_of_range(trust: float) -> None:
    with pytest.raises(InvalidRule):
        suggest_cadence_days(trust, IN_PROGRESS)


def test_next_check_in_keeps_the_time_of_day() -> None:
    assert next_check_in_at(at(2025, 3, 3, 15, 30), 10) == at(2025, 3, 13, 15, 30)
    with pytest.raises(InvalidRule, match="1 to 365"):
        next_check_in_at(at(2025, 3, 3), 0)


def test_due_check_ins_are_open_and_today_or_earlier() -> None:
    check_ins = [
        make_check_in(at(2025, 3, 5, 16)),  # later today: due
        make_check_in(at(2025, 3, 3)),  # overdue
        make_check_in(at(2025, 3, 6)),  # tomorrow
        make_check_in(at(2025, 3, 1), completed_at=at(2025, 3, 1)),
        make_check_in(at(2025, 3, 2), cancelled=True),
    ]
    due = due_check_ins(check_ins, at(2025, 3, 5, 9))
    assert [c.scheduled_at for c in due] == [at(2025, 3, 3), at(2025, 3, 5, 16)]


def test_today_follows_the_users_zone() -> None:
    tokyo = timezone(timedelta(hours=9))
    # 5 March 20:00 UTC is already 6 March in Tokyo, so a check-in on 6 March 09:00 UTC
    # (18:00 in Tokyo) is due "today" there.
    assert end_of_day(at(2025, 3, 5, 20), tokyo) == at(2025, 3, 6, 15)
    assert due_check_ins([make_check_in(at(2025, 3, 6))], at(2025, 3, 5, 20), tokyo)
    assert not due_check_ins([make_check_in(at(2025, 3, 6))], at(2025, 3, 5, 20))
