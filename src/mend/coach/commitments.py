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

from mend.coach._text import SOFT_BREAK, json_text

_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip
_WD = "|".join(_WEEKDAYS)
_MO = "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"

_SENTENCE: Final = re.compile(rf"(?:[^.!?\n]|{SOFT_BREAK})+[.!?]*")
# Where a promise starts: "I'll", "we will", "I'm going to", "I promise to", "let me",
# "let's". What follows up to the next promise (or the end of the sentence) is its action.
_HEAD: Final = re.compile(
    r"\b(?P<who>i|we|our (?:team|company|side|group))(?:['\u2019]ll| will| shall| am going to|"
    r"['\u2019]m going to| are going to|['\u2019]re going to| promise to| commit to)\s+"
    r"(?:(?:also|then|now|personally|definitely|"
    r"make sure to|make sure i|make sure we)\s+)*"
    r"(?!not\b|try\b|(?:be|do) better\b(?![^.!?\n]*\bby \w+ing)|assume\b|guess\b|bet\b|admit\b"
    r"|just stay\b)(?=[a-z])"
    r"|\b(?P<let>let me|let['\u2019]s|let us) (?!know\b|be\b|say\b|explain\b|see\b|try\b|"
    r"just try\b|make sure i\b|check i\b|hear\b|ask\b)(?=[a-z])",
    re.IGNORECASE,
)
# "..., then rotate it weekly": a second promise by the same owner.
_THEN: Final = re.compile(
    r"(?:,\s*|\s+)(?:and\s+)?then\s+(?!i\b|we\b|you\b|it\b|that\b|the\b)(?=[a-z])", re.I
)
# Where one clause of a sentence ends and the next begins: "..., and by the 15th I will".
_CLAUSE_BREAK: Final = re.compile(
    r",\s*(?:and|but|then|plus|while)?\s*|;\s*|\s+(?:and|then)\s+", re.I
)
_NUMBER_WORDS: Final = "a|one|two|three|four|five|six|seven|eight|nine|ten"
_RECUR: Final = re.compile(
    rf"\b(?:every|each)\s+(?P<nth>other|second|(?:\d+|{_NUMBER_WORDS})\s+)?\s*(?P<unit>day|morning|"
    rf"evening|week|weekday|working day|month|sprint|quarter|{_WD})s?\b"
    rf"|\b(?P<adv>daily|weekly|monthly|fortnightly|biweekly|quarterly)\b"
    rf"|\b(?:on\s+)?(?P<plural>{_WD})s\b",
    re.IGNORECASE,
)
_DUE: Final = re.compile(
    rf"\b(?:by|before|on|until|no later than)?\s*(?:"
    rf"(?P<rel>today|tonight|tomorrow)|"
    rf"(?:the\s+)?end of (?:the\s+)?(?P<eo>day|week|month|quarter|{_MO})|"
    rf"(?P<nw>next|this)\s+(?P<nwu>week|month|{_WD})|"
    rf"(?P<wd>{_WD})|"
    rf"in\s+(?P<n>\d+|{_NUMBER_WORDS})\s+(?P<nu>days?|weeks?|months?)|"
    rf"(?P<mo>{_MO})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?|"
    rf"(?:the\s+)?(?P<dm>\d{{1,2}})(?:st|nd|rd|th)(?:\s+of\s+(?P<mo2>{_MO}))?|"
    rf"(?P<dm3>\d{{1,2}})\s+(?P<mo3>{_MO})|"
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf")\b",
    re.IGNORECASE,
)
_NUM: Final = {"a": 1, **{w: i for i, w in enumerate(_NUMBER_WORDS.split("|")[1:], 1)}}
# Recurrences said in words Mend's recurrence parser does not take, in words it does.
_RECUR_UNIT: Final = {
    "day": "every day",
    "morning": "daily",
    "evening": "daily",
    "week": "every week",
    "weekday": "every weekday",
    "working day": "every weekday",
    "month": "every month",
    "sprint": "every 2 weeks",
    "quarter": "every 3 months",
    "quarterly": "every 3 months",
}


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
            "action": json_text(self.action),
            "due": self.due.isoformat() if self.due else None,
            "due_text": json_text(self.due_text) if self.due_text else self.due_text,
            "recurrence": self.recurrence,
            "start": self.start,
            "end": self.end,
            "text": json_text(self.text),
        }


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower()[:3]))


