"""`mend status`, `mend next`, `mend agenda`, `mend trust`: the view across repairs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from mend.cli import board, context
from mend.cli.context import console
from mend.cli.options import JsonOption
from mend.cli.render import trust_text

if TYPE_CHECKING:
    from mend.domain.trust import TrustEvent
    from mend.services.overview import TrustReport


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("next")(next_)
    app.command("agenda")(agenda)
    app.command("trust")(trust)


def status(
    all_: bool = typer.Option(False, "--all", help="Include restored and closed repairs."),
    json_out: bool = JsonOption,
) -> None:
    """Every repair: person, progress through the ten steps, trust and trend, what is next."""
    board.show_status(include_closed=all_, json_out=json_out)


def next_(json_out: bool = JsonOption) -> None:
    """The single most useful thing to do now, and why."""
    board.show_next(json_out=json_out)


def agenda(
    days: int = typer.Option(7, "--days", min=1, max=366, help="How far ahead to look."),
    json_out: bool = JsonOption,
) -> None:
    """What is overdue, due today and due in the coming days, across all repairs."""
    board.show_agenda(days=days, json_out=json_out)


def trust(
    repair_id: int = typer.Argument(...),
    weeks: int = typer.Option(12, "--weeks", min=1, max=260),
    json_out: bool = JsonOption,
) -> None:
    """Trust for one repair: the estimate, its weekly trajectory, trend and what moved it.

    With the other person taking part: whose word each outcome counted on, where your
    records differ, and their "how are we doing?" answers.
    """
    from mend.services.overview import trust_report

    app = context.get_app()
    report = trust_report(app.uow(write=False), repair_id, now=app.now(), weeks=weeks)
    if json_out:
        context.print_json(_trust_json(report))
        return
    estimate = report.estimate
    console.print(
        f"Trust now: [bold]{trust_text(estimate, report.trend)}[/bold] "
        f"({_outcomes(estimate.n_events)})"
    )
    console.print(report.summary[:1].upper() + report.summary[1:] + ".")
    from rich.table import Table

    table = Table("week ending", "trust", "", box=None)
    for day, est in report.trajectory:
        bar = "█" * round(est.value * 30)
        table.add_row(day.isoformat(), f"{est.value * 100:.0f}%", f"[green]{bar}[/green]")
    console.print(table)
    if report.gaps:
        _print_gaps(report.gaps)
    if report.pulses or report.pulse.latest is not None:
        _print_pulse(report, weeks)
    if report.movers:
        from mend.domain.trust import is_two_sided

        _print_movers(report.movers, two_sided=is_two_sided(e for e, _ in report.movers))


def _trust_json(report: TrustReport) -> dict[str, Any]:
    """The report as JSON, each event with whose word it counted on."""
    data: dict[str, Any] = context.to_jsonable(report)
    for (event, _), item in zip(report.movers, data["movers"], strict=True):
        item[0] |= {"word": event.word, "whose": event.whose}
    for event, item in zip(report.gaps, data["gaps"], strict=True):
        item |= {"word": event.word, "whose": event.whose}
    return data


def _day(value: datetime) -> str:
    return context.local(value, with_time=False)


def _print_gaps(gaps: Sequence[TrustEvent]) -> None:
    """Each outcome the two of you recorded differently, with both readings."""
    from mend.domain.trust import gap_text

    name = gaps[0].their_name or "they"
    console.print(f"[bold]Where you and {escape(name)} see it differently[/bold]")
    for gap in gaps:
        console.print(f"  {escape(gap_text(gap, _day))}")


def _print_pulse(report: TrustReport, weeks: int) -> None:
    """Their "how are we doing?" answers: the figures, then each answer with its note."""
    figures = report.pulse
    latest = figures.latest
    assert latest is not None or report.pulses
    who = escape((latest or report.pulses[-1]).author)
    line = f"[bold]{who}'s pulse[/bold] (how are we doing, 1-5): "
    if latest is not None:
        line += f"latest {latest.score} on {_day(latest.at)}"
        if figures.change:
            line += f" ({'up' if figures.change > 0 else 'down'} {abs(figures.change)})"
    if figures.average is not None:
        answers = f"{figures.count} answer{'s' if figures.count != 1 else ''}"
        line += f"; average {figures.average:.1f} over {answers} in the last {weeks} weeks"
    console.print(line)
    for answer in report.pulses:
        note = f"  “{escape(answer.note)}”" if answer.note else ""
        console.print(f"  {_day(answer.at)}  {answer.score}/5{note}")


def _outcomes(n: int) -> str:
    return "no recorded outcomes" if n == 0 else f"{n} recorded outcome{'s' if n != 1 else ''}"


#: Above this many events, `mend trust` sums them up per commitment instead.
MOVERS_LISTED = 30


def _print_movers(movers: list[tuple[TrustEvent, float]], *, two_sided: bool = False) -> None:
    """Every event that moved trust: listed one by one, or grouped per promise when many.
    Once the other person gives verdicts, each event says whose word it counted on."""
    if len(movers) <= MOVERS_LISTED:
        console.print("[bold]What moved it[/bold] (every recorded outcome, largest first)")
        for event, delta in movers:
            whose = f" — {event.whose}" if two_sided else ""
            console.print(f"  {delta * 100:+5.1f}  {escape(event.label + whose)}")
        return
    groups: dict[str, list[tuple[TrustEvent, float]]] = {}
    for event, delta in movers:
        what = event.label.split(": ", 1)[-1].rsplit(" (due", 1)[0]
        groups.setdefault(what, []).append((event, delta))
    console.print(
        f"[bold]What moved it[/bold] ({len(movers)} recorded outcomes, summed per promise; "
        "--json lists each)"
    )
    ranked = sorted(groups.items(), key=lambda item: -abs(sum(d for _, d in item[1])))
    for what, items in ranked:
        counts = {
            k: sum(1 for e, _ in items if e.kind.value == k) for k in ("kept", "late", "missed")
        }
        tally = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        total = sum(d for _, d in items)
        console.print(f"  {total * 100:+5.1f}  {escape(what)} ({tally})")
