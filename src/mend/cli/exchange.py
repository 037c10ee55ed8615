"""`mend export …` and `mend import`: everything out and back in, reports, calendars."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from mend.cli import context
from mend.cli.options import ForceOption

export_app = typer.Typer(
    help="Export your data: full JSON, a Markdown report, a calendar.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("import")(import_)


_OUT = typer.Option(None, "--out", "-o", help="File to write (default: standard output).")


@export_app.command("json")
def export_json(out: Path = _OUT, force: bool = ForceOption) -> None:
    """Everything, as JSON with a schema version (import it back with `mend import`)."""
    from mend.services.exchange import export_all

    app = context.get_app()
    data = export_all(app.uow(write=False), now=app.now())
    context.write_output(out, json.dumps(data, ensure_ascii=False, indent=1) + "\n", force=force)


@export_app.command("markdown")
def export_markdown(
    repair_id: int = typer.Argument(...), out: Path = _OUT, force: bool = ForceOption
) -> None:
    """A readable report of one repair."""
    from mend.services.exports import repair_document

    app = context.get_app()
    document = repair_document(app.uow(write=False), repair_id, now=app.now(), tz=app.tz)
    context.write_output(out, document, force=force)


@export_app.command("ical")
def export_ical(out: Path = _OUT, force: bool = ForceOption) -> None:
    """Check-ins and commitment due dates as an iCalendar file, with alarms."""
    from mend.services.exports import calendar_feed

    app = context.get_app()
    context.write_output(out, calendar_feed(app.uow(write=False), now=app.now()), force=force)


def import_(
    file: str = typer.Argument(..., help="A file from `mend export json` ('-' for stdin)."),
) -> None:
    """Import a JSON export; everything is added in one transaction, or nothing is."""
    from mend.services.exchange import import_file

    source = sys.stdin.buffer.read() if file == "-" else Path(file)
    summary = import_file(context.get_app().uow(), source)
    context.ok(f"Imported {summary.describe()}.")
