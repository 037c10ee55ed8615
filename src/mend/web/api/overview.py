"""/api/v1: the board across repairs, trust, the live coach, export and import."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from mend.app import App
from mend.errors import InvalidInput
from mend.services import exchange, overview
from mend.services.coaching import coach_report
from mend.web import schemas as s
from mend.web.api.convert import status_row, trust_report
from mend.web.deps import get_mend

router = APIRouter()


@router.get("/status", response_model=list[s.StatusRowPublic], tags=["overview"])
def status(
    include_closed: bool = Query(False), app: App = Depends(get_mend)
) -> list[s.StatusRowPublic]:
    rows = overview.status_board(
        app.uow(write=False), now=app.now(), tz=app.tz, include_closed=include_closed
    )
    return [status_row(r) for r in rows]


@router.get("/next", response_model=s.SuggestionPublic | None, tags=["overview"])
def next_action(app: App = Depends(get_mend)) -> object:
    rows = overview.status_board(app.uow(write=False), now=app.now(), tz=app.tz)
    return overview.best_next(rows, app.now())


@router.get("/agenda", response_model=s.AgendaPublic, tags=["overview"])
def agenda(days: int = Query(7, ge=1, le=366), app: App = Depends(get_mend)) -> object:
    return overview.agenda(app.uow(write=False), now=app.now(), tz=app.tz, days=days)


@router.get("/repairs/{repair_id}/trust", response_model=s.TrustReportPublic, tags=["trust"])
def trust(
    repair_id: int, weeks: int = Query(12, ge=1, le=260), app: App = Depends(get_mend)
) -> s.TrustReportPublic:
    return trust_report(
        overview.trust_report(app.uow(write=False), repair_id, now=app.now(), weeks=weeks)
    )


@router.post("/coach", response_model=s.CoachReportPublic, tags=["coach"])
def coach(body: s.CoachRequest, app: App = Depends(get_mend)) -> dict[str, Any]:
    """The coach's report on a text, for the step it is written for (nothing is saved)."""

    if not body.text.strip():
        raise InvalidInput("Write something for the coach to read.", field="text")
    return coach_report(body.text, body.step, now=app.now())


@router.get("/export", tags=["export"])
def export(app: App = Depends(get_mend)) -> dict[str, Any]:
    """Everything, as the same JSON `mend export json` writes."""
    return exchange.export_all(app.uow(write=False), now=app.now())


@router.post("/import", response_model=s.ImportResult, tags=["export"])
def import_(data: dict[str, Any], app: App = Depends(get_mend)) -> s.ImportResult:
    """Import an export; everything is added in one transaction, or nothing is."""
    summary = exchange.import_all(app.uow(), data)
    return s.ImportResult(counts=dict(summary.counts))
