"""`mend checkin …`: planned conversations to see how things are going."""

from __future__ import annotations

import typer
from rich.table import Table

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

checkin_app = typer.Typer(help="Check-ins: one-off or on a cadence.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(checkin_app, name="checkin")


@checkin_app.command("add")
def add(
    repair_id: int = typer.Argument(...),
    at: str = typer.Option(..., "--at", help="When, e.g. 'next Monday 10:00'."),
    every: int | None = typer.Option(
        None, "--every-days", help="Repeat every N days (adapts to trust)."
    ),
    note: str = typer.Option("", "--note"),
    json_out: bool = JsonOption,
) -> None:
    """Schedule a check-in. Example: mend checkin add 1 --at "next Monday 10:00" --every-days 7"""
    from mend.services.checkins import schedule_check_in

    app = context.get_app()
    when = context.when(at, "at")
    assert when is not None
    check_in = schedule_check_in(
        app.uow(), repair_id, at=when, cadence_days=every, note=note, now=app.now()
    )
    if json_out:
        context.print_json(check_in)
        return
    context.ok(f"Check-in {check_in.id} on {context.local(check_in.scheduled_at)}.")


@checkin_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Check-ins of a repair."""
    from mend.services.repairs import get_repair

    repair = get_repair(context.get_app().uow(write=False), repair_id)
    if json_out:
        context.print_json(list(repair.check_ins))
        return
    table = Table("id", "when", "cadence", "state", "outcome")
    for k in repair.check_ins:
        state = "done" if k.completed_at else ("cancelled" if k.cancelled else "planned")
        table.add_row(
            str(k.id),
            context.local(k.scheduled_at),
            f"{k.cadence_days} days" if k.cadence_days else "",
            state,
            k.outcome,
        )
    console.print(table)


@checkin_app.command("done")
def done(
    repair_id: int = typer.Argument(...),
    check_in_id: int = typer.Argument(...),
    outcome: str = typer.Option(..., "--outcome", help="How it went."),
    note: str = typer.Option("", "--note"),
    keep_cadence: bool = typer.Option(
        False, "--keep-cadence", help="Do not adapt the spacing to trust."
    ),
) -> None:
    """Complete a check-in; a recurring one schedules the next."""
    from mend.services.checkins import complete_check_in

    app = context.get_app()
    _, successor = complete_check_in(
        app.uow(),
        repair_id,
        check_in_id,
        outcome=outcome,
        note=note,
        adapt_cadence=not keep_cadence,
        now=app.now(),
    )
    context.ok("Check-in completed.")
    if successor:
        console.print(
            f"Next check-in: {context.local(successor.scheduled_at)} "
            f"(every {successor.cadence_days} days)."
        )


@checkin_app.command("cancel")
def cancel(repair_id: int = typer.Argument(...), check_in_id: int = typer.Argument(...)) -> None:
    """Cancel a planned check-in."""
    from mend.services.checkins import cancel_check_in

    app = context.get_app()
    cancel_check_in(
        app.uow(), repair_id, check_in_id, now=app.now(), mailing=app.mailing(), tz=app.tz
    )
    context.ok("Check-in cancelled.")
