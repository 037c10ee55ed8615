"""`mend log` and `mend interaction …`: what passed between you, with patience enforced."""

from __future__ import annotations

import typer
from rich.table import Table

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

interaction_app = typer.Typer(help="Meetings, emails, calls and messages.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.add_typer(interaction_app, name="interaction")


def log(
    repair_id: int = typer.Argument(...),
    kind: str = typer.Option("message", "--kind", "-k", help="meeting, email, call or message."),
    started_by: str = typer.Option("me", "--started-by", help="me or them."),
    at: str = typer.Option("now", "--at", help="When it happened (default: now)."),
    summary: str = typer.Option("", "--summary", help="What was said or done."),
    their_view: str = typer.Option("", "--their-view", help="Their perspective, in their terms."),
    my_view: str = typer.Option("", "--my-view", help="Your own interpretation, kept apart."),
    tension: str = typer.Option("calm", "--tension", help="calm, tense or heated."),
    replied: bool | None = typer.Option(None, "--replied/--no-reply", help="Did they reply?"),
    force: bool = typer.Option(
        False, "--force", help="Log an outreach even if it breaks a patience rule."
    ),
    json_out: bool = JsonOption,
) -> None:
    """Log an interaction.

    Example: mend log 1 --kind meeting --started-by them --their-view "..."
    """
    from mend.services.interactions import log_interaction

    app = context.get_app()
    occurred = app.now() if at == "now" else context.when(at, "at")
    assert occurred is not None
    interaction = log_interaction(
        app.uow(),
        repair_id,
        kind=kind,
        initiated_by=started_by,
        occurred_at=occurred,
        summary=summary,
        their_perspective=their_view,
        my_interpretation=my_view,
        tension=tension,
        replied=replied,
        force=force,
        now=app.now(),
        tz=app.tz,
    )
    if json_out:
        context.print_json(interaction)
        return
    context.ok(f"Logged interaction {interaction.id}.")
    if interaction.forced:
        context.warn("Logged past a patience rule: " + interaction.forced_reason)


@interaction_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Every interaction of a repair, oldest first."""
    from mend.services.repairs import get_repair

    repair = get_repair(context.get_app().uow(write=False), repair_id)
    if json_out:
        context.print_json(list(repair.interactions))
        return
    table = Table("id", "when", "kind", "started", "tension", "reply", "summary / their view")
    for i in repair.interactions:
        reply = {True: "yes", False: "no", None: ""}[i.replied]
        text = i.summary + (
            f"\n[italic]{i.their_perspective}[/italic]" if i.their_perspective else ""
        )
        table.add_row(
            str(i.id),
            context.local(i.occurred_at),
            i.kind.value,
            i.initiated_by.value,
            i.tension.value,
            reply,
            text,
        )
    console.print(table)


@interaction_app.command("reply")
def reply(
    repair_id: int = typer.Argument(...),
    interaction_id: int = typer.Argument(...),
    at: str = typer.Option("now", "--at", help="When they replied."),
    no: bool = typer.Option(False, "--no", help="Record that no reply came."),
) -> None:
    """Record that they replied to one of your outreaches."""
    from mend.services.interactions import record_reply

    app = context.get_app()
    when = app.now() if at == "now" else context.when(at, "at")
    record_reply(
        app.uow(), repair_id, interaction_id, replied=not no, replied_at=when, now=app.now()
    )
    context.ok("Recorded.")


@interaction_app.command("check")
def check(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Would reaching out now respect the patience rules?"""
    from mend.services.interactions import check_outreach

    app = context.get_app()
    verdict = check_outreach(app.uow(write=False), repair_id, at=app.now(), tz=app.tz)
    if json_out:
        context.print_json(verdict)
        return
    if verdict.allowed:
        context.ok("Reaching out now respects the patience rules.")
    else:
        console.print("[yellow]Wait.[/yellow] " + " ".join(verdict.reasons))
