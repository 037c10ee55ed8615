"""The people page: everyone you work with, and a form to add someone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.domain.enums import Role
from mend.errors import InvalidInput
from mend.services import people as svc
from mend.web.pages.common import form, mend, redirect, render
from mend.web.pages.forms import Failed, choices

router = APIRouter()


def people_page(
    request: Request, *, failed: Failed | None = None, status_code: int = 200
) -> Response:
    app = mend(request)
    return render(
        request,
        "people.html",
        status_code=status_code,
        page="people",
        people=svc.list_people(app.uow(write=False)),
        roles=choices(Role),
        failed=failed,
    )


@router.get("/people", response_class=HTMLResponse)
def people(request: Request) -> Response:
    return people_page(request)


@router.post("/people")
async def add_person(request: Request) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        svc.add_person(
            app.uow(),
            name=data.get("name", ""),
            role=data.get("role", ""),
            organisation=data.get("organisation", ""),
            notes=data.get("notes", ""),
            now=app.now(),
        )
    except InvalidInput as exc:
        failed = Failed.of("person", exc, data)
        return people_page(request, failed=failed, status_code=failed.status)
    return redirect("/people")
