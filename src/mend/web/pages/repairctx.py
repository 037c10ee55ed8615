"""What the pages about one repair (commitments, check-ins, trust, ground, agreement) share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from mend.app import App
from mend.domain.model import Person, Repair
from mend.errors import MendError, NotFound
from mend.web.pages.common import form, redirect, render
from mend.web.pages.forms import Failed

#: The sections of a repair, in the order the sub-navigation lists them.
SECTIONS = (
    ("steps", "", "Steps"),
    ("commitments", "/commitments", "Commitments"),
    ("checkins", "/checkins", "Check-ins"),
    ("trust", "/trust", "Trust"),
    ("ground", "/ground", "Common ground"),
    ("agreement", "/agreement", "Agreement"),
    ("invite", "/invite", "Invite them in"),
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
    (``due_at`` -> ``due``); any other field falls back to ``fallback``. The rule is
    :meth:`Failed.of`'s, shared by every page form.
    """
    return Failed.of("", exc, {}, fields=names, default=fallback).errors


async def submit(
    request: Request,
    action: Callable[[dict[str, str]], str],
    page: Callable[..., HTMLResponse],
    *,
    fallback: str,
    names: dict[str, str],
    **page_args: Any,
) -> Response:
    """Handle a form post: ``action`` saves and returns where to go next (303 there).

    On a refused value the page is shown again (``page(errors=, values=, status_code=)``)
    with the message beside its field and what was typed kept; the service's
    transaction has rolled back, so nothing is saved. An unknown id stays a 404.
    """
    data = await form(request)
    try:
        # In a worker thread: a write waiting for another process's lock must not stall
        # every other request.
        target = await run_in_threadpool(action, data)
    except NotFound:
        raise
    except MendError as exc:
        return page(
            errors=form_error(exc, fallback, names),
            values=data,
            status_code=exc.http_status,
            **page_args,
        )
    return redirect(target)
