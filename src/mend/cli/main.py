"""The `mend` command: global options, the command groups, and the one place errors are shown.

Commands load lazily. Importing every command module (and letting Typer inspect every
function signature) took longer than most commands themselves, so the top level knows
each command only by name, module and one-line help (``COMMANDS``); a command's module
is imported when that command runs, or when anything asks for the command object
itself (its own ``--help``, the generated CLI reference, tests walking the tree).
``mend --help`` lists the commands from the table alone; a test keeps the table in
step with the commands' own help.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from mend.cli import context
from mend.cli.entry import run

__all__ = ["COMMANDS", "app", "run", "run_app"]

#: Every top-level command, in the order `mend --help` lists them: its name, the module
#: of mend.cli whose ``register(app)`` adds it, and the first paragraph of its help.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "status",
        "overview",
        "Every repair: person, progress through the ten steps, trust and trend, what is next.",
    ),
    ("next", "overview", "The single most useful thing to do now, and why."),
    (
        "agenda",
        "overview",
        "What is overdue, due today and due in the coming days, across all repairs.",
    ),
    (
        "trust",
        "overview",
        "Trust for one repair: the estimate, its weekly trajectory, trend and what moved it.",
    ),
    (
        "walk",
        "steps",
        "Walk through the next step of a repair: its guidance, its questions, what to do next.",
    ),
    ("log", "interactions", "Log an interaction."),
    (
        "import",
        "exchange",
        "Import a JSON export; everything is added in one transaction, or nothing is.",
    ),
    ("demo", "setup", "Add a demo repair (a missed deadline, three weeks in) to look around with."),
    (
        "start",
        "setup",
        "The guided start: a short welcome, a demo if you like, then a menu of what to do.",
    ),
    (
        "serve",
        "serve",
        "Start the web app on this computer and print its address. Example: mend serve",
    ),
    (
        "password",
        "serve",
        "Set the web password (an argon2 hash in your config file); ends every web session.",
    ),
    (
        "team",
        "team",
        "Accounts of a team server: the first one, adding, listing, disabling, resets.",
    ),
    ("person", "people", "The people you work with."),
    ("repair", "repairs", "Repairs: one per relationship you are mending."),
    ("step", "steps", "The ten steps of a repair."),
    ("interaction", "interactions", "Meetings, emails, calls and messages."),
    ("draft", "drafts", "Drafts of what you plan to say, with the coach's feedback."),
    ("commit", "commitments", "Commitments: one-off or recurring promises."),
    ("checkin", "checkins", "Check-ins: one-off or on a cadence."),
    ("ground", "ground", "Common ground: shared goals and joint initiatives."),
    ("agreement", "agreement", "The working agreement: communication, who does what, review."),
    (
        "invite",
        "invite",
        "Invite the other person into one repair by a link: add, list, revoke.",
    ),
    (
        "mail",
        "mail",
        "E-mail to both sides of a shared repair: send what is queued, list it, test.",
    ),
    ("export", "exchange", "Export your data: full JSON, a Markdown report, a calendar."),
    ("db", "setup", "The database: upgrade its schema, see where it is."),
    (
        "coach",
        "coach",
        "Check a draft before you send it: the words that may hurt, why, and what to say "
        "instead. `mend coach FILE` is short for `mend coach check FILE`.",
    ),
)


def available_commands() -> list[tuple[str, str, str]]:
    """``COMMANDS`` whose module is installed (the coach's command may not be yet)."""
    here = Path(__file__).parent
    return [c for c in COMMANDS if c[1] != "coach" or (here / "coach.py").exists()]


#: Commands that run long (a server, an interactive session) or build a great deal (an
#: import, training the coach): the garbage collector stays on for them.
KEEPS_GARBAGE_COLLECTION = frozenset({"serve", "start", "walk", "import", "coach"})


class _Commands(MutableMapping[str, Any]):
    """The top-level commands by name; a command's module is imported on first access."""

    def __init__(self) -> None:
        self._modules = {name: module for name, module, _ in available_commands()}
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded and name in self._modules:
            self._load(self._modules[name])
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._modules.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._modules
        yield from (name for name in self._loaded if name not in self._modules)

    def __len__(self) -> int:
        return len(self._modules.keys() | self._loaded.keys())

    def is_loaded(self, name: str) -> bool:
        return name in self._loaded

    def _load(self, module_name: str) -> None:
        module = importlib.import_module(f"mend.cli.{module_name}")
        holder = typer.Typer(rich_markup_mode="rich", add_completion=False)
        module.register(holder)
        group = typer.main.get_group(holder)
        self._loaded.update(group.commands)


class _Verbatim:
    """Coercion of a flag or text value that keeps it as given (None stays None).

    Typer checks every value, even an absent ``--help``, through a Pydantic adapter
    built on first use: importing Pydantic for that cost `mend status` tens of
    milliseconds on every run. A bool flag already arrives as a bool and text as
    text, so for those parameters there is nothing to check.
    """

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        return value


def _plain_values(command: Any, ctx: Any, *, recurse: bool = True) -> None:
    """Give ``command``'s (and its subcommands') flag and text parameters ``_Verbatim``."""
    params = list(getattr(command, "params", []))
    if "help_option_names" not in (getattr(command, "context_settings", None) or {}):
        # Created once, then cached by the command; its names are the parent's then.
        help_option = command.get_help_option(ctx)
        if help_option is not None:
            params.append(help_option)
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if (
            descriptor is not None
            and descriptor.annotation in (bool, str)
            and descriptor.parameter_info.parser is None
            and getattr(param, "_runtime_param", False) is None
        ):
            param._runtime_param = _Verbatim()
    if recurse:
        for sub in getattr(command, "commands", {}).values():
            _plain_values(sub, ctx)


class MendGroup(TyperGroup):
    """The root group: commands from ``COMMANDS``, loaded when used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commands = _Commands()
        commands._loaded.update(self.commands)
        self.commands = commands
        self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        commands = self.commands
        if self._listing and isinstance(commands, _Commands) and not commands.is_loaded(cmd_name):
            help_text = next((h for n, _, h in available_commands() if n == cmd_name), None)
            if help_text is not None:
                return TyperCommand(cmd_name, help=help_text, rich_markup_mode="rich")
        return commands.get(cmd_name)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _plain_values(self, ctx, recurse=False)  # --db, --tz, --help
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            _plain_values(command, ctx)
        if name in KEEPS_GARBAGE_COLLECTION:
            import gc

            gc.enable()
        return name, command, rest

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names only: nothing is imported

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True  # list commands from the table, without importing them
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="mend",
    cls=MendGroup,
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


def run_app() -> None:
    """Run the Typer app on ``sys.argv``; its own ways to stop become exit codes.

    Errors of Mend itself are shown by ``entry.guarded``, which runs this.
    """
    from typer._click.exceptions import ClickException

    try:
        code = app(standalone_mode=False, prog_name="mend")
    except typer.Abort:
        raise KeyboardInterrupt from None
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ClickException as exc:
        # Typer 0.29 vendors click: usage errors are its own ClickException, which
        # shows itself.
        exc.show()
        sys.exit(exc.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)
