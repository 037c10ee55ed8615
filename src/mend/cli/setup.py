"""`mend start`, `mend demo`, `mend db …`: first run, a demo, and the database itself."""

from __future__ import annotations

import sys

import typer

from mend.cli import context
from mend.cli.context import console
from mend.cli.options import JsonOption

db_app = typer.Typer(
    help="The database: upgrade its schema, see where it is.", no_args_is_help=True
)

WELCOME = (
    "[bold]Welcome to Mend.[/bold] When a working relationship breaks, Mend walks you through "
    "repairing it in ten steps, from owning your part to a written working agreement. It coaches "
    "what you plan to say, keeps you patient, and shows trust coming back as you keep your word. "
    "Everything stays on this computer."
)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("demo")(demo)
    app.command("start")(start)


@db_app.command("upgrade")
def upgrade() -> None:
    """Upgrade the database schema to this version of Mend (run it on servers after updating)."""
    from mend.app import build
    from mend.settings import load_settings
    from mend.store.schema import HEAD_REVISION, current_revision
    from mend.store.schema import upgrade as run_upgrade

    settings = load_settings({**context._state["overrides"], "auto_upgrade": False})
    from mend.store.engine import make_engine

    engine = make_engine(settings.database_url)
    before = current_revision(engine)
    run_upgrade(engine)
    engine.dispose()
    build(settings).close()
    context.ok(f"Schema at revision {HEAD_REVISION} (was {before or 'empty'}).")


@db_app.command("rebuild-status")
def rebuild_status() -> None:
    """Rebuild the stored status board of every repair (after an update of Mend that
    changed its rules; every change you make keeps it current by itself)."""
    from mend.services.overview import rebuild_status as rebuild

    app = context.get_app()
    count = rebuild(app.uow())
    context.ok(f"Status rebuilt for {count} repair{'s' if count != 1 else ''}.")


@db_app.command("info")
def info(json_out: bool = JsonOption) -> None:
    """Where the database is and which schema revision it has."""
    from mend.store.schema import current_revision

    app = context.get_app()
    url = app.engine.url.render_as_string(hide_password=True)
    revision = current_revision(app.engine)
    if json_out:
        context.print_json({"database": url, "revision": revision})
    else:
        console.print(f"Database: {url}\nSchema revision: {revision}")


def demo() -> None:
    """Add a demo repair (a missed deadline, three weeks in) to look around with."""
    from mend.services.demo import load_demo

    app = context.get_app()
    repair = load_demo(app.uow, now=app.now(), tz=app.tz)
    context.ok(
        f"Demo repair {repair.id} added: {repair.title}. Try `mend repair show {repair.id}`."
    )


_MENU = (
    ("w", "walk the next step", "walk"),
    ("s", "status of every repair", "status"),
    ("n", "the single next thing to do", "next"),
    ("a", "what is due", "agenda"),
    ("o", "open a new repair", "open"),
    ("q", "quit", "quit"),
)


def start() -> None:
    """The guided start: a short welcome, a demo if you like, then a menu of what to do."""
    from mend.cli import overview, repairs, steps
    from mend.services.overview import status_board

    app = context.get_app()
    console.print(WELCOME + "\n")
    console.print(f"[dim]Data: {app.engine.url.render_as_string(hide_password=True)}[/dim]\n")
    empty = not status_board(app.uow(write=False), now=app.now(), tz=app.tz, include_closed=True)
    interactive = sys.stdin.isatty()
    if (
        empty
        and interactive
        and typer.confirm("Load a demo repair to look around first?", default=True)
    ):
        demo()
    overview.status(all_=False, json_out=False)
    if not interactive:
        console.print("\nRun `mend --help` to see every command.")
        return
    while True:
        console.print("\n" + "  ".join(f"[bold]{key}[/bold] {label}" for key, label, _ in _MENU))
        choice = typer.prompt("What next", default="w").strip().lower()[:1]
        action = next((a for k, _, a in _MENU if k == choice), None)
        try:
            if action == "quit" or (action is None and choice == "q"):
                return
            if action == "walk":
                steps.walk(None)
            elif action == "status":
                overview.status(all_=False, json_out=False)
            elif action == "next":
                overview.next_(json_out=False)
            elif action == "agenda":
                overview.agenda(days=7, json_out=False)
            elif action == "open":
                repairs.open_(None, None, None, None, None, 3, None, False)
            else:
                console.print("Choose one of the letters shown.")
        except Exception as exc:  # keep the session going; show the one-line reason
            from mend.errors import MendError

            if not isinstance(exc, MendError):
                raise
            context.err_console.print(f"[red]error:[/red] {exc.message}")
