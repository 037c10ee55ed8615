"""`mend repair …`: open a repair, see it whole, move its status."""

from __future__ import annotations

import typer
from rich.panel import Panel
from rich.table import Table

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption
from mend.cli.render import STATE_MARK, human, trust_text

repair_app = typer.Typer(
    help="Repairs: one per relationship you are mending.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(repair_app, name="repair")


def _ask(value: str | None, prompt: str, *, required: bool = True) -> str:
    return context.read_text_arg(value, prompt=prompt, required=required)


@repair_app.command("open")
def open_(
    person: str | None = typer.Option(
        None, "--person", "-p", help="Id or name of the other person."
    ),
    title: str | None = typer.Option(None, "--title", "-t", help="A short name for it."),
    what: str | None = typer.Option(
        None, "--what", help="What happened, plainly ('-' reads stdin)."
    ),
    my_part: str | None = typer.Option(None, "--my-part", help="Your share in it."),
    impact: str | None = typer.Option(None, "--impact", help="How it affected them."),
    severity: int = typer.Option(3, "--severity", "-s", help="1 minor … 5 severe."),
    happened: str | None = typer.Option(None, "--when", help="When it happened, e.g. 2026-02-20."),
    json_out: bool = JsonOption,
) -> None:
    """Open a repair with someone. Example:

    mend repair open -p Ana -t "Missed the handoff" --what "I delivered the specs four
    days late" --my-part "I didn't warn her" --impact "Her sprint slipped" -s 4
    """
    from mend.services.repairs import open_repair

    app = context.get_app()
    repair = open_repair(
        app.uow(),
        person=_ask(person, "Who is it with (name or id)"),
        title=_ask(title, "A short title"),
        what_happened=_ask(what, "What happened"),
        my_part=_ask(my_part, "What was your part in it", required=False),
        impact=_ask(impact, "How did it affect them", required=False),
        severity=severity,
        occurred_on=context.day(happened, "when"),
        now=app.now(),
    )
    if json_out:
        context.print_json(repair)
        return
    context.ok(f"Opened repair {repair.id}: {repair.title}.")
    console.print(f"Next: [bold]mend walk {repair.id}[/bold] takes you through the next step.")


@repair_app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Include restored and closed repairs."),
    json_out: bool = JsonOption,
) -> None:
    """List repairs (the same board as `mend status`)."""
    from mend.cli.overview import status

    status(all_=all_, json_out=json_out)


