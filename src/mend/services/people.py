"""Use cases for the people a user works with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from mend.domain.enums import Role
from mend.domain.model import Person
from mend.domain.validation import clean_text, one_line, parse_choice
from mend.errors import Conflict
from mend.store.uow import UnitOfWork
from mend.words import plural


@dataclass(frozen=True)
class NewPerson:
    """A checked person not saved yet: made into an entity inside the transaction that
    saves it (entities made before the ORM is set up could not be saved)."""

    name: str
    role: Role
    organisation: str
    notes: str
    created_at: datetime

    def entity(self) -> Person:
        return Person(
            name=self.name,
            role=self.role,
            organisation=self.organisation,
            notes=self.notes,
            created_at=self.created_at,
        )


def new_person(
    *, name: str, role: str | Role, organisation: str = "", notes: str = "", now: datetime
) -> NewPerson:
    """A checked, not yet saved person (see :func:`add_person`)."""
    return NewPerson(
        name=one_line(name, "name", required=True),
        role=parse_choice(Role, role, "role"),
        organisation=one_line(organisation, "organisation"),
        notes=clean_text(notes, "notes"),
        created_at=now,
    )


def add_person(
    uow: UnitOfWork,
    *,
    name: str,
    role: str | Role,
    organisation: str = "",
    notes: str = "",
    now: datetime,
) -> Person:
    checked = new_person(name=name, role=role, organisation=organisation, notes=notes, now=now)
    with uow:
        person = checked.entity()
        uow.people.add(person)
        uow.commit()
    return person


def update_person(
    uow: UnitOfWork,
    ref: str,
    *,
    name: str | None = None,
    role: str | Role | None = None,
    organisation: str | None = None,
    notes: str | None = None,
) -> Person:
    with uow:
        person = uow.people.find(ref)
        if name is not None:
            person.name = one_line(name, "name", required=True)
        if role is not None:
            person.role = parse_choice(Role, role, "role")
        if organisation is not None:
            person.organisation = one_line(organisation, "organisation")
        if notes is not None:
            person.notes = clean_text(notes, "notes")
        uow.commit()
    return person


def remove_person(uow: UnitOfWork, ref: str, *, with_repairs: bool = False) -> Person:
    """Delete a person; their repairs go too, but only when ``with_repairs`` says so."""
    with uow:
        person = uow.people.find(ref)
        assert person.id is not None
        repairs = uow.repairs.for_person(person.id)
        if repairs and not with_repairs:
            raise Conflict(
                f"{person.name} has {plural(len(repairs), 'repair')}; removing them deletes "
                "those too. "
                "Repeat with --with-repairs to confirm, or export first.",
                field="person",
            )
        for repair in repairs:
            uow.repairs.delete(repair)
        # Repairs first: the person's row would take them with it in the database, behind
        # the session's back.
        uow.session.flush()
        uow.people.delete(person)
        uow.commit()
    return person


def list_people(uow: UnitOfWork) -> Sequence[Person]:
    with uow:
        return list(uow.people.list())


def find_person(uow: UnitOfWork, ref: str) -> Person:
    with uow:
        return uow.people.find(ref)
