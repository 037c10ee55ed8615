"""Commitments that repeat: a small, strict subset of the iCalendar RRULE.

A recurring commitment ("a written update every Friday") is stored as a canonical
RRULE string such as ``FREQ=WEEKLY;BYDAY=FR``. The subset is:

* ``FREQ`` — ``DAILY``, ``WEEKLY`` or ``MONTHLY`` (required);
* ``INTERVAL`` — a whole number from 1 to 365 (optional, default 1; omitted when 1);
* ``BYDAY`` — weekday codes ``MO,TU,WE,TH,FR,SA,SU`` (weekly rules only).

Canonical form: parts in the order above, weekdays in calendar order, no ``RRULE:``
prefix. It is valid iCalendar, so exports can copy it as it is.

Due times come from an *anchor*, the first due datetime, whose time of day every
occurrence keeps. Rules of thumb, in line with RFC 5545 where it speaks:

* weekly rules with ``BYDAY`` fall on those weekdays in every ``INTERVAL``-th week,
  counting weeks from Monday; days before the anchor are not occurrences (so an anchor
  on a day the rule does not name is not an occurrence itself);
* monthly rules fall on the anchor's day of the month; in a shorter month they fall
  on its last day (RFC 5545 would skip that month, which is not what "a monthly
  report on the 31st" means to anyone).

All arithmetic is on the anchor's own clock (UTC in Mend), so a commitment at 09:00
UTC stays at 09:00 UTC across daylight-saving changes elsewhere.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Final

from mend.domain.errors import InvalidRule

FREQUENCIES: Final = ("DAILY", "WEEKLY", "MONTHLY")
WEEKDAY_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES: Final = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
MAX_INTERVAL: Final = 365

_EXAMPLES = (
    'Try "daily", "weekly", "every Friday", "every 2 weeks", "every weekday", '
    '"every Monday and Thursday", "fortnightly", "monthly" or an RRULE such as '
    '"FREQ=WEEKLY;BYDAY=FR".'
)

# English names (and common abbreviations) of weekdays, to their index 0..6.
_DAY_WORDS: Final = {
    **{name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)},
    **{name.lower() + "s": i for i, name in enumerate(WEEKDAY_NAMES)},
    **{name.lower()[:3]: i for i, name in enumerate(WEEKDAY_NAMES)},
    "tues": 1,
    "wednes": 2,
    "thur": 3,
    "thurs": 3,
}
_UNIT_FREQ: Final = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY"}
_SIMPLE: Final = {
    "daily": "FREQ=DAILY",
    "every day": "FREQ=DAILY",
    "each day": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "every week": "FREQ=WEEKLY",
    "each week": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "every month": "FREQ=MONTHLY",
    "each month": "FREQ=MONTHLY",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "every fortnight": "FREQ=WEEKLY;INTERVAL=2",
    "every other week": "FREQ=WEEKLY;INTERVAL=2",
    "every weekday": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "every working day": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
}
_EVERY_N = re.compile(r"every (\d+) (day|week|month)s?")
_EVERY_N_WEEKS_ON = re.compile(r"every (\d+|other) weeks? on (.+)")
_EVERY_DAYS = re.compile(r"(?:every|each|on) (other |\d+(?:st|nd|rd|th)? )?(.+)")


@dataclass(frozen=True)
class Rule:
    """A parsed recurrence: frequency, interval and (weekly only) weekday indexes 0..6."""

    freq: str
    interval: int = 1
    byday: tuple[int, ...] = ()

    def __str__(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in self.byday))
        return ";".join(parts)


@lru_cache(maxsize=512)  # Rule is immutable; boards expand the same few rules a lot
def parse_rule(rule: str) -> Rule:
    """Parse RRULE text of the supported subset; raises ``InvalidRule`` saying what is wrong."""
    text = rule.strip().upper()
    text = text.removeprefix("RRULE:")
    fields: dict[str, str] = {}
    for part in filter(None, text.split(";")):
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise InvalidRule(f'"{part}" is not a NAME=VALUE part of a recurrence rule.')
        if key in fields:
            raise InvalidRule(f"{key} appears twice in the recurrence rule.")
        fields[key] = value
    unknown = set(fields) - {"FREQ", "INTERVAL", "BYDAY"}
    if unknown:
        raise InvalidRule(
            f"Mend understands FREQ, INTERVAL and BYDAY in a recurrence rule, "
            f"not {', '.join(sorted(unknown))}. {_EXAMPLES}"
        )
    freq = fields.get("FREQ")
    if freq not in FREQUENCIES:
        raise InvalidRule(
            f"A recurrence needs FREQ=DAILY, WEEKLY or MONTHLY (got {freq or 'nothing'})."
        )
    interval = 1
    if "INTERVAL" in fields:
        raw = fields["INTERVAL"]
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_INTERVAL:
            raise InvalidRule(f"INTERVAL must be a whole number from 1 to {MAX_INTERVAL}.")
        interval = int(raw)
    byday: tuple[int, ...] = ()
    if "BYDAY" in fields:
        if freq != "WEEKLY":
            raise InvalidRule("BYDAY can only be used with FREQ=WEEKLY.")
        codes = fields["BYDAY"].split(",")
        bad = [c for c in codes if c not in WEEKDAY_CODES]
        if bad:
            raise InvalidRule(
                f"BYDAY takes the weekday codes MO,TU,WE,TH,FR,SA,SU (not {','.join(bad)})."
            )
        byday = tuple(sorted({WEEKDAY_CODES.index(c) for c in codes}))
    return Rule(freq, interval, byday)


def _parse_day_list(text: str) -> tuple[int, ...] | None:
    """``"monday and thursday"`` → ``(0, 3)``; None if any word is not a weekday."""
    words = [w for w in re.split(r"[\s,/&+]+|\band\b", text) if w]
    if not words or any(w not in _DAY_WORDS for w in words):
        return None
    return tuple(sorted({_DAY_WORDS[w] for w in words}))


def _parse_english(text: str) -> Rule | None:
    phrase = " ".join(re.sub(r"[.!]+$", "", text).split())
    # "weekly on friday" and "every week on friday" say the same as "every friday".
    phrase = re.sub(r"^(?:weekly|every week|each week) on ", "every ", phrase)
    if phrase in _SIMPLE:
        return parse_rule(_SIMPLE[phrase])
    if match := _EVERY_N.fullmatch(phrase):
        n = int(match.group(1))
        if not 1 <= n <= MAX_INTERVAL:
            return None
        return Rule(_UNIT_FREQ[match.group(2)], n)
    if phrase == "every weekend":
        return Rule("WEEKLY", 1, (5, 6))
    if match := _EVERY_N_WEEKS_ON.fullmatch(phrase):
        n = 2 if match.group(1) == "other" else int(match.group(1))
        days = _parse_day_list(match.group(2))
        return Rule("WEEKLY", n, days) if days and 1 <= n <= MAX_INTERVAL else None
    days_text = phrase
    interval = 1
    if match := _EVERY_DAYS.fullmatch(phrase):
        qualifier, days_text = match.group(1), match.group(2)
        if qualifier == "other ":
            interval = 2
        elif qualifier is not None:
            return None  # "every 2nd friday" is a monthly-by-position rule: not supported
    days = _parse_day_list(days_text)
    if days is None:
        return None
    return Rule("WEEKLY", interval, days)


def parse_recurrence(text: str) -> str:
    """Turn RRULE text or everyday English into the canonical RRULE string.

    >>> parse_recurrence("every Monday and Thursday")
    'FREQ=WEEKLY;BYDAY=MO,TH'
    >>> parse_recurrence("RRULE:INTERVAL=1;FREQ=DAILY")
    'FREQ=DAILY'

    Raises ``InvalidRule`` with examples of what is understood.
    """
    cleaned = text.strip()
    if not cleaned:
        raise InvalidRule(f"The recurrence is empty. {_EXAMPLES}", field="recurrence")
    if "=" in cleaned:
        return str(parse_rule(cleaned))
    rule = _parse_english(cleaned.lower())
    if rule is None:
        raise InvalidRule(
            f'Mend does not understand "{cleaned}" as a repeat. {_EXAMPLES}', field="recurrence"
        )
    return str(rule)


def join_words(words: list[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``; empty for no words."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def describe(rule: str) -> str:
    """Say a rule in plain English: ``"every Friday"``, ``"every 2 weeks"``, ``"every weekday"``."""
    parsed = parse_rule(rule)
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month"}[parsed.freq]
    every = f"every {unit}" if parsed.interval == 1 else f"every {parsed.interval} {unit}s"
    if not parsed.byday:
        return every
    if parsed.byday == (0, 1, 2, 3, 4):
        if parsed.interval > 1:
            return f"{every} on weekdays"
        days = "weekday"
    else:
        days = join_words([WEEKDAY_NAMES[d] for d in parsed.byday])
    if parsed.interval == 1:
        return f"every {days}"
    if parsed.interval == 2:
        return f"every other {days}"
    return f"{every} on {days}"


def _add_months(anchor: datetime, months: int) -> datetime:
    """``anchor`` moved by whole months, on its day or the month's last day if shorter."""
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