@repair_app.command("show")
def show(
    repair_id: int = typer.Argument(..., help="Repair id."), json_out: bool = JsonOption
) -> None:
    """Everything about one repair: the steps, what is next, the timeline, trust."""
    from mend.domain.playbook import guide
    from mend.services.overview import repair_view

    app = context.get_app()
    view = repair_view(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    r = view.repair
    if json_out:
        context.print_json(
            {
                "repair": r,
                "person": view.person,
                "steps": {
                    s.value: {"met": c.met, "missing": c.missing} for s, c in view.checks.items()
                },
                "next_step": view.next_step,
                "patience": view.verdict,
                "trust": view.trust,
            }
        )
        return
    header = (
        f"[bold]{r.title}[/bold] — with {view.person.name} ({human(view.person.role.value)})\n"
        f"Status: {human(r.status.value)} · severity {r.severity}/5 · trust "
        f"{trust_text(view.trust)}\n\n[bold]What happened[/bold] {r.what_happened}\n"
        f"[bold]My part[/bold] {r.my_part or '[dim](not written yet)[/dim]'}\n"
        f"[bold]Impact on them[/bold] {r.impact or '[dim](not written yet)[/dim]'}"
    )
    console.print(Panel(header, title=f"repair {r.id}", expand=False))
    table = Table("#", "step", "state", "what is missing", box=None)
    states = {rec.step: rec for rec in r.steps}
    for step, check in view.checks.items():
        rec = states.get(step)
        state = rec.state.value if rec else "pending"
        note = (
            rec.skip_reason if rec and state == "skipped" else ("" if check.met else check.missing)
        )
        table.add_row(str(step.number), guide(step).title, STATE_MARK[state] + " " + state, note)
    console.print(table)
    if view.next_step:
        console.print(
            f"\n[bold]Next:[/bold] {guide(view.next_step.step).title}. {view.next_step.why}"
        )
    if not view.verdict.allowed:
        console.print(f"[yellow]Patience:[/yellow] {' '.join(view.verdict.reasons)}")
    _timeline(r)


def _timeline(r) -> None:  # type: ignore[no-untyped-def]
    from mend.cli.render import when

    events = []
    for i in r.interactions:
        who = "you" if i.initiated_by.value == "me" else "they"
        text = f"{i.kind.value} ({who} started, {i.tension.value}) {i.summary}"
        if i.their_perspective:
            text += f"\n    their view: {i.their_perspective}"
        events.append((i.occurred_at, f"interaction {i.id}", text))
    for d in r.drafts:
        state = "sent" if d.is_sent else f"draft v{d.current.number}"
        events.append(
            (d.sent_at or d.created_at, f"draft {d.id}", f"{d.kind.value}: {d.title} [{state}]")
        )
    for c in r.commitments:
        kept = sum(1 for o in c.occurrences if o.status.value == "kept")
        events.append(
            (
                c.created_at,
                f"commitment {c.id}",
                f"{c.owner.value}: {c.description} ({kept}/{len(c.occurrences)} kept)",
            )
        )
    for k in r.check_ins:
        state = "done" if k.completed_at else ("cancelled" if k.cancelled else "planned")
        events.append((k.scheduled_at, f"check-in {k.id}", f"{state} {k.outcome}".strip()))
    if not events:
        return
    console.print("\n[bold]Timeline[/bold]")
    for at, label, text in sorted(events, key=lambda e: e[0]):
        console.print(f"  {when(at)}  [cyan]{label}[/cyan]  {text}")


@repair_app.command("edit")
def edit(
    repair_id: int = typer.Argument(...),
    title: str | None = typer.Option(None, "--title"),
    what: str | None = typer.Option(None, "--what"),
    my_part: str | None = typer.Option(None, "--my-part"),
    impact: str | None = typer.Option(None, "--impact"),
    severity: int | None = typer.Option(None, "--severity", help="1 minor … 5 severe."),
    happened: str | None = typer.Option(None, "--when"),
) -> None:
    """Change what you recorded about a repair."""
    from mend.services.repairs import update_repair

    app = context.get_app()
    update_repair(
        app.uow(),
        repair_id,
        title=title,
        what_happened=what,
        my_part=my_part,
        impact=impact,
        severity=severity,
        occurred_on=context.day(happened, "when"),
        now=app.now(),
    )
    context.ok(f"Updated repair {repair_id}.")


@repair_app.command("status")
def set_status(
    repair_id: int = typer.Argument(...),
    to: str = typer.Argument(
        ..., help="in_progress, monitoring, restored, closed_unresolved or open."
    ),
    reason: str = typer.Option(..., "--reason", help="Why it changes (kept in the history)."),
) -> None:
    """Move a repair along: e.g. mend repair status 3 restored --reason "Review went well" """
    from mend.services.repairs import change_status

    app = context.get_app()
    repair = change_status(app.uow(), repair_id, to=to, reason=reason, now=app.now())
    context.ok(f"Repair {repair_id} is now {human(repair.status.value)}.")


@repair_app.command("delete")
def delete(
    repair_id: int = typer.Argument(...),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Delete a repair and everything recorded in it."""
    from mend.services.repairs import delete_repair

    if not yes:
        typer.confirm(f"Delete repair {repair_id} and everything in it?", abort=True)
    delete_repair(context.get_app().uow(), repair_id)
    context.ok(f"Deleted repair {repair_id}.")
