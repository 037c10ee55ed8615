"""What the pages about one repair (commitments, check-ins, trust, ground, agreement) share."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from mend.app import App
from mend.domain.model import Person, Repair
from mend.errors import MendError
from mend.web.pages.common import render

#: The sections of a repair, in the order the sub-navigation lists them.
SECTIONS = (
    ("steps", "", "Steps"),
    ("commitments", "/commitments", "Commitments"),
    ("checkins", "/checkins", "Check-ins"),
    ("trust", "/trust", "Trust"),
    ("ground", "/ground", "Common ground"),
    ("agreement", "/agreement", "Agreement"),
)


def load(app: App, repair_id: int) -> tuple[Repair, Person]:
    """The repair and its person, read without writing anything (404 when unknown)."""
    uow = app.uow(write=False)
    with uow:
        repair = uow.repairs.get(repair_id)
        person = uow.people.get(repair.person_id)
    return repair, person


def render_repair_page(
    request: Request,
    template: str,
    *,
    repair: Repair,
    person: Person,
    section: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page about one repair with its heading context and sub-navigation."""
    return render(
        request,
        template,
        status_code=status_code,
        page="repair",
        section=section,
        sections=SECTIONS,
        repair=repair,
        person=person,
        **context,
    )


def form_error(
    exc: MendError, fallback: str, names: dict[str, str] | None = None
) -> dict[str, str]:
    """The one message a form shows, keyed by the form field it belongs beside.

    ``names`` maps every service field name the form shows to the form's own name
    (``due_at`` -> ``due``); any other field falls back to ``fallback``.
    """
    field = (names or {}).get(exc.field or "", fallback)
    return {field: exc.message}
