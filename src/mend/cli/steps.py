"""`mend step …` and `mend walk`: the ten steps as a guided path."""

from __future__ import annotations

import sys

import typer
from rich.panel import Panel

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption
from mend.cli.render import STATE_MARK

step_app = typer.Typer(help="The ten steps of a repair.", no_args_is_help=True)

STEP_HELP = (
    "acknowledge, open_conversation, listen, empathize, apologize, offer_solutions, "
    "be_patient, rebuild_trust, find_common_ground, set_expectations (or 1-10)"
)


def register(app: typer.Typer) -> None:
    app.add_typer(step_app, name="step")
    app.command("walk")(walk)


def parse_step(value: str) -> str:
    from mend.domain.enums import Step

    if value.strip().isdigit() and 1 <= int(value) <= 10:
        return list(Step)[int(value) - 1].value
    return value


@step_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """The ten steps of a repair with their state and what each still needs."""
    from mend.domain.playbook import guide
    from mend.services.overview import repair_view

    app = context.get_app()
    view = repair_view(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    states = {r.step: r for r in view.repair.steps}
    if json_out:
        context.print_json(
            [
                {
                    "step": s.value,
                    "number": s.number,
                    "title": guide(s).title,
                    "state": states[s].state.value if s in states else "pending",
                    "missing": c.missing if not c.met else "",
                }
                for s, c in view.checks.items()
            ]
        )
        return
    for step, check in view.checks.items():
        state = states[step].state.value if step in states else "pending"
        extra = "" if state != "pending" else f" [dim]— {check.missing}[/dim]"
        console.print(f"{STATE_MARK[state]} {step.number:>2}. {guide(step).title}{extra}")
    if view.next_step:
        console.print(
            f"\n[bold]Next:[/bold] {guide(view.next_step.step).title}. {view.next_step.why}"
        )


@step_app.command("show")
def show(
    repair_id: int = typer.Argument(...),
    step: str = typer.Argument(..., help=STEP_HELP),
    json_out: bool = JsonOption,
) -> None:
    """A step's purpose, guidance, questions and what makes it done."""
    from mend.domain.enums import Step
    from mend.domain.playbook import guide
    from mend.domain.validation import parse_choice
    from mend.services.overview import repair_view

    which = parse_choice(Step, parse_step(step), "step")
    app = context.get_app()
    view = repair_view(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    g = guide(which)
    record = next((r for r in view.repair.steps if r.step == which), None)
    if json_out:
        context.print_json({"guide": g, "record": record, "check": view.checks[which]})
        return
    _print_guide(g)
    if record is not None:
        for q in g.questions:
            answer = record.answers.get(q.key)
            if answer:
                console.print(f"[bold]{q.prompt}[/bold]\n  {answer}")
    check = view.checks[which]
    console.print(
        "[green]Done rule met.[/green]"
        if check.met
        else f"[yellow]Still needed:[/yellow] {check.missing}"
    )


def _print_guide(g) -> None:  # type: ignore[no-untyped-def]
    console.print(
        Panel(
            f"[bold]{g.purpose}[/bold]\n\n{g.guidance}\n\n[dim]{g.done_rule}[/dim]",
            title=f"Step {g.step.number}: {g.title}",
            expand=False,
        )
    )


@step_app.command("answer")
def answer(
    repair_id: int = typer.Argument(...),
    step: str = typer.Argument(..., help=STEP_HELP),
    pairs: list[str] = typer.Argument(
        ..., help="key=value pairs; `mend step show` lists the keys."
    ),
) -> None:
    """Save answers to a step's questions.

    Example: mend step answer 1 empathize how_it_felt="..."
    """
    from mend.errors import InvalidInput
    from mend.services.steps import answer_step

    answers = {}
    for pair in pairs:
        if "=" not in pair:
            raise InvalidInput(f"Write answers as key=value, got {pair!r}.", field="answers")
        key, value = pair.split("=", 1)
        answers[key.strip()] = value
    app = context.get_app()
    answer_step(app.uow(), repair_id, parse_step(step), answers, now=app.now())
    context.ok("Saved.")


@step_app.command("done")
def done(
    repair_id: int = typer.Argument(...),
    step: str = typer.Argument(..., help=STEP_HELP),
    force: bool = typer.Option(False, "--force", help="Mark done even though its rule is not met."),
) -> None:
    """Mark a step done (Mend checks its rule first)."""
    from mend.services.steps import complete_step

    app = context.get_app()
    complete_step(app.uow(), repair_id, parse_step(step), now=app.now(), force=force)
    context.ok("Marked done.")


@step_app.command("skip")
def skip(
    repair_id: int = typer.Argument(...),
    step: str = typer.Argument(..., help=STEP_HELP),
    reason: str = typer.Option(..., "--reason", help="Why this step does not apply."),
) -> None:
    """Skip a step that does not fit this situation, saying why."""
    from mend.services.steps import skip_step

    app = context.get_app()
    skip_step(app.uow(), repair_id, parse_step(step), reason=reason, now=app.now())
    context.ok("Skipped.")


@step_app.command("reopen")
def reopen(
    repair_id: int = typer.Argument(...), step: str = typer.Argument(..., help=STEP_HELP)
) -> None:
    """Put a done or skipped step back to pending."""
    from mend.services.steps import reopen_step

    app = context.get_app()
    reopen_step(app.uow(), repair_id, parse_step(step), now=app.now())
    context.ok("Reopened.")


#: What to do in Mend to complete each step beyond answering its questions.
_ACTIONS = {
    "open_conversation": "Draft your message: mend draft new {id} --kind outreach, then "
    "mend draft send {id} DRAFT --channel email (or log a meeting with mend log {id}).",
    "listen": "After you talk, log it with their view in their words: mend log {id} --kind meeting "
    '--started-by them --their-view "..." --my-view "..."',
    "apologize": "Write the apology and let the coach read it: mend draft new {id} --kind apology; "
    "then mend draft send {id} DRAFT.",
    "offer_solutions": "Record a concrete step with an owner and a date: mend commit add {id} "
    '"Share a weekly status note" --every friday',
    "rebuild_trust": "Keep your commitments and record each: mend commit kept {id} COMMITMENT.",
    "find_common_ground": 'mend ground add {id} "We both want the launch to go well"; '
    'mend ground initiative {id} "Joint retro" --mine "..." --theirs "..."',
    "set_expectations": 'mend agreement set {id} --channel "..." --task "Release notes=me" '
    '--review-on "in 6 weeks"',
}


def walk(
    repair_id: int | None = typer.Argument(
        None, help="Repair id (default: the one `mend next` picks)."
    ),
) -> None:
    """Walk through the next step of a repair: its guidance, its questions, what to do next."""
    from mend.domain.playbook import guide
    from mend.services.overview import best_next, repair_view, status_board
    from mend.services.steps import answer_step

    app = context.get_app()
    if repair_id is None:
        suggestion = best_next(
            status_board(app.uow(write=False), now=app.now(), tz=app.tz), app.now()
        )
        if suggestion is None:
            console.print("No active repair. Open one with `mend repair open`.")
            return
        repair_id = suggestion.repair_id
    view = repair_view(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    if view.next_step is None:
        console.print(
            "Every step is done or skipped. Keep your agreement and review it on its date."
        )
        return
    step = view.next_step.step
    g = guide(step)
    console.print(f"[bold]{view.repair.title}[/bold] with {view.person.name}")
    _print_guide(g)
    console.print(f"[bold]Why now:[/bold] {view.next_step.why}")
    if not view.verdict.allowed:
        console.print(f"[yellow]Patience:[/yellow] {' '.join(view.verdict.reasons)}")
    record = next((r for r in view.repair.steps if r.step == step), None)
    interactive = sys.stdin.isatty()
    answers: dict[str, str] = {}
    for q in g.questions:
        current = (record.answers.get(q.key, "") if record else "") or str(
            getattr(view.repair, q.key, "")
            if q.key in {"what_happened", "my_part", "impact"}
            else ""
        )
        if not interactive:
            console.print(
                f"• {q.prompt}  [dim](mend step answer {repair_id} {step.value} {q.key}=...)[/dim]"
            )
            continue
        console.print(f"\n[bold]{q.prompt}[/bold] [dim]{q.help}[/dim]")
        value = typer.prompt("  ", default=current, show_default=bool(current))
        if value != current:
            answers[q.key] = value
    if answers:
        answer_step(app.uow(), repair_id, step, answers, now=app.now())
        context.ok("Saved your answers.")
    action = _ACTIONS.get(step.value)
    if action:
        console.print("\n[bold]To complete this step:[/bold] " + action.format(id=repair_id))
    after = repair_view(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    if after.next_step and after.next_step.step != step:
        console.print(
            f"[green]{g.title} is done.[/green] Next: {guide(after.next_step.step).title}."
        )
