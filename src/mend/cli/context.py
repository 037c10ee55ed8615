"""What every command shares: the lazily built app, the consoles, JSON output, dates."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

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


# --- fast tables ----------------------------------------------------------------------
#
# A Rich Table measures, wraps and re-renders every cell, which costs about a
# millisecond per row: a thousand repairs took longer than the rest of `mend status`.
# ``print_table`` lays out the same borderless look in one pass: each distinct line of
# markup is parsed once, columns take their natural width, and only when the table is
# wider than the terminal do the widest columns shrink and their long cells wrap.


class _Line:
    """One parsed line of markup and its segments (rendered once, on first use)."""

    __slots__ = ("segments", "text", "width", "wrapped")

    def __init__(self, markup: str) -> None:
        self.text = Text.from_markup(markup) if "[" in markup else Text(markup)
        self.width = self.text.cell_len
        self.segments: list[Segment] | None = None
        self.wrapped: dict[int, list[_Line]] = {}

    @classmethod
    def of(cls, text: Text) -> _Line:
        line = cls("")
        line.text, line.width = text, text.cell_len
        return line

    def render(self, target: Console) -> list[Segment]:
        if self.segments is None:
            self.segments = list(self.text.render(target))
        return self.segments


@lru_cache(maxsize=8192)
def _markup_line(markup: str) -> _Line:
    return _Line(markup)


def _cell_lines(cell: str) -> list[_Line]:
    return [_markup_line(line) for line in cell.split("\n")]


def _fit(widths: list[int], available: int) -> list[int]:
    """Shrink the widest columns, one cell at a time, until the row fits ``available``."""
    widths = list(widths)
    floor = 6
    while sum(widths) > available:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
    return widths


class _Rows:
    """Rows of cells (lists of lines) rendered as padded segments, header in bold."""

    def __init__(self, header: list[_Line], rows: list[list[list[_Line]]]) -> None:
        self.header = header
        self.rows = rows

    def __rich_console__(self, target: Console, options: ConsoleOptions) -> RenderResult:
        natural = [h.width for h in self.header]
        for row in self.rows:
            for index, lines in enumerate(row):
                for line in lines:
                    if line.width > natural[index]:
                        natural[index] = line.width
        widths = _fit(natural, options.max_width - 2 * len(natural))
        bold = target.get_style("table.header")
        yield from _row([[([Segment(h.text.plain, bold)], h.width)] for h in self.header], widths)
        for row in self.rows:
            yield from _row(
                [
                    [(line.render(target), line.width) for line in _wrapped(lines, width, target)]
                    for lines, width in zip(row, widths, strict=True)
                ],
                widths,
            )


def _wrapped(lines: list[_Line], width: int, target: Console) -> list[_Line]:
    """The lines as they are, or word-wrapped to ``width`` when one is too long."""
    if all(line.width <= width for line in lines):
        return lines
    out = []
    for line in lines:
        if width not in line.wrapped:
            line.wrapped[width] = [_Line.of(part) for part in line.text.wrap(target, width)]
        out.extend(line.wrapped[width])
    return out


def _row(cells: list[list[tuple[list[Segment], int]]], widths: list[int]) -> Iterable[Segment]:
    """One table row: each cell's lines side by side, padded to the column widths.

    Unstyled text and padding are joined into one segment, styled segments pass as
    they are: fewer segments for Rich to write.
    """
    for index in range(max(len(lines) for lines in cells)):
        plain = ""
        for lines, width in zip(cells, widths, strict=True):
            plain += " "
            if index < len(lines):
                segments, size = lines[index]
                for segment in segments:
                    if segment.style:
                        if plain:
                            yield Segment(plain)
                            plain = ""
                        yield segment
                    else:
                        plain += segment.text
                plain += " " * (width - size + 1)
            else:
                plain += " " * (width + 1)
        yield Segment(plain.rstrip() + "\n")


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print a borderless table of markup cells (a cell may hold several lines)."""
    table = _Rows(
        [_markup_line(h) for h in headers],
        [[_cell_lines(cell) for cell in row] for row in rows],
    )
    console.print(table, crop=False)
