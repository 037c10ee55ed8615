"""Common ground (step 9): the goals and interests you share, and what you start together."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.domain.enums import GroundKind
from mend.domain.validation import INITIATIVE_STATUSES
from mend.services import ground
from mend.web.pages.common import form, mend, redirect
from mend.web.pages.repairctx import load, render_repair_page, submit

router = APIRouter()

GROUND_FIELDS = {"kind": "kind", "text": "text"}
INITIATIVE_FIELDS = {
    "title": "title",
    "my_contribution": "my_contribution",
    "their_contribution": "their_contribution",
}


def _page(
    request: Request,
    repair_id: int,
    *,
    failed: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    repair, person = load(mend(request), repair_id)
    return render_repair_page(
        request,
        "ground.html",
        repair=repair,
        person=person,
        section="ground",
        status_code=status_code,
        kinds=list(GroundKind),
        statuses=INITIATIVE_STATUSES,
        failed=failed,
        errors=errors or {},
        values=values or {},
    )


@router.get("/repairs/{repair_id}/ground", response_class=HTMLResponse)
def ground_page(request: Request, repair_id: int) -> Response:
    return _page(request, repair_id)


@router.post("/repairs/{repair_id}/ground")
async def add_ground(request: Request, repair_id: int) -> Response:
    app = mend(request)

    def save(data: dict[str, str]) -> str:
        ground.add_common_ground(
            app.uow(),
            repair_id,
            text=data.get("text", ""),
            kind=data.get("kind") or GroundKind.GOAL,
            now=app.now(),
        )
        return f"/repairs/{repair_id}/ground#shared"

    page = partial(_page, request, repair_id, failed="ground")
    return await submit(request, save, page, fallback="text", names=GROUND_FIELDS)


@router.post("/repairs/{repair_id}/initiatives")
async def add_initiative(request: Request, repair_id: int) -> Response:
    app = mend(request)

    def save(data: dict[str, str]) -> str:
        item = ground.add_initiative(
            app.uow(),
            repair_id,
            title=data.get("title", ""),
            my_contribution=data.get("my_contribution", ""),
            their_contribution=data.get("their_contribution", ""),
            now=app.now(),
        )
        return f"/repairs/{repair_id}/ground#initiative-{item.id}"

    page = partial(_page, request, repair_id, failed="initiative")
    return await submit(request, save, page, fallback="title", names=INITIATIVE_FIELDS)


@router.post("/repairs/{repair_id}/initiatives/{initiative_id}")
async def update_initiative(request: Request, repair_id: int, initiative_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    ground.update_initiative(
        app.uow(), repair_id, initiative_id, status=data.get("status", ""), now=app.now()
    )
    return redirect(f"/repairs/{repair_id}/ground#initiative-{initiative_id}")
