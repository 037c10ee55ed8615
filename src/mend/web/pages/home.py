"""The home page: every repair at a glance, and the first-run welcome."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from mend.web.deps import board_cache
from mend.web.pages.common import form, mend, redirect, render

router = APIRouter()


#: Repairs per page of the board, and items shown per agenda group before "and N more".
PAGE_SIZE = 50
AGENDA_SHOWN = 10
_TOKEN_STAND_IN = f"csrf-{secrets.token_hex(16)}"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page: int = Query(1, ge=1, le=10_000)) -> Response:
    boards = board_cache(request)
    board = boards.board()
    rows = board.rows
    if not rows and not boards.board(include_closed=True).rows:
        return render(request, "welcome.html", page="welcome")
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(page, pages)
    # The page is the same for every browser but for its CSRF token: rendered once per
    # board with a stand-in, which each answer swaps for the browser's own token.
    html = board.memo.get(("home", number))
    if html is None:
        html = request.app.state.templates.get_template("home.html").render(
            request=request,
            csrf_token=_TOKEN_STAND_IN,
            page="home",
            rows=rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
            total=len(rows),
            page_number=number,
            page_size=PAGE_SIZE,
            pages=pages,
            agenda=board.agenda,
            agenda_shown=AGENDA_SHOWN,
            suggestion=board.suggestion,
            tz=mend(request).tz,
        )
        board.memo[("home", number)] = html
    # Escaped like every other page does it: the token comes from a cookie.
    return HTMLResponse(html.replace(_TOKEN_STAND_IN, str(escape(request.state.csrf_token))))


@router.post("/demo")
async def demo(request: Request) -> Response:
    await form(request)
    from mend.services.demo import load_demo

    app = mend(request)
    repair = load_demo(app.uow, now=app.now(), tz=app.tz)
    return redirect(f"/repairs/{repair.id}")
