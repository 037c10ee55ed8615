"""Repositories: collections of people and repairs, backed by one SQLAlchemy session.

Each holds the acting :class:`~mend.store.scope.Owner`: it finds, lists and counts that
owner's rows only, and gives new ones that owner. Another account's person or repair is
"not found", like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Label, Select, func, inspect, select
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from mend.domain.enums import RepairStatus
from mend.domain.model import Person, Repair
from mend.domain.validation import MAX_ID
from mend.errors import Ambiguous, InvalidInput, NotFound
from mend.store import tables
from mend.store.scope import Owner


def _storable(record_id: int) -> bool:
    """Whether an id could name a row at all; larger numbers overflow the databases'
    integer columns (an error, not a simple "no such row")."""
    return 1 <= record_id <= MAX_ID


@dataclass(frozen=True)
class _Kinds:
    """The kinds of records under a repair, and what loading them takes (made once)."""

    keys: tuple[str, ...]
    #: Per kind, an ``EXISTS`` telling whether the repair has any.
    exists: tuple[Label[bool], ...]
    #: Loader options that leave every kind out of the repair's own query.
    deferred: tuple[Any, ...]
    #: Per kind, its column naming the repair and its query in the relationship's order.
    reads: dict[str, tuple[Any, Select[Any]]]


_kinds: _Kinds | None = None


def _repair_kinds() -> _Kinds:
    """Made on first use: the mapping is known only after the mappers start."""
    global _kinds
    if _kinds is None:
        relations = inspect(Repair).relationships
        keys = tuple(relations.keys())
        link = {key: r.mapper.local_table.c.repair_id for key, r in relations.items()}
        _kinds = _Kinds(  # threads racing here make equal values
            keys=keys,
            exists=tuple(
                select(1).where(link[key] == tables.repairs.c.id).exists().label(f"has_{key}")
                for key in keys
            ),
            deferred=tuple(lazyload(getattr(Repair, key)) for key in keys),
            reads={
                key: (link[key], select(r.mapper).order_by(*r.order_by))
                for key, r in relations.items()
            },
        )
    return _kinds


class PeopleRepository:
    def __init__(self, session: Session, owner: Owner) -> None:
        self.session = session
        self.owner = owner
        self._mine = owner.owns(tables.people.c.account_id)

    def add(self, person: Person) -> None:
        person.account_id = self.owner.account_id
        self.session.add(person)

    def get(self, person_id: int) -> Person:
        person = None
        if _storable(person_id):
            query = select(Person).where(tables.people.c.id == person_id, self._mine)
            person = self.session.scalars(query).first()
        if person is None:
            raise NotFound(
                f"No person with id {person_id}; `mend person list` shows everyone.",
                field="person",
            )
        return person

    def find(self, ref: str) -> Person:
        """A person by id or by name: exact (any case) first, then a unique partial match."""
        ref = ref.strip()
        if not ref:
            raise InvalidInput("Say which person: an id or a name.", field="person")
        if ref.isdigit():
            return self.get(int(ref))
        name = func.lower(tables.people.c.name)
        mine = select(Person).where(self._mine)
        exact = self.session.scalars(mine.where(name == ref.lower())).all()
        matches = (
            exact
            or self.session.scalars(mine.where(name.contains(ref.lower(), autoescape=True))).all()
        )
        if not matches:
            raise NotFound(
                f"No person called {ref!r}; add them with `mend person add`.", field="person"
            )
        if len(matches) > 1:
            options = ", ".join(f"{p.name} (id {p.id})" for p in matches[:5])
            raise Ambiguous(
                f"{ref!r} matches {len(matches)} people: {options}; use the id.",
                field="person",
            )
        return matches[0]

    def list(self, *, limit: int | None = None, offset: int = 0) -> Sequence[Person]:
        """This owner's people by name (``limit`` of them from ``offset``, if given)."""
        query = (
            select(Person)
            .where(self._mine)
            .order_by(tables.people.c.name, tables.people.c.id)
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(query).all()

    def count(self) -> int:
        query = select(func.count()).select_from(tables.people).where(self._mine)
        return self.session.scalar(query) or 0

    def delete(self, person: Person) -> None:
        self.session.delete(person)


class RepairRepository:
    def __init__(self, session: Session, owner: Owner) -> None:
        self.session = session
        self.owner = owner
        self._mine = owner.owns(tables.repairs.c.account_id)

    def add(self, repair: Repair) -> None:
        repair.account_id = self.owner.account_id
        self.session.add(repair)

    def get(self, repair_id: int) -> Repair:
        """The repair with every record under it.

        Its row comes with one ``EXISTS`` per kind of record, and only the kinds it has
        are read, each in one query: a repair early on has records of two or three of
        its nine kinds, and a query for an empty list costs as much as one for a full
        one (most of a millisecond through the ORM).
        """
        found = None
        kinds = _repair_kinds()
        if _storable(repair_id):
            query = (
                select(Repair, *kinds.exists)
                .where(tables.repairs.c.id == repair_id, self._mine)
                .options(*kinds.deferred)
            )
            found = self.session.execute(query).first()
        if found is None:
            raise self._not_found(repair_id)
        repair = found[0]
        unloaded = inspect(repair).unloaded
        for key, has in zip(kinds.keys, found[1:], strict=True):
            if key in unloaded:
                set_committed_value(
                    repair, key, self._collection(kinds, key, repair_id) if has else []
                )
        return repair

    def _collection(self, kinds: _Kinds, key: str, repair_id: int) -> list[object]:
        """The records of one kind under a repair, in its relationship's order."""
        column, query = kinds.reads[key]
        query = query.where(column == repair_id)
        return list(self.session.scalars(query).all())

    def require(self, repair_id: int) -> None:
        """Raise NotFound unless the repair exists; reads one index entry, loads nothing."""
        query = select(tables.repairs.c.id).where(tables.repairs.c.id == repair_id, self._mine)
        if not _storable(repair_id) or self.session.execute(query).first() is None:
            raise self._not_found(repair_id)

    @staticmethod
    def _not_found(repair_id: int) -> NotFound:
        return NotFound(
            f"No repair with id {repair_id}; `mend status` lists your repairs.", field="repair"
        )

    def list(
        self,
        *,
        person_id: int | None = None,
        statuses: Sequence[RepairStatus] | None = None,
    ) -> Sequence[Repair]:
        query = select(Repair).where(self._mine).order_by(tables.repairs.c.id)
        if person_id is not None:
            query = query.where(tables.repairs.c.person_id == person_id)
        if statuses:
            query = query.where(tables.repairs.c.status.in_([s.value for s in statuses]))
        return self.session.scalars(query).all()

    def for_person(self, person_id: int) -> Sequence[Repair]:
        return self.list(person_id=person_id)

    def delete(self, repair: Repair) -> None:
        self.session.delete(repair)
