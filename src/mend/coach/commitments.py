"""Pull the promises out of a draft: who, what, by when or how often, and where.

"I'll send you the schedule every Friday" gives owner ``me``, action
``send you the schedule``, recurrence ``weekly on Friday``. Dates are resolved
against ``now`` (never the system clock); without ``now`` only ``due_text`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip
_WD = "|".join(_WEEKDAYS)
_MO = "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"

_SENTENCE: Final = re.compile(r"[^.!?\n]+[.!?]*")
_PROMISE: Final = re.compile(
    r"\b(?P<who>i|we)(?:['\u2019]ll| will| shall| am going to|['\u2019]m going to| are going to|"
    r"['\u2019]re going to| promise to| commit to)\s+(?:(?:also|then|now|personally|definitely|"
    r"make sure to|make sure i|make sure we)\s+)*(?!not\b|try\b|be better\b|do better\b)"
    r"(?P<action>[a-z][^.!?\n;]*)|\blet me (?P<action2>[a-z][^.!?\n;]*)",
    re.IGNORECASE,
)
_RECUR: Final = re.compile(
    rf"\b(?:every|each)\s+(?:other\s+)?(?P<unit>day|morning|evening|week|weekday|month|sprint|"
    rf"quarter|{_WD})s?\b|\b(?P<adv>daily|weekly|monthly|fortnightly|biweekly)\b",
    re.IGNORECASE,
)
_DUE: Final = re.compile(
    rf"\b(?:by|before|on|until|no later than)?\s*(?:"
    rf"(?P<rel>today|tonight|tomorrow)|"
    rf"(?:the\s+)?end of (?:the\s+)?(?P<eo>day|week|month)|"
    rf"(?P<nw>next|this)\s+(?P<nwu>week|month|{_WD})|"
    rf"(?P<wd>{_WD})|"
    rf"in\s+(?P<n>\d+|a|one|two|three)\s+(?P<nu>days?|weeks?)|"
    rf"(?P<mo>{_MO})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?|"
    rf"(?:the\s+)?(?P<dm>\d{{1,2}})(?:st|nd|rd|th)(?:\s+of\s+(?P<mo2>{_MO}))?|"
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf")\b",
    re.IGNORECASE,
)
_NUM: Final = {"a": 1, "one": 1, "two": 2, "three": 3}


@dataclass(frozen=True, slots=True)
class Commitment:
    """One promise found in a draft.

    ``owner`` is ``me`` or ``us``; ``due`` is a resolved date (needs ``now``);
    ``due_text`` the words that set it; ``recurrence`` e.g. ``weekly on friday``;
    ``start``/``end`` the span of the promise in the original text.
    """

    owner: str
    action: str
    due: date | None
    due_text: str | None
    recurrence: str | None
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "owner": self.owner,
            "action": self.action,
            "due": self.due.isoformat() if self.due else None,
            "due_text": self.due_text,
            "recurrence": self.recurrence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower()[:3]))


def _resolve(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    if g["rel"]:
        return today + timedelta(days=0 if g["rel"].lower() in ("today", "tonight") else 1)
    if g["eo"]:
        unit = g["eo"].lower()
        if unit == "day":
            return today
        if unit == "week":
            return today + timedelta(days=(4 - today.weekday()) % 7)  # Friday
        nxt = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    if g["nw"]:
        unit = g["nwu"].lower()
        if unit == "week":
            return (
                today + timedelta(days=7 - today.weekday())
                if g["nw"].lower() == "next"
                else (today + timedelta(days=(4 - today.weekday()) % 7))
            )
        if unit == "month":
            return date(today.year + today.month // 12, today.month % 12 + 1, 1)
        ahead = (_WEEKDAYS.index(unit) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead + (7 if g["nw"].lower() == "next" and ahead < 7 else 0))
    if g["wd"]:
        ahead = (_WEEKDAYS.index(g["wd"].lower()) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if g["n"]:
        n = _NUM.get(g["n"].lower()) or int(g["n"])
        return today + timedelta(days=n * (7 if g["nu"].lower().startswith("week") else 1))
    try:
        if g["mo"]:
            d = date(today.year, _month(g["mo"]), int(g["md"]))
            return d if d >= today else d.replace(year=today.year + 1)
        if g["dm"]:
            day = int(g["dm"])
            if g["mo2"]:
                d = date(today.year, _month(g["mo2"]), day)
                return d if d >= today else d.replace(year=today.year + 1)
            d = date(today.year, today.month, day)
            if d < today:
                d = date(today.year + today.month // 12, today.month % 12 + 1, day)
            return d
        if g["iso"]:
            return date.fromisoformat(g["iso"])
    except ValueError:
        return None  # "the 31st" of a short month, "2026-13-01": no date rather than a wrong one
    return None


def extract_commitments(text: str, *, now: datetime | None) -> list[Commitment]:
    """The promises in ``text`` (first person, future), in order of appearance.

    ``now`` resolves relative dates ("by Friday", "the 15th"); pass ``None`` to keep
    only the words. Questions are skipped: "Shall I send it?" is not a promise.
    """
    today = now.date() if now else None
    found: list[Commitment] = []
    for sent in _SENTENCE.finditer(text):
        s = sent.group()
        if s.rstrip().endswith("?"):
            continue
        p = _PROMISE.search(s)
        if p is None:
            continue
        raw_action = p.group("action") or p.group("action2") or ""
        owner = "us" if (p.group("who") or "").lower() == "we" else "me"
        recur = _RECUR.search(s)
        recurrence = None
        if recur:
            recurrence = (recur.group("adv") or "every " + (recur.group("unit") or "")).lower()
            if recur.group("unit") and recur.group("unit").lower() in _WEEKDAYS:
                recurrence = "weekly on " + recur.group("unit").lower()
        due_match = None
        for d in _DUE.finditer(s):
            if recur and recur.start() <= d.start() < recur.end():
                continue  # "every Friday" is a recurrence, not a deadline
            if d.group().strip():
                due_match = d
                break
        action = raw_action
        for m in (recur, due_match):
            if m is not None:
                action = action.replace(m.group().strip(), " ")
        action = re.sub(r"\s+", " ", action).strip(" ,")
        action = re.sub(r"\s+(?:by|on|before|until|starting|from)$", "", action, flags=re.I)
        start = sent.start() + min(p.start(), due_match.start() if due_match else p.start())
        end = sent.start() + len(s.rstrip(" .!\t\r"))
        found.append(
            Commitment(
                owner=owner,
                action=action,
                due=_resolve(due_match, today) if (due_match and today) else None,
                due_text=due_match.group().strip() if due_match else None,
                recurrence=recurrence,
                start=start,
                end=max(end, start),
                text=text[start : max(end, start)],
            )
        )
    return found
