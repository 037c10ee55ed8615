"""How a page form reports what went wrong: messages beside fields, the values kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from mend.errors import InvalidInput, MendError

#: The key of an error that belongs to the whole form rather than one field.
WHOLE_FORM = "_form"


@dataclass(frozen=True)
class Failed:
    """A form post that was refused: which form, the message per field, what was typed."""

    form: str
    errors: dict[str, str]
    values: Mapping[str, str] = field(default_factory=dict)
    status: int = 422

    @classmethod
    def of(
        cls,
        form: str,
        exc: MendError,
        values: Mapping[str, str],
        *,
        fields: Mapping[str, str] | None = None,
        default: str = WHOLE_FORM,
    ) -> Failed:
        """Place ``exc`` beside its field (renamed through ``fields``), else at ``default``
        (by default above the form)."""
        name = exc.field or default
        name = (fields or {}).get(name, name)
        if name != WHOLE_FORM and name not in values and name not in (fields or {}).values():
            name = default
        return cls(form, {name: exc.message}, values, exc.http_status)

    def error(self, name: str) -> str:
        return self.errors.get(name, "")


def parse_date(text: str, field_name: str) -> date | None:
    """A day typed as YYYY-MM-DD (what ``<input type=date>`` sends), or None when blank."""
    raw = text.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"Cannot read {raw!r} as a date; use the form 2026-03-14.", field=field_name
        ) from None


def parse_int(text: str, field_name: str, label: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(f"{label} must be a whole number.", field=field_name) from None


def choices(
    members: Iterable[StrEnum], labels: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """``(value, label)`` pairs for a ``<select>``: the enum's values, said in words."""
    return [
        (m.value, (labels or {}).get(m.value) or m.value.replace("_", " ").capitalize())
        for m in members
    ]
