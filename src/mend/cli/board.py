"""What `mend status`, `next` and `agenda` print, without Typer.

These three read the stored board and nothing else, and they are the commands a person
runs most; the console script parses their few options itself (cli/entry.py) and calls
these directly, so they start without importing Typer. overview.py declares the same
commands for Typer (help, errors, every other spelling) and calls these too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mend.cli import context
from mend.cli.context import console
from mend.cli.render import human, step_bar, trust_text

if TYPE_CHECKING:
    from mend.services.statusrows import StatusRow


def show_status(*, include_closed: bool, json_out: bool) -> None:
    """The board of every repair (every active one unless ``include_closed``)."""
    from mend.domain.playbook import guide

    rows = _board(include_closed=include_closed)
    if json_out:
        context.print_json(
            [
                {
                    "repair_id": r.repair_id,
                    "title": r.title,
                    "person": r.person,
                    "role": r.role,
                    "status": r.status,
                    "severity": r.severity,
                    "progress": r.progress,
                    "steps": r.steps,
                    "trust": r.trust,
                    "trend": r.trend,
                    "next_step": r.next_step,
                    "overdue": r.overdue,
                    "due_soon": r.due_soon,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        console.print("No active repairs. Open one with `mend repair open`, or try `mend demo`.")
        return
    cells = []
    for r in rows:
        nxt = guide(r.next_step.step).title if r.next_step else "keep the agreement"
        if r.next_step and r.next_step.waiting_for_reply:
            nxt = f"wait for their reply [dim](then: {nxt})[/dim]"
        elif r.next_step and r.next_step.blocked_until:
            until = context.local(r.next_step.blocked_until, with_time=False)
            nxt = f"wait until {until} [dim](then: {nxt})[/dim]"
        due = []
        if r.overdue:
            due.append(f"[red]{len(r.overdue)} overdue[/red]")
        if r.due_soon:
            due.append(f"{len(r.due_soon)} this week")
        cells.append(
            (
                str(r.repair_id),
                f"{r.person}\n[dim]{human(r.role.value)}[/dim]",
                f"{r.title}\n[dim]{human(r.status.value)}[/dim]",
                f"{step_bar(list(r.steps.values()))} {r.progress}/10",
                trust_text(r.trust, r.trend),
                nxt,
                ", ".join(due),
            )
        )
    # A Rich Table takes about a millisecond a row; this one is laid out in one pass.
    context.print_table(("id", "with", "repair", "steps", "trust", "next", "due"), cells)


def _board(*, include_closed: bool) -> list[StatusRow]:
    """The stored board: read quickly from a local file, else through the app."""
    from mend.services import quickboard

    now, tz = context.now(), context.tz()
    url = context.settings().database_url
    rows = quickboard.status_board(url, account=None, now=now, tz=tz, include_closed=include_closed)
    if rows is None:
        from mend.services.overview import status_board

        app = context.get_app()
        rows = status_board(app.uow(write=False), now=now, tz=tz, include_closed=include_closed)
    return rows


def show_next(*, json_out: bool) -> None:
    """The single most useful thing to do now, and why."""
    from mend.services.statusrows import best_next

    suggestion = best_next(_board(include_closed=False), context.now())
    if json_out:
        context.print_json(suggestion)
        return
    if suggestion is None:
        console.print("Nothing to do right now. Open a repair with `mend repair open`.")
        return
    who = "" if suggestion.person in suggestion.text else f", {suggestion.person}"
    console.print(
        f"[bold]{suggestion.text}[/bold]  [dim](repair {suggestion.repair_id}{who})[/dim]\n"
        f"{suggestion.why}"
    )


def show_agenda(*, days: int, json_out: bool) -> None:
    """What is overdue, due today and due in the next ``days`` days, across all repairs."""
    from mend.services import quickboard

    now, tz = context.now(), context.tz()
    result = quickboard.agenda(
        context.settings().database_url, account=None, now=now, tz=tz, days=days
    )
    if result is None:
        from mend.services.overview import agenda as build

        app = context.get_app()
        result = build(app.uow(write=False), now=now, tz=tz, days=days)
    if json_out:
        context.print_json(result)
        return
    lines = []
    for title, items, colour in (
        ("Overdue", result.overdue, "red"),
        ("Today", result.today, "yellow"),
        (f"Next {days} days", result.this_week, "white"),
    ):
        if items:
            lines.append(f"[bold {colour}]{title}[/bold {colour}]")
            lines.extend(
                f"  {context.local(i.due_at)}  {i.label}  "
                f"[dim](repair {i.repair_id}, {i.person})[/dim]"
                for i in items
            )
    context.print_lines(lines)
    if not (result.overdue or result.today or result.this_week):
        console.print("Nothing due. Well kept.")
