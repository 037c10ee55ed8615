"""`mend ground …`: shared goals, interests and joint initiatives (step 9)."""

from __future__ import annotations

import typer

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

ground_app = typer.Typer(
    help="Common ground: shared goals and joint initiatives.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(ground_app, name="ground")


@ground_app.command("add")
def add(
    repair_id: int = typer.Argument(...),
    text: str = typer.Argument(..., help="The shared goal or interest."),
    interest: bool = typer.Option(False, "--interest", help="An interest rather than a goal."),
) -> None:
    """Note a goal or interest you share. Example: mend ground add 1 "A calm launch" """
    from mend.services.ground import add_common_ground

    app = context.get_app()
    item = add_common_ground(
        app.uow(), repair_id, text=text, kind="interest" if interest else "goal", now=app.now()
    )
    context.ok(f"Added {item.kind.value} {item.id}.")


@ground_app.command("initiative")
def initiative(
    repair_id: int = typer.Argument(...),
    title: str = typer.Argument(...),
    mine: str = typer.Option(..., "--mine", help="What you contribute."),
    theirs: str = typer.Option(..., "--theirs", help="What they contribute."),
    status: str = typer.Option("proposed", "--status", help="proposed, active, done or dropped."),
) -> None:
    """Record a joint initiative where both of you contribute."""
    from mend.services.ground import add_initiative

    app = context.get_app()
    item = add_initiative(
        app.uow(),
        repair_id,
        title=title,
        my_contribution=mine,
        their_contribution=theirs,
        status=status,
        now=app.now(),
    )
    context.ok(f"Added initiative {item.id}.")


@ground_app.command("update")
def update(
    repair_id: int = typer.Argument(...),
    initiative_id: int = typer.Argument(...),
    status: str | None = typer.Option(None, "--status"),
    mine: str | None = typer.Option(None, "--mine"),
    theirs: str | None = typer.Option(None, "--theirs"),
) -> None:
    """Update a joint initiative."""
    from mend.services.ground import update_initiative

    app = context.get_app()
    update_initiative(
        app.uow(),
        repair_id,
        initiative_id,
        status=status,
        my_contribution=mine,
        their_contribution=theirs,
        now=app.now(),
    )
    context.ok("Updated.")


@ground_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Shared goals, interests and initiatives of a repair."""
    from mend.services.repairs import get_repair

    repair = get_repair(context.get_app().uow(write=False), repair_id)
    if json_out:
        context.print_json(
            {"common_ground": list(repair.common_ground), "initiatives": list(repair.initiatives)}
        )
        return
    for g in repair.common_ground:
        console.print(f"  {g.kind.value}: {g.text}")
    for i in repair.initiatives:
        console.print(
            f"  initiative {i.id} [{i.status}] {i.title}\n"
            f"     you: {i.my_contribution}\n     them: {i.their_contribution}"
        )
