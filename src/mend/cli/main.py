"""The `mend` command: global options, the command groups, and the one place errors are shown."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from mend.cli import context

app = typer.Typer(
    name="mend",
    help="Mend: a private companion for repairing a working relationship, step by step.\n\n"
    "Start with `mend start` for a guided first run, `mend status` for an overview, or "
    "`mend next` for the single most useful thing to do now.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def _global(
    db: str = typer.Option(
        None,
        "--db",
        help="Database: a SQLite file path or URL (overrides MEND_DATABASE_URL).",
        metavar="PATH|URL",
    ),
    tz: str = typer.Option(None, "--tz", help="Time zone for dates, e.g. Europe/Berlin."),
) -> None:
    context.set_overrides(database_url=db, timezone=tz)


def _register() -> None:
    from mend.cli import (
        agreement,
        checkins,
        commitments,
        drafts,
        exchange,
        ground,
        interactions,
        overview,
        people,
        repairs,
        serve,
        setup,
        steps,
    )

    for module in (
        overview,
        people,
        repairs,
        steps,
        interactions,
        drafts,
        commitments,
        checkins,
        ground,
        agreement,
        exchange,
        setup,
        serve,
    ):
        module.register(app)
    coach_cli = Path(__file__).with_name("coach.py")
    if coach_cli.exists():
        from mend.cli import coach

        coach.register(app)


_register()


def run() -> None:
    """Entry point: run the app and turn every Mend error into one line and an exit code."""
    from mend.errors import MendError

    try:
        code = app(standalone_mode=False, prog_name="mend")
        if isinstance(code, int) and code:
            sys.exit(code)
    except MendError as exc:
        context.err_console.print(f"[red]error:[/red] {exc.message}")
        sys.exit(exc.exit_code)
    except typer.Abort:
        context.err_console.print("Cancelled; nothing was saved.")
        sys.exit(130)
    except KeyboardInterrupt:
        context.err_console.print("Cancelled; nothing was saved.")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # the CLI never shows a traceback
        # Typer 0.29 vendors click, so usage errors are typer's own ClickException;
        # both it and click's expose show() and exit_code.
        from typer.exceptions import TyperException

        show = getattr(exc, "show", None)
        if isinstance(exc, TyperException) and callable(show):
            show()
            sys.exit(getattr(exc, "exit_code", 2))
        context.err_console.print(
            f"[red]error:[/red] unexpected {type(exc).__name__}: {exc}. "
            "Nothing was saved; please report this."
        )
        sys.exit(70)
    finally:
        context.reset_app()
