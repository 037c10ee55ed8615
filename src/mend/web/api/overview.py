"""/api/v1: the board across repairs, trust, the live coach, documents, export and import."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from mend.app import App
from mend.errors import InvalidInput
from mend.services import calendar_token, exchange, exports, overview
from mend.services.coaching import coach_report
from mend.web import schemas as s
from mend.web.api.convert import trust_report
from mend.web.deps import (
    AGENDA_DAYS,
    PREFIX,
    Boards,
    Id,
    Paging,
    boards,
    get_mend,
    page_params,
)

router = APIRouter(prefix=PREFIX)


@router.get("/status", response_model=list[s.StatusRowPublic], tags=["overview"])
def status(
    include_closed: bool = Query(False), boards: Boards = Depends(boards)
) -> list[s.StatusRowPublic]:
    """Every repair's row of the board (the paged form is GET /api/v1/repairs)."""
    return boards.board(include_closed=include_closed).public


@router.get("/next", response_model=s.SuggestionPublic | None, tags=["overview"])
def next_action(boards: Boards = Depends(boards)) -> object:
    return boards.board().suggestion


@router.get("/agenda", response_model=s.AgendaPublic, tags=["overview"])
def agenda(
    days: int = Query(7, ge=1, le=366),
    app: App = Depends(get_mend),
    boards: Boards = Depends(boards),
) -> object:
    if days == AGENDA_DAYS:
        return boards.board().agenda
    return overview.agenda(app.uow(write=False), now=app.now(), tz=app.tz, days=days)


@router.get("/repairs/{repair_id}/trust", response_model=s.TrustReportPublic, tags=["trust"])
def trust(
    repair_id: Id,
    weeks: int = Query(12, ge=1, le=260),
    paging: Paging = Depends(page_params),
    app: App = Depends(get_mend),
) -> s.TrustReportPublic:
    """Trust now, its weekly trajectory, and every outcome that moved it (``movers``,
    paged with ``limit``/``offset``; ``movers_total`` counts them all)."""
    return trust_report(
        overview.trust_report(app.uow(write=False), repair_id, now=app.now(), weeks=weeks),
        limit=paging.limit,
        offset=paging.offset,
        tz=app.tz,
    )


#: Texts up to this long are coached on the event loop (about a millisecond); longer
#: ones (up to 50,000 characters, some 60 ms) in the thread pool, so they hold up no one.
INLINE_COACH_CHARS = 2_000


@router.post("/coach", response_model=s.CoachReportPublic, tags=["coach"])
async def coach(body: s.CoachRequest, app: App = Depends(get_mend)) -> dict[str, Any]:
    """The coach's report on a text, for the step it is written for (nothing is saved)."""
    if not body.text.strip():
        raise InvalidInput("Write something for the coach to read.", field="text")
    if len(body.text) <= INLINE_COACH_CHARS:
        return coach_report(body.text, body.step, now=app.now())
    return await run_in_threadpool(coach_report, body.text, body.step, now=app.now())


@router.get("/export", tags=["export"])
def export(app: App = Depends(get_mend)) -> dict[str, Any]:
    """Everything, as the same JSON `mend export json` writes."""
    return exchange.export_all(app.uow(write=False), now=app.now())


_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A JSON export as written by GET /api/v1/export or `mend export json`.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post("/import", response_model=s.ImportResult, tags=["export"], openapi_extra=_IMPORT_BODY)
async def import_(request: Request, app: App = Depends(get_mend)) -> s.ImportResult:
    """Import an export; everything is added in one transaction, or nothing is.

    The body may be up to 200 MiB (other requests: 1 MiB).
    """
    body = await request.body()
    summary = await run_in_threadpool(exchange.import_file, app.uow(), body)
    return s.ImportResult(counts=dict(summary.counts))


@router.post("/demo", response_model=s.DemoLoaded, status_code=201, tags=["overview"])
def demo(app: App = Depends(get_mend)) -> s.DemoLoaded:
    """Add the demo person and repair, with three weeks of history, to try Mend out."""
    from mend.services.demo import load_demo

    repair = load_demo(app.uow, now=app.now(), tz=app.tz)
    assert repair.id is not None
    return s.DemoLoaded(repair_id=repair.id)


_ICS = {"content": {"text/calendar": {"schema": {"type": "string"}}}}
_MARKDOWN = {"content": {"text/markdown": {"schema": {"type": "string"}}}}


@router.get("/calendar.ics", response_class=Response, responses={200: _ICS}, tags=["export"])
def calendar(app: App = Depends(get_mend)) -> Response:
    """Open check-ins and pending commitments of active repairs, as iCalendar with alarms."""
    body = exports.calendar_feed(app.uow(write=False), now=app.now())
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="mend.ics"'},
    )


def _feed(request: Request, token: str) -> s.CalendarFeed:
    url = f"{str(request.base_url).rstrip('/')}/calendar/{token}.ics"
    return s.CalendarFeed(url=url, webcal_url="webcal://" + url.split("://", 1)[1])


@router.get("/calendar/feed", response_model=s.CalendarFeed, tags=["export"])
def calendar_feed(request: Request, app: App = Depends(get_mend)) -> s.CalendarFeed:
    """The private link a calendar app can subscribe to (no login needed to read it)."""
    return _feed(request, calendar_token.owner_token(app.uow()))


@router.post("/calendar/feed", response_model=s.CalendarFeed, tags=["export"])
def renew_calendar_feed(request: Request, app: App = Depends(get_mend)) -> s.CalendarFeed:
    """Replace the private link; calendars subscribed to the old one stop updating."""
    return _feed(request, calendar_token.renew_owner_token(app.uow()))


def _markdown(path: str, tag: str) -> Callable[[Callable[..., str]], Callable[..., Response]]:
    """A GET route answering the Markdown text its function returns."""

    def decorate(make: Callable[..., str]) -> Callable[..., Response]:
        @functools.wraps(make)
        def route(*args: Any, **kwargs: Any) -> Response:
            return Response(make(*args, **kwargs), media_type="text/markdown; charset=utf-8")

        router.get(path, response_class=Response, responses={200: _MARKDOWN}, tags=[tag])(route)
        return route

    return decorate


@_markdown("/repairs/{repair_id}/report", "export")
def repair_report(repair_id: Id, app: App = Depends(get_mend)) -> str:
    """The whole repair as a Markdown document."""
    return exports.repair_document(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)


@_markdown("/repairs/{repair_id}/agreement/document", "agreement")
def agreement_document(repair_id: Id, app: App = Depends(get_mend)) -> str:
    """The current agreement as a printable Markdown document."""
    return exports.agreement_document(app.uow(write=False), repair_id, tz=app.tz)
