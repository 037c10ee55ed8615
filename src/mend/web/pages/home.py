"""The home page: every repair at a glance, and the first-run welcome."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.services import overview
from mend.web.pages.common import form, mend, redirect, render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    app = mend(request)
    rows = overview.status_board(app.uow(write=False), now=app.now(), tz=app.tz)
    if not rows:
        everything = overview.status_board(
            app.uow(write=False), now=app.now(), tz=app.tz, include_closed=True
        )
        if not everything:
            return render(request, "welcome.html", page="welcome")
    agenda = overview.agenda(app.uow(write=False), now=app.now(), tz=app.tz)
    suggestion = overview.best_next(rows, app.now())
    return render(
        request,
        "home.html",
        page="home",
        rows=rows,
        agenda=agenda,
        suggestion=suggestion,
        tz=app.tz,
    )


@router.post("/demo")
async def demo(request: Request) -> Response:
    await form(request)
    from mend.services.demo import load_demo

    app = mend(request)
    repair = load_demo(app.uow, now=app.now(), tz=app.tz)
    return redirect(f"/repairs/{repair.id}")
