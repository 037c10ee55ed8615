"""Read-only pages of long lists: people, and one kind of a repair's records.

Loading a repair loads all of its records; a page of its interactions needs only
those. These read the one table, in the order the repair itself keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Column, Select, func, select

from mend.domain import model
from mend.store import tables
from mend.store.uow import UnitOfWork

RecordKind = Literal["interactions", "drafts", "commitments", "check_ins"]

_RECORDS: dict[str, tuple[type, Column[Any]]] = {
    "interactions": (model.Interaction, tables.interactions.c.occurred_at),
    "drafts": (model.Draft, tables.drafts.c.id),
    "commitments": (model.Commitment, tables.commitments.c.id),
    "check_ins": (model.CheckIn, tables.check_ins.c.scheduled_at),
}


def people_page(uow: UnitOfWork, *, limit: int, offset: int) -> tuple[Sequence[model.Person], int]:
    """People by name, ``limit`` of them from ``offset``, and how many there are."""
    with uow:
        return uow.people.list(limit=limit, offset=offset), uow.people.count()


def repair_records(
    uow: UnitOfWork, repair_id: int, kind: RecordKind, *, limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    """A page of one repair's records of ``kind``, and how many it has in all (the
    repair is looked up as the unit of work's owner sees it: another's is not found)."""
    entity, order = _RECORDS[kind]
    table = order.table
    with uow:
        uow.repairs.require(repair_id)
        session = uow.session
        where = table.c.repair_id == repair_id
        total = session.scalar(select(func.count()).select_from(table).where(where)) or 0
        query: Select[Any] = (
            select(entity).where(where).order_by(order, table.c.id).limit(limit).offset(offset)
        )
        return session.scalars(query).all(), total
