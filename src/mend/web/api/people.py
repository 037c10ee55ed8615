"""/api/v1/people"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from mend.app import App
from mend.services import listing
from mend.services import people as svc
from mend.web import schemas as s
from mend.web.deps import PREFIX, Id, Paging, get_mend, page_params

router = APIRouter(prefix=f"{PREFIX}/people", tags=["people"])


@router.get("", response_model=s.Page[s.PersonPublic])
def list_people(
    paging: Paging = Depends(page_params), app: App = Depends(get_mend)
) -> dict[str, object]:
    people, total = listing.people_page(
        app.uow(write=False), limit=paging.limit, offset=paging.offset
    )
    return paging.result(people, total)


@router.post("", response_model=s.PersonPublic, status_code=201)
def add_person(body: s.PersonCreate, app: App = Depends(get_mend)) -> object:
    return svc.add_person(app.uow(), now=app.now(), **body.model_dump())


@router.get("/{person_id}", response_model=s.PersonPublic)
def get_person(person_id: Id, app: App = Depends(get_mend)) -> object:
    return svc.find_person(app.uow(write=False), str(person_id))


@router.patch("/{person_id}", response_model=s.PersonPublic)
def update_person(person_id: Id, body: s.PersonUpdate, app: App = Depends(get_mend)) -> object:
    return svc.update_person(app.uow(), str(person_id), **body.model_dump(exclude_unset=True))


@router.delete("/{person_id}", status_code=204, response_class=Response)
def remove_person(
    person_id: Id, with_repairs: bool = False, app: App = Depends(get_mend)
) -> Response:
    svc.remove_person(app.uow(), str(person_id), with_repairs=with_repairs)
    return Response(status_code=204)
