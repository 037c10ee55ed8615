"""The `mend` console script: every command, and the board's three without Typer.

`mend status`, `next` and `agenda` are what a person runs most, and they read only the
stored board; importing Typer took a fifth of their time. So the script first tries
``quick_command``: a strict reading of just their plain spellings (``--db``/``--tz``
before the command, their own flags after, each at most once). Anything else — help,
an unknown or repeated flag, a value out of range, every other command — goes to the
Typer app (cli/main.py), which declares these commands too and answers every other
spelling and every usage error. A test checks that both read every spelling the quick
reading accepts into the same call.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

#: The board's commands and the flags each takes after its name.
_FLAGS = {"status": ("--all", "--json"), "next": ("--json",), "agenda": ("--json",)}
#: Global options that take a value, before the command: the setting each one sets.
_GLOBALS = {"--db": "database_url", "--tz": "timezone"}
_DAYS = re.compile(r"[1-9][0-9]{0,2}")


def quick_command(args: Sequence[str]) -> Callable[[], None] | None:
    """The call that ``mend ARGS`` makes, when it is a plain board command; else None."""
    from mend.cli import context

    overrides: dict[str, str] = {}
    position = 0
    while position < len(args) and args[position].startswith("--"):
        name, equals, value = args[position].partition("=")
        if name not in _GLOBALS or _GLOBALS[name] in overrides:
            return None
        if not equals:
            position += 1
            value = args[position] if position < len(args) else ""
        if not value or value.startswith("-"):
            return None
        overrides[_GLOBALS[name]] = value
        position += 1
    if position >= len(args) or args[position] not in _FLAGS:
        return None
    command, rest = args[position], args[position + 1 :]
    flags: set[str] = set()
    days = 7
    index = 0
    while index < len(rest):
        word = rest[index]
        name, equals, value = word.partition("=")
        if command == "agenda" and name == "--days" and "--days" not in flags:
            if not equals:
                index += 1
                value = rest[index] if index < len(rest) else ""
            if not _DAYS.fullmatch(value) or int(value) > 366:
                return None
            days = int(value)
            flags.add("--days")
        elif word in _FLAGS[command] and word not in flags:
            flags.add(word)
        else:
            return None
        index += 1

    from mend.cli import board

    json_out = "--json" in flags
    if command == "status":
        show = partial(board.show_status, include_closed="--all" in flags, json_out=json_out)
    elif command == "next":
        show = partial(board.show_next, json_out=json_out)
    else:
        show = partial(board.show_agenda, days=days, json_out=json_out)

    def call() -> None:
        context.set_overrides(
            database_url=overrides.get("database_url"), timezone=overrides.get("timezone")
        )
        show()

    return call


def run() -> None:
    """Entry point: run the command and turn every Mend error into one line and an exit code.

    Run as the `mend` command, the process then ends without tearing down the
    interpreter: Python would otherwise free every object one by one on the way out,
    which after a board of a thousand repairs took about 100 ms. Output is flushed and
    exit handlers run first; everything Mend writes is closed by then.
    """
    launched = _launched_as_command()
    if launched:
        import gc

        # A command is a short process that ends with os._exit: collecting cyclic
        # garbage along the way only costs time (about 40 ms of `mend status`). What
        # start-up imported is frozen, and collection stays off unless the command is
        # one that runs long or builds a lot (see main.MendGroup.resolve_command).
        gc.freeze()
        gc.disable()
    try:
        quick = quick_command(sys.argv[1:])
        if quick is None:
            from mend.cli.main import run_app

            quick = run_app
        guarded(quick)
    except SystemExit as exc:
        if launched:
            _exit_now(exc.code)
        raise
    if launched:
        _exit_now(0)


def guarded(command: Callable[[], None]) -> None:
    """Run ``command``; a Mend error, a cancel or a crash ends it with one line and a code."""
    from mend.cli import context
    from mend.errors import MendError

    try:
        command()
    except MendError as exc:
        context.err_console.print(f"[red]error:[/red] {exc.message}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        context.err_console.print("Cancelled; nothing was saved.")
        sys.exit(130)
    except Exception as exc:  # the CLI never shows a traceback
        context.err_console.print(
            f"[red]error:[/red] unexpected {type(exc).__name__}: {exc}. "
            "Nothing was saved; please report this."
        )
        sys.exit(70)
    finally:
        context.reset_app()


def _launched_as_command() -> bool:
    """Whether this process is the `mend` console script (not a test or an import)."""
    script = getattr(sys.modules.get("__main__"), "__file__", None) or ""
    return Path(script).stem in ("mend", "mend-script")


def _exit_now(code: object) -> None:
    import atexit
    import os

    from mend.cli import context

    if code is not None and not isinstance(code, int):
        context.err_console.print(str(code))
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    atexit._run_exitfuncs()
    os._exit(code or 0)
