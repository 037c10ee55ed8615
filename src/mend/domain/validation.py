"""Limits on what a user may enter, and the one place that checks them."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from mend.errors import InvalidInput, TooLarge

#: Short labels: names, titles, channels.
MAX_SHORT = 200
#: Free text: what happened, summaries, perspectives, notes.
MAX_TEXT = 10_000
#: Drafts, the same limit as the coach's.
MAX_DRAFT = 50_000

E = TypeVar("E", bound=StrEnum)


def clean_text(
    value: str | None, field: str, *, limit: int = MAX_TEXT, required: bool = False
) -> str:
    """Strip ``value``; refuse it when required and blank, or when over ``limit`` characters."""
    text = (value or "").strip()
    if "\x00" in text:  # PostgreSQL text cannot hold it; no one types it
        raise InvalidInput(f"{_label(field)} contains a NUL character.", field=field)
    if required and not text:
        raise InvalidInput(f"{_label(field)} cannot be empty.", field=field)
    if len(text) > limit:
        raise TooLarge(
            f"{_label(field)} is {len(text):,} characters; the limit is {limit:,}.",
            field=field,
        )
    return text


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
    if not 1 <= value <= 5:
        raise InvalidInput(
            f"Severity must be from 1 (minor) to 5 (severe), got {value}.", field="severity"
        )
    return value


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()
