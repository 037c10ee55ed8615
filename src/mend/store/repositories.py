"""Repositories: collections of people and repairs, backed by one SQLAlchemy session.

Each holds the acting :class:`~mend.store.scope.Owner`: it finds, lists and counts that
owner's rows only, and gives new ones that owner. Another account's person or repair is
"not found", like one that does not exist.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Executable, Select, bindparam, func, inspect, select
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from mend.domain.enums import RepairStatus
from mend.domain.model import Person, Repair
from mend.domain.validation import MAX_ID
from mend.errors import Ambiguous, InvalidInput, NotFound
from mend.store import tables
from mend.store.scope import Owner, owned


def _storable(record_id: int) -> bool:
    """Whether an id could name a row at all; larger numbers overflow the databases'
    integer columns (an error, not a simple "no such row")."""
    return 1 <= record_id <= MAX_ID


@dataclass(frozen=True)
class _RepairLoads:
    """The statements that load a repair, made once and run with the ids as parameters.

    A statement made anew on each load is compiled from the cache each time, but its
    cache key (a walk of the whole statement with its nine ``EXISTS`` and nine loader
    options) is computed each time too: most of a millisecond per page. Made once,
    the key is remembered with the statement.
    """

    keys: tuple[str, ...]
    #: The repair's row with one ``EXISTS`` per kind of record under it, every kind
    #: left out of the row's own query: for the local owner, and for an account.
    local: Executable
    account: Executable
    #: Per kind, its records under one repair in its relationship's order.
    kinds: dict[str, Select[Any]]


_loads: _RepairLoads | None = None
_MAKING = threading.Lock()


def _repair_loads() -> _RepairLoads:
    """Made on first use: the mapping is known only after the mappers start."""
    global _loads
    if _loads is None:
        with _MAKING:
            if _loads is None:
                _loads = _make_repair_loads()
    return _loads


def _make_repair_loads() -> _RepairLoads:
    repairs = tables.repairs.c
    relations = inspect(Repair).relationships
    keys = tuple(relations.keys())
    wanted: BindParameter[int] = bindparam("repair_id")
    row = select(
        Repair,
        *(
            select(1)
            .where(relations[key].mapper.local_table.c.repair_id == repairs.id)
            .exists()
            .label(f"has_{key}")
            for key in keys
        ),
    ).options(*(lazyload(getattr(Repair, key)) for key in keys))
    return _RepairLoads(
        keys=keys,
        local=row.where(repairs.id == wanted, owned(repairs.account_id, local=True)),
        account=row.where(repairs.id == wanted, owned(repairs.account_id, local=False)),
        kinds={
            key: select(r.mapper)
            .where(r.mapper.local_table.c.repair_id == wanted)
            .order_by(*r.order_by)
            for key, r in relations.items()
        },
    )


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
        # In id order: which people an ambiguous name lists, and in what order, must not
        # depend on where the database happens to keep their rows.
        mine = select(Person).where(self._mine).order_by(tables.people.c.id)
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
        loads = _repair_loads()
        if _storable(repair_id):
            statement = loads.local if self.owner.account_id is None else loads.account
            params = {"repair_id": repair_id, **self.owner.parameters}
            found = self.session.execute(statement, params).first()
        if found is None:
            raise self._not_found(repair_id)
        repair: Repair = found[0]
        unloaded = inspect(repair).unloaded
        for key, has in zip(loads.keys, found[1:], strict=True):
            if key in unloaded:
                set_committed_value(
                    repair, key, self._records(loads, key, repair_id) if has else []
                )
        return repair

    def _records(self, loads: _RepairLoads, key: str, repair_id: int) -> list[object]:
        """The records of one kind under a repair, in its relationship's order."""
        return list(self.session.scalars(loads.kinds[key], {"repair_id": repair_id}).all())

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
