"""The people pages: everyone you work with, adding someone, and one person's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.domain.enums import Role
from mend.errors import InvalidInput
from mend.services import people as svc
from mend.services import repairs as repair_svc
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


def person_page(request: Request, person_id: int, *, failed: Failed | None = None) -> Response:
    app = mend(request)
    person = svc.find_person(app.uow(write=False), str(person_id))
    return render(
        request,
        "person.html",
        status_code=failed.status if failed else 200,
        page="people",
        person=person,
        repairs=repair_svc.repairs_for(app.uow(write=False), person_id),
        roles=choices(Role),
        failed=failed,
    )


@router.get("/people/{person_id:int}", response_class=HTMLResponse)
def person(request: Request, person_id: int) -> Response:
    return person_page(request, person_id)


@router.post("/people/{person_id:int}")
async def edit_person(request: Request, person_id: int) -> Response:
    data = await form(request)
    app = mend(request)
    try:
        svc.update_person(
            app.uow(),
            str(person_id),
            name=data.get("name", ""),
            role=data.get("role", ""),
            organisation=data.get("organisation", ""),
            notes=data.get("notes", ""),
        )
    except InvalidInput as exc:
        return person_page(request, person_id, failed=Failed.of("person", exc, data))
    return redirect(f"/people/{person_id}")
