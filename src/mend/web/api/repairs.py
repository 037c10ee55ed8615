"""/api/v1/repairs: repairs, their status and their ten steps."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from mend.app import App
from mend.domain.enums import Step
from mend.services import overview, repairs, steps
from mend.web import schemas as s
from mend.web.api.convert import repair_detail
from mend.web.deps import PREFIX, Boards, Id, Paging, boards, get_mend, page_params

router = APIRouter(prefix=f"{PREFIX}/repairs", tags=["repairs"])


def _detail(app: App, repair_id: Id) -> s.RepairDetail:
    return repair_detail(
        overview.repair_view(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    )


@router.get("", response_model=s.Page[s.StatusRowPublic])
def list_repairs(
    include_closed: bool = Query(False, description="Include restored and closed repairs."),
    paging: Paging = Depends(page_params),
    boards: Boards = Depends(boards),
) -> dict[str, object]:
    return paging.page(boards.board(include_closed=include_closed).public)


@router.post("", response_model=s.RepairDetail, status_code=201)
def open_repair(body: s.RepairCreate, app: App = Depends(get_mend)) -> s.RepairDetail:
    fields = body.model_dump()
    person_id = fields.pop("person_id")
    repair = repairs.open_repair(app.uow(), person=str(person_id), now=app.now(), **fields)
    assert repair.id is not None
    return _detail(app, repair.id)


@router.get("/{repair_id}", response_model=s.RepairDetail)
def get_repair(repair_id: Id, app: App = Depends(get_mend)) -> s.RepairDetail:
    return _detail(app, repair_id)


@router.patch("/{repair_id}", response_model=s.RepairDetail)
def update_repair(
    repair_id: Id, body: s.RepairUpdate, app: App = Depends(get_mend)
) -> s.RepairDetail:
    repairs.update_repair(
        app.uow(), repair_id, now=app.now(), **body.model_dump(exclude_unset=True)
    )
    return _detail(app, repair_id)


@router.post("/{repair_id}/status", response_model=s.RepairDetail)
def change_status(
    repair_id: Id, body: s.StatusChangeCreate, app: App = Depends(get_mend)
) -> s.RepairDetail:
    repairs.change_status(app.uow(), repair_id, to=body.to, reason=body.reason, now=app.now())
    return _detail(app, repair_id)


@router.delete("/{repair_id}", status_code=204, response_class=Response)
def delete_repair(repair_id: Id, app: App = Depends(get_mend)) -> Response:
    repairs.delete_repair(app.uow(), repair_id)
    return Response(status_code=204)


@router.get("/{repair_id}/steps", response_model=list[s.StepPublic])
def list_steps(repair_id: Id, app: App = Depends(get_mend)) -> list[s.StepPublic]:
    return _detail(app, repair_id).steps


@router.post("/{repair_id}/steps/{step}/answers", response_model=s.RepairDetail)
def answer_step(
    repair_id: Id, step: Step, body: s.AnswersCreate, app: App = Depends(get_mend)
) -> s.RepairDetail:
    steps.answer_step(app.uow(), repair_id, step, body.answers, now=app.now())
    return _detail(app, repair_id)


@router.post("/{repair_id}/steps/{step}/done", response_model=s.RepairDetail)
def complete_step(
    repair_id: Id, step: Step, body: s.StepDone, app: App = Depends(get_mend)
) -> s.RepairDetail:
    steps.complete_step(app.uow(), repair_id, step, now=app.now(), force=body.force)
    return _detail(app, repair_id)


@router.post("/{repair_id}/steps/{step}/skip", response_model=s.RepairDetail)
def skip_step(
    repair_id: Id, step: Step, body: s.StepSkip, app: App = Depends(get_mend)
) -> s.RepairDetail:
    steps.skip_step(app.uow(), repair_id, step, reason=body.reason, now=app.now())
    return _detail(app, repair_id)


@router.post("/{repair_id}/steps/{step}/reopen", response_model=s.RepairDetail)
def reopen_step(repair_id: Id, step: Step, app: App = Depends(get_mend)) -> s.RepairDetail:
    steps.reopen_step(app.uow(), repair_id, step, now=app.now())
    return _detail(app, repair_id)
