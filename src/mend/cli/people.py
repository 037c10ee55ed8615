"""`mend person …`: the people you work with."""

from __future__ import annotations

import typer
from rich.table import Table

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

people_app = typer.Typer(help="The people you work with.", no_args_is_help=True)

ROLES = "colleague, manager, direct report, client, business partner, vendor, other"


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="person")


@people_app.command("add")
def add(
    name: str = typer.Argument(..., help="Their name."),
    role: str = typer.Option(..., "--role", "-r", help=f"Who they are to you: {ROLES}."),
    organisation: str = typer.Option("", "--org", help="Their organisation or team."),
    notes: str = typer.Option("", "--notes", help="Anything worth remembering."),
    json_out: bool = JsonOption,
) -> None:
    """Add a person. Example: mend person add "Ana Ruiz" --role colleague --org Design"""
    from mend.services.people import add_person

    app = context.get_app()
    person = add_person(
        app.uow(), name=name, role=role, organisation=organisation, notes=notes, now=app.now()
    )
    if json_out:
        context.print_json(person)
    else:
        context.ok(f"Added {person.name} ({person.role.value.replace('_', ' ')}), id {person.id}.")


@people_app.command("list")
def list_(json_out: bool = JsonOption) -> None:
    """List everyone you have added."""
    from mend.services.people import list_people

    people = list_people(context.get_app().uow(write=False))
    if json_out:
        context.print_json(list(people))
        return
    if not people:
        console.print("No one yet. Add someone with `mend person add NAME --role colleague`.")
        return
    table = Table("id", "name", "role", "organisation")
    for p in people:
        table.add_row(str(p.id), p.name, p.role.value.replace("_", " "), p.organisation)
    console.print(table)


@people_app.command("show")
def show(
    person: str = typer.Argument(..., help="Id or name."), json_out: bool = JsonOption
) -> None:
    """Show one person and their repairs."""
    from mend.services.people import find_person
    from mend.services.repairs import repairs_for

    app = context.get_app()
    found = find_person(app.uow(write=False), person)
    assert found.id is not None
    repairs = repairs_for(app.uow(write=False), found.id)
    if json_out:
        context.print_json(
            {
                "person": found,
                "repairs": [{"id": r.id, "title": r.title, "status": r.status} for r in repairs],
            }
        )
        return
    console.print(
        f"[bold]{found.name}[/bold] · {found.role.value.replace('_', ' ')}"
        + (f" · {found.organisation}" if found.organisation else "")
    )
    if found.notes:
        console.print(found.notes)
    for r in repairs:
        console.print(f"  repair {r.id}: {r.title} ({r.status.value.replace('_', ' ')})")


@people_app.command("edit")
def edit(
    person: str = typer.Argument(..., help="Id or name."),
    name: str | None = typer.Option(None, "--name"),
    role: str | None = typer.Option(None, "--role", help=ROLES),
    organisation: str | None = typer.Option(None, "--org"),
    notes: str | None = typer.Option(None, "--notes"),
) -> None:
    """Change a person's details. Example: mend person edit Ana --role manager"""
    from mend.services.people import update_person

    updated = update_person(
        context.get_app().uow(),
        person,
        name=name,
        role=role,
        organisation=organisation,
        notes=notes,
    )
    context.ok(f"Updated {updated.name}.")


@people_app.command("remove")
def remove(
    person: str = typer.Argument(..., help="Id or name."),
    with_repairs: bool = typer.Option(False, "--with-repairs", help="Also delete their repairs."),
) -> None:
    """Remove a person (and, with --with-repairs, everything recorded about them)."""
    from mend.services.people import remove_person

    removed = remove_person(context.get_app().uow(), person, with_repairs=with_repairs)
    context.ok(f"Removed {removed.name}.")
