"""Repositories: collections of people and repairs, backed by one SQLAlchemy session.

Each holds the acting :class:`~mend.store.scope.Owner`: it finds, lists and counts that
owner's rows only, and gives new ones that owner. Another account's person or repair is
"not found", like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Label, func, inspect, select
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


_children_of_repair: tuple[tuple[str, Label[bool]], ...] = ()


def _children() -> tuple[tuple[str, Label[bool]], ...]:
    """Each collection under a repair, with an ``EXISTS`` telling whether it has rows
    (made once: the mapping is known only after the mappers start)."""
    global _children_of_repair
    if not _children_of_repair:
        made = []
        for key, relation in inspect(Repair).relationships.items():
            table = relation.mapper.local_table
            has = select(1).where(table.c.repair_id == tables.repairs.c.id).exists()
            made.append((key, has.label(f"has_{key}")))
        _children_of_repair = tuple(made)  # threads racing here make equal tuples
    return _children_of_repair


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
        if _storable(repair_id):
            children = _children()
            query = (
                select(Repair, *(has for _, has in children))
                .where(tables.repairs.c.id == repair_id, self._mine)
                .options(*(lazyload(getattr(Repair, key)) for key, _ in children))
            )
            found = self.session.execute(query).first()
        if found is None:
            raise self._not_found(repair_id)
        repair = found[0]
        unloaded = inspect(repair).unloaded
        for (key, _), has in zip(children, found[1:], strict=True):
            if key in unloaded:
                set_committed_value(repair, key, self._collection(key, repair_id) if has else [])
        return repair

    def _collection(self, key: str, repair_id: int) -> list[object]:
        """The records of one kind under a repair, in its relationship's order."""
        relation = inspect(Repair).relationships[key]
        table = relation.mapper.local_table
        query = (
            select(relation.mapper)
            .where(table.c.repair_id == repair_id)
            .order_by(*relation.order_by)
        )
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
