"""What every command shares: the lazily built app, the consoles, JSON output, dates."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from mend.app import App

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

_state: dict[str, Any] = {"overrides": {}, "app": None}


def set_overrides(**overrides: Any) -> None:
    _state["overrides"] = {k: v for k, v in overrides.items() if v is not None}
    _state["app"] = None


def get_app() -> App:
    """Build the app on first use, so `mend --help` never touches the database."""
    if _state["app"] is None:
        from mend.app import build
        from mend.settings import load_settings

        _state["app"] = build(load_settings(_state["overrides"]))
    app: App = _state["app"]
    return app


def reset_app() -> None:
    if _state["app"] is not None:
        _state["app"].close()
    _state["app"] = None


def now() -> datetime:
    return get_app().now()


def tz() -> tzinfo:
    return get_app().tz


def when(text: str | None, field: str = "date") -> datetime | None:
    """An everyday or ISO date typed by the user, as aware UTC (None stays None)."""
    if text is None:
        return None
    from mend.dates import parse_when

    return parse_when(text, now=now(), tz=tz(), field=field)


def day(text: str | None, field: str = "date") -> date | None:
    if text is None:
        return None
    from mend.dates import parse_day

    return parse_day(text, now=now(), tz=tz(), field=field)


def local(value: datetime | None, *, with_time: bool = True) -> str:
    from mend.dates import format_local

    return format_local(value, tz(), with_time=with_time)


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from dataclasses, enums, dates and containers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def ok(message: str) -> None:
    console.print(f"[green]✓[/green] {message}")


def warn(message: str) -> None:
    err_console.print(f"[yellow]![/yellow] {message}")


def read_text_arg(value: str | None, *, prompt: str, required: bool = True) -> str:
    """Text from an option, from stdin when given as '-', or asked for interactively."""
    if value == "-":
        return sys.stdin.read()
    if value is not None:
        return value
    if not sys.stdin.isatty():
        return ""
    return str(typer.prompt(prompt, default="" if not required else None))


JsonOption = typer.Option(False, "--json", help="Print the result as JSON.")
