"""Recurrence: parsing English and RRULE text, describing rules, listing due times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import at

from mend.domain.errors import InvalidRule
from mend.domain.recurrence import describe, occurrences_between, parse_recurrence, parse_rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("daily", "FREQ=DAILY"),
        ("Every day", "FREQ=DAILY"),
        ("weekly", "FREQ=WEEKLY"),
        ("every friday", "FREQ=WEEKLY;BYDAY=FR"),
        ("Every Friday.", "FREQ=WEEKLY;BYDAY=FR"),
        ("fridays", "FREQ=WEEKLY;BYDAY=FR"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
        ("every 1 month", "FREQ=MONTHLY"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("monthly", "FREQ=MONTHLY"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2"),
        ("every monday and thursday", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every thursday and monday", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every mon, wed and fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("every other tuesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("every 3 weeks on monday", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO"),
        ("FREQ=WEEKLY;BYDAY=FR", "FREQ=WEEKLY;BYDAY=FR"),
        ("RRULE:FREQ=WEEKLY;BYDAY=FR,MO;INTERVAL=1", "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("freq=daily;interval=2", "FREQ=DAILY;INTERVAL=2"),
    ],
)
def test_parse_recurrence_gives_the_canonical_rule(text: str, rule: str) -> None:
    assert parse_recurrence(text) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("every blue moon", 'does not understand "every blue moon"'),
        ("every 2nd friday", "does not understand"),
        ("every 0 days", "does not understand"),
        ("FREQ=YEARLY", "FREQ=DAILY, WEEKLY or MONTHLY"),
        ("FREQ=DAILY;BYDAY=MO", "BYDAY can only be used with FREQ=WEEKLY"),
        ("FREQ=WEEKLY;BYDAY=XX", "weekday codes"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be a whole number"),
        ("FREQ=WEEKLY;COUNT=3", "not COUNT"),
        ("FREQ=WEEKLY;FREQ=DAILY", "appears twice"),
        ("FREQ=WEEKLY;BYDAY", "NAME=VALUE"),
    ],
)
def test_parse_recurrence_explains_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(InvalidRule, match=message.replace("(", r"\(")):
        parse_recurrence(text)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=DAILY", "every day"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("FREQ=WEEKLY", "every week"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=WEEKLY;BYDAY=FR", "every Friday"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR", "every 2 weeks on weekdays"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every other Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "every 3 weeks on Monday"),
        ("FREQ=MONTHLY", "every month"),
        ("FREQ=MONTHLY;INTERVAL=6", "every 6 months"),
    ],
)
def test_describe(rule: str, text: str) -> None:
    assert describe(rule) == text


def test_every_friday_over_march_keeps_the_anchor_time() -> None:
    anchor = at(2025, 3, 7, 16, 30)  # a Friday
    due = occurrences_between("FREQ=WEEKLY;BYDAY=FR", anchor, at(2025, 3, 1, 0), at(2025, 4, 1, 0))
    assert due == [at(2025, 3, d, 16, 30) for d in (7, 14, 21, 28)]


def test_every_friday_anchored_midweek_starts_on_the_next_friday() -> None:
    anchor = at(2025, 3, 5)  # a Wednesday: not itself a Friday
    due = occurrences_between("FREQ=WEEKLY;BYDAY=FR", anchor, anchor, at(2025, 3, 22))
    assert due == [at(2025, 3, 7), at(2025, 3, 14), at(2025, 3, 21)]


def test_start_inclusive_end_exclusive() -> None:
    anchor = at(2025, 3, 3)
    due = occurrences_between("FREQ=DAILY", anchor, at(2025, 3, 5), at(2025, 3, 7))
    assert due == [at(2025, 3, 5), at(2025, 3, 6)]


def test_nothing_before_the_anchor() -> None:
    anchor = at(2025, 3, 10)
    assert occurrences_between("FREQ=DAILY", anchor, at(2025, 3, 1), at(2025, 3, 12)) == [
        at(2025, 3, 10),
        at(2025, 3, 11),
    ]
    assert occurrences_between("FREQ=DAILY", anchor, at(2025, 3, 1), at(2025, 3, 10)) == []


def test_every_other_tuesday_counts_weeks_from_the_anchor() -> None:
    anchor = at(2025, 3, 4)  # a Tuesday
    due = occurrences_between(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", anchor, at(2025, 3, 12), at(2025, 4, 30)
    )
    assert due == [at(2025, 3, 18), at(2025, 4, 1), at(2025, 4, 15), at(2025, 4, 29)]


def test_monday_and_thursday() -> None:
    anchor = at(2025, 3, 3)  # a Monday
    due = occurrences_between("FREQ=WEEKLY;BYDAY=MO,TH", anchor, anchor, at(2025, 3, 14))
    assert due == [at(2025, 3, 3), at(2025, 3, 6), at(2025, 3, 10), at(2025, 3, 13)]


def test_every_two_weeks_without_days_steps_from_the_anchor() -> None:
    anchor = at(2025, 3, 5)
    due = occurrences_between("FREQ=WEEKLY;INTERVAL=2", anchor, at(2025, 3, 6), at(2025, 4, 20))
    assert due == [at(2025, 3, 19), at(2025, 4, 2), at(2025, 4, 16)]


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    anchor = at(2025, 1, 31)
    due = occurrences_between("FREQ=MONTHLY", anchor, at(2025, 1, 1), at(2025, 6, 1))
    assert due == [
        at(2025, 1, 31),
        at(2025, 2, 28),
        at(2025, 3, 31),
        at(2025, 4, 30),
        at(2025, 5, 31),
    ]


def test_monthly_with_interval_across_a_year_end() -> None:
    anchor = at(2024, 11, 15)
    due = occurrences_between("FREQ=MONTHLY;INTERVAL=2", anchor, at(2025, 2, 1), at(2025, 8, 1))
    assert due == [at(2025, 3, 15), at(2025, 5, 15), at(2025, 7, 15)]


def test_empty_window() -> None:
    assert occurrences_between("FREQ=DAILY", at(2025, 3, 1), at(2025, 3, 5), at(2025, 3, 5)) == []


RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SU",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;INTERVAL=5",
    ]
)
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@given(RULES, MOMENTS, MOMENTS, st.integers(min_value=0, max_value=400))
def test_occurrences_are_sorted_unique_in_range_and_keep_the_time(
    rule: str, anchor: datetime, start: datetime, days: int
) -> None:
    end = start + timedelta(days=days)
    due = occurrences_between(rule, anchor, start, end)
    assert due == sorted(set(due))
    assert all(start <= d < end and d >= anchor for d in due)
    assert all(d.time() == anchor.time() for d in due)


@given(RULES, MOMENTS, MOMENTS, st.integers(min_value=0, max_value=200), st.integers(0, 200))
def test_windows_add_up(rule: str, anchor: datetime, start: datetime, a: int, b: int) -> None:
    middle = start + timedelta(days=a)
    end = middle + timedelta(days=b)
    whole = occurrences_between(rule, anchor, start, end)
    assert whole == occurrences_between(rule, anchor, start, middle) + occurrences_between(
        rule, anchor, middle, end
    )


def _day_by_day(rule: str, anchor: datetime, start: datetime, end: datetime) -> list[datetime]:
    """The occurrences found the slow way: every day from the anchor, checked by the rule."""
    parsed = parse_rule(rule)
    found = []
    anchor_monday = (anchor - timedelta(days=anchor.weekday())).date()
    day = anchor
    while day < end:
        offset = (day - anchor).days
        if parsed.freq == "DAILY":
            due = offset % parsed.interval == 0
        elif not parsed.byday:
            due = offset % (7 * parsed.interval) == 0
        else:
            weeks = (day.date() - timedelta(days=day.weekday()) - anchor_monday).days // 7
            due = day.weekday() in parsed.byday and weeks % parsed.interval == 0
        if due and day >= start:
            found.append(day)
        day += timedelta(days=1)
    return found


@given(
    RULES.filter(lambda r: "MONTHLY" not in r),
    MOMENTS,
    st.integers(min_value=-30, max_value=200),
    st.integers(min_value=0, max_value=120),
)
def test_daily_and_weekly_rules_match_a_walk_day_by_day(
    rule: str, anchor: datetime, after: int, days: int
) -> None:
    start = anchor + timedelta(days=after, hours=after % 5)
    end = start + timedelta(days=days)
    assert occurrences_between(rule, anchor, start, end) == _day_by_day(rule, anchor, start, end)


@given(
    st.sampled_from(
        [
            "daily",
            "every friday",
            "every 2 weeks",
            "every weekday",
            "monthly",
            "fortnightly",
            "every monday and thursday",
            "every other friday",
        ]
    )
)
def test_canonical_rules_parse_to_themselves(text: str) -> None:
    rule = parse_recurrence(text)
    assert parse_recurrence(rule) == rule


@pytest.mark.parametrize(
    "text", ["weekly on friday", "every week on Friday", "each week on friday"]
)
def test_weekly_on_a_day_is_every_that_day(text: str) -> None:
    assert parse_recurrence(text) == "FREQ=WEEKLY;BYDAY=FR"