def _last_day(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


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
        if unit == "month":
            return _last_day(today.year, today.month)
        if unit == "quarter":
            return _last_day(today.year, (today.month - 1) // 3 * 3 + 3)
        month = _month(unit)
        return _last_day(today.year + (month < today.month), month)
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
        unit = g["nu"].lower()
        if unit.startswith("month"):
            total = today.month - 1 + n
            year, month = today.year + total // 12, total % 12 + 1
            return min(
                today.replace(day=1).replace(year=year, month=month), _last_day(year, month)
            ) + (timedelta(days=min(today.day, _last_day(year, month).day) - 1))
        return today + timedelta(days=n * (7 if unit.startswith("week") else 1))
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
        if g["dm3"]:
            d = date(today.year, _month(g["mo3"]), int(g["dm3"]))
            return d if d >= today else d.replace(year=today.year + 1)
        if g["iso"]:
            return date.fromisoformat(g["iso"])
    except ValueError:
        return None  # "the 31st" of a short month, "2026-13-01": no date rather than a wrong one
    return None


def _recurrence(m: re.Match[str]) -> str:
    """Words Mend's recurrence parser accepts ("weekly on friday", "every 2 weeks")."""
    if m.group("adv"):
        adv = m.group("adv").lower()
        return _RECUR_UNIT.get(adv, adv)
    if m.group("plural"):
        return "weekly on " + m.group("plural").lower()
    unit = " ".join(m.group("unit").lower().split())
    nth = (m.group("nth") or "").strip().lower()
    if unit in _WEEKDAYS:
        return ("every other " if nth in ("other", "second") else "weekly on ") + unit
    if nth in ("other", "second"):
        nth = "2"
    if nth and unit in ("day", "week", "month"):
        n = _NUM.get(nth) or int(nth)
        return f"every {n} {unit}s" if n > 1 else f"every {unit}"
    return _RECUR_UNIT[unit]


def _clauses(s: str) -> list[tuple[int, int, int, int, str]]:
    """One ``(start, end, head_start, head_end, owner)`` region of ``s`` per promise.

    A sentence with two promises ("I'll send a note every Friday, and by the 15th I
    will share the plan") is cut at the last clause break before the second one, so
    each keeps its own date and rhythm. "..., then <verb>" after a promise is a second
    promise by the same owner ("I'll publish the rota by Friday, then rotate it weekly").
    """
    heads: list[tuple[int, int, str]] = []
    for m in _HEAD.finditer(s):
        who = (m.group("who") or m.group("let") or "").lower()
        owner = "me" if who in ("i", "let me") else "us"
        heads.append((m.start(), m.end(), owner))
    if heads:
        for m in _THEN.finditer(s, heads[0][1]):
            if not any(h[0] <= m.start() < h[1] for h in heads):
                heads.append((m.start() + m.group().lower().rindex("then"), m.end(), ""))
        heads.sort()
    regions = []
    start = 0
    owner = "me"
    for i, (h_start, h_end, who) in enumerate(heads):
        owner = who or owner
        end = len(s)
        if i + 1 < len(heads):
            nxt = heads[i + 1][0]
            breaks = list(_CLAUSE_BREAK.finditer(s, h_end, nxt))
            end = breaks[-1].start() if breaks and breaks[-1].end() <= nxt else nxt
        regions.append((start, end, h_start, h_end, owner))
        start = end
    return regions


def mentions_when(text: str) -> bool:
    """Whether ``text`` names a date or a rhythm anywhere ("daily", "by the 15th")."""
    return _RECUR.search(text) is not None or any(m.group().strip() for m in _DUE.finditer(text))


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
        for lo, hi, h_start, h_end, owner in _clauses(s):
            found.append(_commitment(text, sent.start(), s, (lo, hi, h_start, h_end), owner, today))
    return found


def _commitment(
    text: str,
    offset: int,
    s: str,
    bounds: tuple[int, int, int, int],
    owner: str,
    today: date | None,
) -> Commitment:
    lo, hi, h_start, h_end = bounds
    clause = s[lo:hi]
    recur = _RECUR.search(clause)
    due_match = None
    for d in _DUE.finditer(clause):
        if recur and recur.start() <= d.start() < recur.end():
            continue  # "every Friday" is a recurrence, not a deadline
        if d.group().strip():
            due_match = d
            break
    action = " ".join(s[h_end:hi].split()).strip(" ,;.!")
    # The when goes in its own fields: drop it from the action's end ("... every Friday"),
    # but keep words the action needs ("move the review to Tuesdays").
    for _ in range(2):
        for m in (recur, due_match):
            words = " ".join(m.group().split()) if m is not None else ""
            if words and action.lower().endswith(words.lower()):
                before = action[: -len(words)].rstrip(" ,")
                if not re.search(r"\b(?:to|for|of|with)$", before, re.I):
                    action = before
    action = re.sub(r"\s+(?:by|on|before|until|starting|from|and)$", "", action, flags=re.I)
    starts = [h_start] + [lo + m.start() for m in (recur, due_match) if m is not None]
    start = min(x + len(s[x:]) - len(s[x:].lstrip()) for x in starts)
    end = lo + len(clause.rstrip(" .!\t\r,;"))
    end = max(end, start)
    return Commitment(
        owner=owner,
        action=action,
        due=_resolve(due_match, today) if (due_match and today) else None,
        due_text=due_match.group().strip() if due_match else None,
        recurrence=_recurrence(recur) if recur else None,
        start=offset + start,
        end=offset + end,
        text=text[offset + start : offset + end],
    )