_DAY_US: Final = 86_400_000_000
_MICRO: Final = timedelta(microseconds=1)


def occurrences_between(
    rule: str, anchor: datetime, start: datetime, end: datetime
) -> list[datetime]:
    """Due times of ``rule`` from ``anchor`` that fall in ``[start, end)``, sorted.

    The anchor is the first due time; every occurrence keeps its time of day. Nothing
    before the anchor is ever returned.
    """
    epoch = datetime(1970, 1, 1, tzinfo=anchor.tzinfo)  # counts on the anchor's clock
    found = occurrence_micros(
        rule, (anchor - epoch) // _MICRO, (start - epoch) // _MICRO, (end - epoch) // _MICRO
    )
    return [epoch + timedelta(microseconds=due) for due in found]


def occurrence_micros(rule: str, anchor: int, start: int, end: int) -> list[int]:
    """``occurrences_between`` on instants given as microseconds since 1970.

    A status board expands thousands of recurring promises; whole numbers spare it a
    datetime for every step of the walk.
    """
    parsed = parse_rule(rule)
    lower = max(start, anchor)
    if end <= lower:
        return []
    if parsed.freq == "MONTHLY":
        return _monthly_micros(parsed.interval, anchor, lower, end)
    if parsed.freq == "DAILY" or not parsed.byday:
        step = parsed.interval * (7 if parsed.freq == "WEEKLY" else 1) * _DAY_US
        due = anchor - (anchor - lower) // step * step  # the first at or after ``lower``
        found = []
        while due < end:
            found.append(due)
            due += step
        return found
    # Weekly on named days: walk the qualifying weeks, counted from the anchor's Monday
    # (1 January 1970 was a Thursday, weekday 3).
    week_zero = anchor - (anchor // _DAY_US + 3) % 7 * _DAY_US
    period = 7 * parsed.interval * _DAY_US
    monday = week_zero + max(0, (lower - week_zero) // period) * period
    found = []
    while monday < end:
        for day in parsed.byday:
            due = monday + day * _DAY_US
            if lower <= due < end:
                found.append(due)
        monday += period
    return found


def _monthly_micros(interval: int, anchor: int, lower: int, end: int) -> list[int]:
    epoch = datetime(1970, 1, 1)
    first, since = epoch + timedelta(microseconds=anchor), epoch + timedelta(microseconds=lower)
    months = (since.year - first.year) * 12 + since.month - first.month
    k = max(0, months // interval - 1)
    found: list[int] = []
    while (due := (_add_months(first, k * interval) - epoch) // _MICRO) < end:
        if due >= lower:
            found.append(due)
        k += 1
    return found
