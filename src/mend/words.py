"""Small pieces of English every surface shares: counts and how late something is."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 repair"``, ``"3 repairs"`` (``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def overdue_words(days: int) -> str:
    """How late a due date is: "due today", "1 day overdue", "35 days overdue"."""
    return "due today" if days <= 0 else f"{plural(days, 'day')} overdue"
