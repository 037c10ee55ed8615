"""Read the dates people type ("tomorrow", "next Friday", "in 2 weeks", ISO) as aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from mend.errors import InvalidInput

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """An aware instant as whole microseconds since 1970 (exact, unlike a float)."""
    return (moment - _EPOCH) // _MICRO


def instant(value: int) -> datetime:
    """The aware UTC instant ``value`` microseconds after 1970 (see :func:`micros`)."""
    return _EPOCH + timedelta(microseconds=value)


#: The hour a date without a time of day means (local time).
DEFAULT_HOUR = 9


def parse_when(text: str, *, now: datetime, tz: tzinfo, field: str = "date") -> datetime:
    """An aware UTC datetime for ``text``, read in the user's zone relative to ``now``."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(
            f"Give a {field}, e.g. 2026-03-14, tomorrow or next Friday.", field=field
        )
    local_now = now.astimezone(tz)
    parsed = _iso(raw, tz)
    if parsed is None:
        parsed = _everyday(raw, local_now, tz)
    if parsed is None:
        raise InvalidInput(
            f"Cannot read {raw!r} as a {field}; try 2026-03-14, 2026-03-14 15:30, tomorrow, "
            "next Friday or in 2 weeks.",
            field=field,
        )
    return parsed.astimezone(UTC)


def parse_day(text: str, *, now: datetime, tz: tzinfo, field: str = "date") -> date:
    """A calendar day in the user's zone."""
    return parse_when(text, now=now, tz=tz, field=field).astimezone(tz).date()


def _iso(raw: str, tz: tzinfo) -> datetime | None:
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime.combine(day, time(DEFAULT_HOUR), tzinfo=tz)
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def _everyday(raw: str, local_now: datetime, tz: tzinfo) -> datetime | None:
    import dateparser  # imported on use: it is slow to load and most commands never need it

    base = local_now.replace(tzinfo=None)
    value: datetime | None = dateparser.parse(
        raw,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if value is None:
        return None
    mentions_time = any(ch.isdigit() for ch in raw) and (":" in raw or "am" in raw or "pm" in raw)
    relative_span = any(w in raw.lower() for w in ("hour", "minute"))
    if not mentions_time and not relative_span:
        value = value.replace(hour=DEFAULT_HOUR, minute=0, second=0, microsecond=0)
    return value.replace(tzinfo=tz)


def format_local(value: datetime | None, tz: tzinfo, *, with_time: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return local.strftime("%a %d %b %Y %H:%M" if with_time else "%a %d %b %Y")
