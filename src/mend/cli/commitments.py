"""`mend commit …`: promises, and what became of each."""

from __future__ import annotations

import typer
from rich.table import Table

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

commit_app = typer.Typer(help="Commitments: one-off or recurring promises.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(commit_app, name="commit")


@commit_app.command("add")
def add(
    repair_id: int = typer.Argument(...),
    description: str = typer.Argument(..., help="What will be done."),
    owner: str = typer.Option("me", "--owner", help="me, them or both."),
    due: str | None = typer.Option(
        None, "--due", help="When it is due (one-off), e.g. 'next Friday'."
    ),
    every: str | None = typer.Option(
        None, "--every", help="Recurring: 'friday', 'week', '2 weeks', 'weekday'…"
    ),
    starting: str | None = typer.Option(
        None, "--starting", help="First due date of a recurring one."
    ),
    until: str | None = typer.Option(None, "--until", help="Last date of a recurring one."),
    json_out: bool = JsonOption,
) -> None:
    """Record a commitment. Examples:

    mend commit add 1 "Send the revised plan" --due "next Friday"
    mend commit add 1 "A written status update" --every friday --starting 2026-03-06
    """
    from mend.services.commitments import record_commitment, similar_commitment

    app = context.get_app()
    recurrence = None
    if every:
        recurrence = (
            every
            if every.lower().startswith(
                ("every", "freq=", "daily", "weekly", "monthly", "fortnightly")
            )
            else f"every {every}"
        )
    commitment = record_commitment(
        app.uow(),
        repair_id,
        description=description,
        owner=owner,
        due_at=context.when(starting or due, "due"),
        recurrence=recurrence,
        ends_at=context.when(until, "until"),
        now=app.now(),
        tz=app.tz,
    )
    if json_out:
        context.print_json(commitment)
        return
    when = (
        f"first due {context.local(commitment.due_at)}"
        if commitment.recurrence and commitment.due_at
        else f"due {context.local(commitment.due_at)}"
    )
    context.ok(f"Commitment {commitment.id} recorded ({when}).")
    twin = similar_commitment(
        app.uow(write=False), repair_id, commitment.description, exclude=commitment.id
    )
    if twin is not None:
        context.warn(
            f"This looks like commitment {twin.id} ({twin.description!r}), already tracked. "
            f"If it is the same promise, cancel one: mend commit cancel {repair_id} "
            f"{commitment.id}"
        )


@commit_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Commitments of a repair with each occurrence's outcome."""
    from mend.domain.recurrence import describe
    from mend.services.repairs import get_repair

    app = context.get_app()
    repair = get_repair(app.uow(write=False), repair_id)
    if json_out:
        context.print_json(list(repair.commitments))
        return
    now = app.now()
    table = Table("id", "what", "owner", "when", "history")
    for c in repair.commitments:
        when = describe(c.recurrence) if c.recurrence else context.local(c.due_at)
        marks = {"kept": "[green]✓[/green]", "late": "[yellow]~[/yellow]", "missed": "[red]✗[/red]"}
        history = "".join(
            marks.get(o.status.value, "[red]![/red]" if o.due_at < now else "·")
            for o in c.occurrences
        )
        table.add_row(
            str(c.id),
            c.description + ("" if c.active else " [dim](cancelled)[/dim]"),
            c.owner.value,
            when,
            history,
        )
    console.print(table)
    console.print("[dim]✓ kept  ~ late  ✗ missed  ! overdue  · upcoming[/dim]")


def _record(repair_id: int, commitment_id: int, status: str, due: str | None, note: str) -> None:
    from mend.services.commitments import record_outcome

    app = context.get_app()
    occurrence = record_outcome(
        app.uow(),
        repair_id,
        commitment_id,
        status=status,
        due_at=context.when(due, "due"),
        note=note,
        now=app.now(),
        tz=app.tz,
    )
    context.ok(
        f"Recorded {status} for the one due {context.local(occurrence.due_at, with_time=False)}."
    )


_DUE = typer.Option(
    None, "--due", help="Which occurrence (its date); default: the oldest open one."
)
_NOTE = typer.Option("", "--note")


@commit_app.command("kept")
def kept(
    repair_id: int = typer.Argument(...),
    commitment_id: int = typer.Argument(...),
    due: str = _DUE,
    note: str = _NOTE,
) -> None:
    """Record that you kept a commitment (on time)."""
    _record(repair_id, commitment_id, "kept", due, note)


@commit_app.command("late")
def late(
    repair_id: int = typer.Argument(...),
    commitment_id: int = typer.Argument(...),
    due: str = _DUE,
    note: str = _NOTE,
) -> None:
    """Record that a commitment was kept, but late."""
    _record(repair_id, commitment_id, "late", due, note)


@commit_app.command("missed")
def missed(
    repair_id: int = typer.Argument(...),
    commitment_id: int = typer.Argument(...),
    due: str = _DUE,
    note: str = _NOTE,
) -> None:
    """Record that a commitment was missed."""
    _record(repair_id, commitment_id, "missed", due, note)


@commit_app.command("cancel")
def cancel(repair_id: int = typer.Argument(...), commitment_id: int = typer.Argument(...)) -> None:
    """Stop a commitment (its history is kept)."""
    from mend.services.commitments import cancel_commitment

    app = context.get_app()
    cancel_commitment(app.uow(), repair_id, commitment_id, now=app.now())
    context.ok(f"Commitment {commitment_id} cancelled.")
