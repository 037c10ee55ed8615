"""Limits on what a user may enter, and the one place that checks them.

Every way in (the command line, the web pages, the JSON API and an import) applies these
same checks: the services call them by name, and each stored column names its check
(``mend.store.tables``, ``info={"check": ...}``), which is what an import runs on every
value of a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final, TypeVar

from mend.errors import InvalidInput, TooLarge

#: Short labels: names, titles, channels.
MAX_SHORT = 200
#: Free text: what happened, summaries, perspectives, notes.
MAX_TEXT = 10_000
#: Drafts, the same limit as the coach's.
MAX_DRAFT = 50_000
#: Ids are 32-bit integers in every database Mend supports; larger ones cannot exist.
MAX_ID = 2**31 - 1
#: The years a moment or a day may fall in.
FIRST_YEAR, LAST_YEAR = 1900, 2999
#: Check-ins repeat every 1 to this many days.
MAX_CADENCE_DAYS = 365
#: How many answers one step can hold (each step asks a handful of questions).
MAX_ANSWERS = 20
#: What an initiative can be.
INITIATIVE_STATUSES = ("proposed", "active", "done", "dropped")

E = TypeVar("E", bound=StrEnum)

#: Control characters no text may hold (tab, line feed and carriage return are fine in
#: free text): they corrupt terminals, reports and PostgreSQL (NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a one-line field may not hold: any control character or line separator.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def clean_text(
    value: str | None, field: str, *, limit: int = MAX_TEXT, required: bool = False
) -> str:
    """Strip ``value``; refuse it when required and blank, over ``limit`` characters, or
    holding control characters (other than tabs and line breaks)."""
    text = (value or "").strip()
    bad = _CONTROL.search(text)
    if bad:
        name = "a NUL character" if bad.group() == "\x00" else "a control character"
        raise InvalidInput(f"{_label(field)} contains {name}.", field=field)
    if required and not text:
        raise InvalidInput(f"{_label(field)} cannot be empty.", field=field)
    if len(text) > limit:
        raise TooLarge(
            f"{_label(field)} is {len(text):,} characters; the limit is {limit:,}.",
            field=field,
        )
    return text


def one_line(
    value: str | None, field: str, *, limit: int = MAX_SHORT, required: bool = False
) -> str:
    """Like :func:`clean_text`, for names and titles: no line breaks either."""
    text = (value or "").strip()
    if _NOT_ONE_LINE.search(text):
        raise InvalidInput(
            f"{_label(field)} must be one line, without line breaks or control characters.",
            field=field,
        )
    return clean_text(text, field, limit=limit, required=required)


def parse_choice(enum_cls: type[E], value: str | E, field: str) -> E:
    """An enum member from its value, forgiving case, spaces and hyphens."""
    if isinstance(value, enum_cls):
        return value
    key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum_cls(key)
    except ValueError:
        options = ", ".join(m.value.replace("_", " ") for m in enum_cls)
        raise InvalidInput(
            f"{_label(field)} must be one of: {options} (got {value!r}).", field=field
        ) from None


def check_severity(value: int) -> int:
    if type(value) is not int or not 1 <= value <= 5:
        raise InvalidInput(
            f"Severity must be from 1 (minor) to 5 (severe), got {value}.", field="severity"
        )
    return value


def check_cadence(days: int | None) -> int | None:
    if days is not None and (type(days) is not int or not 1 <= days <= MAX_CADENCE_DAYS):
        raise InvalidInput(
            f"A cadence is from 1 to {MAX_CADENCE_DAYS} days, got {days}.", field="cadence_days"
        )
    return days


def check_moment(value: datetime, field: str = "date") -> datetime:
    """``value`` in UTC, if it has a zone and falls between FIRST_YEAR and LAST_YEAR."""
    if value.tzinfo is None:
        raise InvalidInput(f"{_label(field)} needs a time zone or UTC offset.", field=field)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not FIRST_YEAR <= utc.year <= LAST_YEAR:
        raise InvalidInput(
            f"{_label(field)} must fall between the years {FIRST_YEAR} and {LAST_YEAR}.",
            field=field,
        )
    return utc


def check_day(value: date, field: str = "date") -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(
            f"{_label(field)} must fall between the years {FIRST_YEAR} and {LAST_YEAR}.",
            field=field,
        )
    return value


def check_id(value: int, field: str = "id") -> int:
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise InvalidInput(
            f"{_label(field)} must be a whole number from 1 to {MAX_ID:,}, got {value}.",
            field=field,
        )
    return value


def check_initiative_status(status: str) -> str:
    value = status.strip().lower()
    if value not in INITIATIVE_STATUSES:
        raise InvalidInput(
            f"An initiative is one of: {', '.join(INITIATIVE_STATUSES)} (got {status!r}).",
            field="status",
        )
    return value


def check_task(task: str, owner: str) -> dict[str, str]:
    """One line of an agreement's division of work: the task and who owns it."""
    from mend.domain.enums import Party

    return {
        "task": one_line(task, "task", required=True),
        "owner": parse_choice(Party, owner, "owner").value,
    }


