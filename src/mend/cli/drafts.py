"""`mend draft …`: what you plan to say, coached on every save."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption
from mend.words import plural

if TYPE_CHECKING:
    from mend.domain.model import Draft, DraftVersion

draft_app = typer.Typer(
    help="Drafts of what you plan to say, with the coach's feedback.", no_args_is_help=True
)
KINDS = "acknowledgment, outreach, listening, empathy, apology, solution, agreement"


def register(app: typer.Typer) -> None:
    app.add_typer(draft_app, name="draft")


def _read(text: str | None, file: Path | None) -> str:
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            from mend.errors import InvalidInput

            raise InvalidInput(f"Cannot read {file}: {exc}.", field="file") from exc
    if text == "-" or (text is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if text is not None:
        return text
    console.print("Type your draft; finish with an empty line.")
    lines = []
    while (line := input()) != "":
        lines.append(line)
    return "\n".join(lines)


def _feedback(draft: Draft, version: DraftVersion) -> None:
    """The coach's report on ``version``, as `mend coach` shows it, without the text."""
    from mend.cli.coach import show_report
    from mend.services.coaching import report_for

    show_report(report_for(version, draft.kind), version.text, with_text=False, indent="  ")


@draft_app.command("new")
def new(
    repair_id: int = typer.Argument(...),
    kind: str = typer.Option(..., "--kind", "-k", help=KINDS),
    text: str | None = typer.Option(None, "--text", help="The draft ('-' reads stdin)."),
    file: Path | None = typer.Option(None, "--file", help="Read the draft from a file."),
    title: str = typer.Option("", "--title"),
    json_out: bool = JsonOption,
) -> None:
    """Start a draft; the coach reads it at once.

    Example: mend draft new 1 -k apology --file apology.txt
    """
    from mend.services.drafts import save_draft

    app = context.get_app()
    draft = save_draft(
        app.uow(), repair_id, kind=kind, text=_read(text, file), title=title, now=app.now()
    )
    if json_out:
        context.print_json(draft)
        return
    context.ok(f"Saved draft {draft.id} (version 1).")
    _feedback(draft, draft.current)


@draft_app.command("edit")
def edit(
    repair_id: int = typer.Argument(...),
    draft_id: int = typer.Argument(...),
    text: str | None = typer.Option(None, "--text"),
    file: Path | None = typer.Option(None, "--file"),
    json_out: bool = JsonOption,
) -> None:
    """Save a new version of a draft (earlier versions are kept)."""
    from mend.services.drafts import save_draft

    app = context.get_app()
    draft = save_draft(
        app.uow(), repair_id, draft_id=draft_id, text=_read(text, file), now=app.now()
    )
    if json_out:
        context.print_json(draft)
        return
    context.ok(f"Saved draft {draft.id} version {draft.current.number}.")
    _feedback(draft, draft.current)


@draft_app.command("list")
def list_(repair_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """The drafts of a repair."""
    from mend.services.repairs import get_repair

    repair = get_repair(context.get_app().uow(write=False), repair_id)
    if json_out:
        context.print_json(list(repair.drafts))
        return
    table = Table("id", "kind", "title", "versions", "sent")
    for d in repair.drafts:
        table.add_row(
            str(d.id),
            d.kind.value,
            d.title,
            str(len(d.versions)),
            context.local(d.sent_at) if d.sent_at else "",
        )
    console.print(table)


@draft_app.command("show")
def show(
    repair_id: int = typer.Argument(...),
    draft_id: int = typer.Argument(...),
    version: int | None = typer.Option(None, "--version", "-v"),
    json_out: bool = JsonOption,
) -> None:
    """A draft's text (latest version unless --version) and the coach's feedback."""
    from mend.errors import NotFound
    from mend.services.drafts import find_draft
    from mend.services.repairs import get_repair

    draft = find_draft(get_repair(context.get_app().uow(write=False), repair_id), draft_id)
    chosen = (
        draft.current
        if version is None
        else next((v for v in draft.versions if v.number == version), None)
    )
    if chosen is None:
        raise NotFound(f"Draft {draft_id} has no version {version}.", field="version")
    if json_out:
        context.print_json({"draft": draft, "version": chosen})
        return
    console.print(f"[bold]{draft.title}[/bold] ({draft.kind.value}, version {chosen.number})\n")
    console.print(chosen.text, markup=False)
    console.print()
    _feedback(draft, chosen)


@draft_app.command("send")
def send(
    repair_id: int = typer.Argument(...),
    draft_id: int = typer.Argument(...),
    channel: str | None = typer.Option(
        None, "--channel", help="email, message, call or meeting: also log it as an outreach."
    ),
    accept: str | None = typer.Option(
        None, "--accept", help="Which proposed commitments to track: 'all', 'none' or e.g. '1,3'."
    ),
    force: bool = typer.Option(False, "--force", help="Send even if it breaks a patience rule."),
) -> None:
    """Mark a draft as sent or said; offers the promises in it as commitments."""
    from mend.services.drafts import preview_commitments, send_draft

    app = context.get_app()
    proposals = preview_commitments(
        app.uow(write=False), repair_id, draft_id, now=app.now(), tz=app.tz
    )
    chosen: list[int] = []
    if proposals:
        console.print("The draft makes these promises:")
        for n, p in enumerate(proposals, 1):
            due = context.local(p.due_at) if p.due_at else (p.recurrence or "")
            console.print(f"  {n}. {p.description} ({p.owner.value}; {due})")
        if accept is None and sys.stdin.isatty():
            accept = typer.prompt(
                "Track which as commitments? (all, none, or numbers like 1,3)", default="all"
            )
        chosen = _choose(accept or "none", len(proposals))
    draft, _ = send_draft(
        app.uow(),
        repair_id,
        draft_id,
        channel=channel,
        accept=chosen,
        force=force,
        now=app.now(),
        tz=app.tz,
    )
    context.ok(
        f"Draft {draft.id} marked as sent"
        + (f"; {plural(len(chosen), 'commitment')} added." if chosen else ".")
    )


def _choose(answer: str, count: int) -> list[int]:
    from mend.errors import InvalidInput

    answer = answer.strip().lower()
    if answer == "all":
        return list(range(count))
    if answer in {"none", ""}:
        return []
    try:
        return [int(x) - 1 for x in answer.split(",") if x.strip()]
    except ValueError:
        raise InvalidInput("Say all, none, or numbers like 1,3.", field="accept") from None
