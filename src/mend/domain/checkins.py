"""Check-in cadence: close while the repair is under way, wider as trust recovers.

Regular check-ins are how two people notice a slip before it becomes a second rupture.
While trust is low they should be frequent; as trust recovers, frequent check-ins start
to feel like surveillance, so Mend suggests spacing them out.

Suggested cadence (days between check-ins) by trust value ``E``:

==================  ==================  ===========
trust ``E``         open / in progress  monitoring
==================  ==================  ===========
below 0.45          7                   14
0.45 to below 0.60  10                  20
0.60 to below 0.75  14                  28
0.75 and above      28                  56
==================  ==================  ===========

Monitoring doubles the cadence: the work is done and the aim is to notice drift.
Restored and closed repairs get no suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Final

from mend.domain.enums import RepairStatus
from mend.domain.errors import InvalidRule, InvalidTransition
from mend.domain.model import CheckIn
from mend.domain.validation import MAX_CADENCE_DAYS

#: (upper bound of trust, exclusive; cadence in days) — the last row catches the rest.
CADENCE_TABLE: Final = ((0.45, 7), (0.60, 10), (0.75, 14), (float("inf"), 28))
#: How much monitoring widens the cadence.
MONITORING_FACTOR: Final = 2


def suggest_cadence_days(trust_value: float, status: RepairStatus) -> int:
    """Days between check-ins for a repair with this trust and status (see the table)."""
    if not 0.0 <= trust_value <= 1.0:
        raise InvalidRule("A trust value lies between 0 and 1.", field="trust_value")
    if status in (RepairStatus.RESTORED, RepairStatus.CLOSED_UNRESOLVED):
        raise InvalidTransition(
            f"A {status.value.replace('_', ' ')} repair has no check-in cadence; "
            "reopen it to plan check-ins again."
        )
    days = next(days for bound, days in CADENCE_TABLE if trust_value < bound)
    return days * MONITORING_FACTOR if status == RepairStatus.MONITORING else days


def next_check_in_at(completed_at: datetime, cadence_days: int) -> datetime:
    """When the next check-in is due: ``cadence_days`` after the last, same time of day."""
    if not 1 <= cadence_days <= MAX_CADENCE_DAYS:
        raise InvalidRule(
            f"A check-in cadence is from 1 to {MAX_CADENCE_DAYS} days.", field="cadence_days"
        )
    return completed_at + timedelta(days=cadence_days)


def end_of_day(now: datetime, tz: tzinfo = UTC) -> datetime:
    """The first instant of tomorrow in ``tz``, as a UTC datetime."""
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tz).astimezone(UTC)


def due_check_ins(check_ins: Iterable[CheckIn], now: datetime, tz: tzinfo = UTC) -> list[CheckIn]:
    """Open check-ins scheduled for today (in ``tz``) or earlier, oldest first."""
    limit = end_of_day(now, tz)
    return sorted(
        (c for c in check_ins if c.is_open and c.scheduled_at < limit),
        key=lambda c: c.scheduled_at,
    )