def check_tasks(value: Any) -> list[dict[str, str]]:
    """A stored list of tasks: objects with a "task" text and an "owner" party."""
    if not isinstance(value, list) or len(value) > MAX_ANSWERS * 5:
        raise InvalidInput("Tasks must be a list of at most 100 tasks.", field="tasks")
    rows = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) != {"task", "owner"}
            or not all(isinstance(v, str) for v in item.values())
        ):
            raise InvalidInput(
                'Each task must be {"task": "...", "owner": "me|them|both|..."}.', field="tasks"
            )
        rows.append(check_task(item["task"], item["owner"]))
    return rows


def check_answers(value: Any) -> dict[str, str]:
    """A step's answers: question ids to answer texts."""
    if not isinstance(value, Mapping) or len(value) > MAX_ANSWERS:
        raise InvalidInput(
            f"Answers must be an object of at most {MAX_ANSWERS} question ids and texts.",
            field="answers",
        )
    answers = {}
    for key, text in value.items():
        if not isinstance(key, str) or not isinstance(text, str):
            raise InvalidInput("Every answer must be text.", field="answers")
        answers[one_line(key, "question", required=True)] = clean_text(text, "answer")
    return answers


def check_recurrence(value: str) -> str:
    from mend.domain.recurrence import parse_recurrence

    return parse_recurrence(one_line(value, "recurrence", required=True))


#: What the other person can say of a commitment occurrence, and their pulse's range.
VERDICTS: Final = ("kept", "late", "missed", "disputed")
PULSE_SCORES: Final = range(1, 6)


#: What the owner may share with the other person besides the title written for them,
#: each on or off per invitation (all on unless the owner says otherwise).
SHAREABLE: Final = ("messages", "commitments", "check_ins", "common_ground", "agreement")
ALL_SHARED: Final = ",".join(SHAREABLE)


def parse_shares(values: Iterable[str]) -> str:
    """The stored form of a choice of :data:`SHAREABLE` parts (comma-joined, in order)."""
    chosen = {v.strip().lower().replace("-", "_").replace(" ", "_") for v in values}
    chosen.discard("")
    unknown = sorted(chosen.difference(SHAREABLE))
    if unknown:
        raise InvalidInput(
            f"{unknown[0]!r} is not something to share; choose from {', '.join(SHAREABLE)}.",
            field="shares",
        )
    return ",".join(part for part in SHAREABLE if part in chosen)


def check_shares(value: Any) -> str:
    """A stored choice of shared parts (as written by :func:`parse_shares`)."""
    if not isinstance(value, str) or parse_shares(value.split(",")) != value:
        raise InvalidInput(
            f"Shares are a comma-separated choice of {', '.join(SHAREABLE)}, in that order.",
            field="shares",
        )
    return value


def check_verdict(value: Any) -> str:
    if value not in VERDICTS:
        raise InvalidInput(f"A verdict is one of {', '.join(VERDICTS)}.", field="verdict")
    return str(value)


def check_pulse(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in PULSE_SCORES:
        raise InvalidInput("A pulse is a whole number from 1 to 5.", field="score")
    return value


def check_report(value: Any) -> Any:
    """A stored coach report: an object (it is shown again only through the API)."""
    if not isinstance(value, Mapping):
        raise InvalidInput("A coach report must be an object.", field="coach_report")
    return value


#: A stored column's check: ``check(value, field)`` returns the value or raises InvalidInput.
Check = Callable[[Any, str], Any]


def text(limit: int = MAX_TEXT, *, required: bool = False, single: bool = False) -> Check:
    """A column's check for text: :func:`clean_text` or :func:`one_line` with these limits."""
    check = one_line if single else clean_text

    def run(value: Any, field: str) -> Any:
        check(value, field, limit=limit, required=required)
        return value

    return run


def on_field(check: Callable[..., Any]) -> Check:
    """A check that takes the field name as its second argument (moments, days, ids)."""
    return lambda value, field: check(value, field)


def on_value(check: Callable[[Any], Any]) -> Check:
    """A check that names its own field (severity, cadence, tasks...)."""
    return lambda value, field: check(value)


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()
