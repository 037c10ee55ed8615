"""Use cases for common ground (step 9) and the working agreement (step 10)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from mend.domain.enums import GroundKind
from mend.domain.model import AgreementVersion, CommonGround, Initiative
from mend.domain.validation import (
    check_initiative_status,
    check_task,
    clean_text,
    one_line,
    parse_choice,
)
from mend.errors import InvalidInput, NotFound
from mend.services.repairs import refresh
from mend.store.uow import UnitOfWork


def add_common_ground(
    uow: UnitOfWork,
    repair_id: int,
    *,
    text: str,
    kind: str | GroundKind = GroundKind.GOAL,
    now: datetime,
) -> CommonGround:
    item = CommonGround(
        kind=parse_choice(GroundKind, kind, "kind"),
        text=clean_text(text, "text", required=True),
        created_at=now,
    )
    with uow:
        repair = uow.repairs.get(repair_id)
        repair.common_ground.append(item)
        refresh(repair, now)
        uow.commit()
    return item


def add_initiative(
    uow: UnitOfWork,
    repair_id: int,
    *,
    title: str,
    my_contribution: str,
    their_contribution: str,
    status: str = "proposed",
    now: datetime,
) -> Initiative:
    item = Initiative(
        title=one_line(title, "title", required=True),
        my_contribution=clean_text(my_contribution, "my_contribution"),
        their_contribution=clean_text(their_contribution, "their_contribution"),
        status=check_initiative_status(status),
        created_at=now,
    )
    with uow:
        repair = uow.repairs.get(repair_id)
        repair.initiatives.append(item)
        refresh(repair, now)
        uow.commit()
    return item


def update_initiative(
    uow: UnitOfWork,
    repair_id: int,
    initiative_id: int,
    *,
    now: datetime,
    status: str | None = None,
    my_contribution: str | None = None,
    their_contribution: str | None = None,
) -> Initiative:
    with uow:
        repair = uow.repairs.get(repair_id)
        item = next((i for i in repair.initiatives if i.id == initiative_id), None)
        if item is None:
            raise NotFound(
                f"Repair {repair_id} has no initiative {initiative_id}.", field="initiative"
            )
        if status is not None:
            item.status = check_initiative_status(status)
        if my_contribution is not None:
            item.my_contribution = clean_text(my_contribution, "my_contribution")
        if their_contribution is not None:
            item.their_contribution = clean_text(their_contribution, "their_contribution")
        refresh(repair, now)
        uow.commit()
    return item


def set_agreement(
    uow: UnitOfWork,
    repair_id: int,
    *,
    now: datetime,
    channel: str | None = None,
    frequency: str | None = None,
    response_time: str | None = None,
    tasks: Sequence[tuple[str, str]] | None = None,
    raising_problems: str | None = None,
    review_on: date | None = None,
    notes: str | None = None,
) -> AgreementVersion:
    """Save a new version of the agreement; anything not given carries over."""
    if review_on is not None and review_on <= now.date():
        raise InvalidInput("The review date must be in the future.", field="review_on")
    with uow:
        repair = uow.repairs.get(repair_id)
        previous = repair.agreement
        version = AgreementVersion(
            version=(previous.version + 1) if previous else 1,
            created_at=now,
            channel=_carry(channel, previous.channel if previous else "", "channel"),
            frequency=_carry(frequency, previous.frequency if previous else "", "frequency"),
            response_time=_carry(
                response_time, previous.response_time if previous else "", "response_time"
            ),
            tasks=_tasks(tasks) if tasks is not None else list(previous.tasks if previous else []),
            raising_problems=_carry(
                raising_problems,
                previous.raising_problems if previous else "",
                "raising_problems",
            ),
            review_on=review_on
            if review_on is not None
            else (previous.review_on if previous else None),
            notes=_carry(notes, previous.notes if previous else "", "notes"),
        )
        repair.agreements.append(version)
        refresh(repair, now)
        uow.commit()
    return version


def _carry(value: str | None, previous: str, field: str) -> str:
    return previous if value is None else clean_text(value, field)


def _tasks(tasks: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    return [check_task(task, owner) for task, owner in tasks]
