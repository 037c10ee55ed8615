"""What every command shares: the lazily built app, the consoles, JSON output, dates."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, tzinfo
from enum import Enum
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS, Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

if TYPE_CHECKING:
    from mend.app import App
    from mend.settings import Settings

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

_state: dict[str, Any] = {"overrides": {}, "app": None, "settings": None}


def set_overrides(**overrides: Any) -> None:
    _state["overrides"] = {k: v for k, v in overrides.items() if v is not None}
    _state["app"] = _state["settings"] = None


def add_overrides(**overrides: Any) -> None:
    """More settings given on the command line (a subcommand's flags, like --team)."""
    set_overrides(**{**_state["overrides"], **overrides})


def overrides_as_environment() -> dict[str, str]:
    """The command line's settings as the ``MEND_*`` variables that set them (for worker
    processes that load their settings afresh)."""
    out = {}
    for name, value in _state["overrides"].items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        out["MEND_" + name.upper()] = text
    return out


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
    _state["app"] = _state["settings"] = None


def settings() -> Settings:
    """The settings, without building the app (no database, no SQLAlchemy)."""
    if _state["app"] is not None:
        return _state["app"].settings  # type: ignore[no-any-return]
    if _state.get("settings") is None:
        from mend.settings import load_settings

        _state["settings"] = load_settings(_state["overrides"])
    return _state["settings"]  # type: ignore[no-any-return]


def now() -> datetime:
    if _state["app"] is not None:
        return get_app().now()
    from mend.app import parse_pinned_now, system_clock

    pinned = settings().now
    return parse_pinned_now(pinned) if pinned else system_clock()


def tz() -> tzinfo:
    if _state["app"] is not None:
        return get_app().tz
    from mend.app import resolve_timezone

    return resolve_timezone(settings().timezone)


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
        return {f.name: to_jsonable(getattr(value, f.name)) for f in _shown_fields(type(value))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


#: Per dataclass: the names of its shown fields, and a getter of their values.
_FIELDS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def _shown_fields(cls: type) -> list[dataclasses.Field[Any]]:
    """A dataclass's fields but the internal ones (which account owns a row)."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _json_default(value: Any) -> Any:
    """What ``json`` cannot write itself (Mend's enums are strings, so it writes those)."""
    known = _FIELDS.get(type(value))  # a board holds thousands of the same few dataclasses
    if known is not None:
        return dict(zip(known[0], known[1](value), strict=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = tuple(f.name for f in _shown_fields(type(value)))
        # attrgetter of one name gives the value itself, of none it cannot be made
        getter = (
            attrgetter(*names)
            if len(names) > 1
            else (lambda v: tuple(getattr(v, name) for name in names))
        )
        _FIELDS[type(value)] = (names, getter)
        return _json_default(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def print_json(value: Any) -> None:
    """The value as JSON: indented at a terminal, compact in a pipe (much faster to write).

    ``json`` converts the values as it writes them (``_json_default``); what it cannot
    take that way, such as dictionaries keyed by dates, goes through ``to_jsonable``.
    """
    indent = 2 if sys.stdout.isatty() else None
    try:
        text = json.dumps(value, default=_json_default, indent=indent, ensure_ascii=False)
    except (TypeError, ValueError):
        text = json.dumps(to_jsonable(value), indent=indent, ensure_ascii=False)
    sys.stdout.write(text + "\n")


def write_output(out: Path | None, data: str | bytes, *, force: bool) -> None:
    """``data`` to standard output, or to ``out`` as a private file (0600, atomic).

    An existing file or symbolic link is refused unless ``force``: an export never
    silently replaces a file, nor writes through a link someone planted.
    """
    if out is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    from mend.privacy import write_private

    write_private(out, data, overwrite=force)
    ok(f"Wrote {out}.")


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
    import typer

    return str(typer.prompt(prompt, default="" if not required else None))


def ask_new_password() -> str:
    """A new password typed twice without echo (InvalidInput when it is too short)."""
    import typer

    from mend.passwords import check_new_password

    secret = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    return check_new_password(str(secret))


# --- fast tables ----------------------------------------------------------------------
#
# A Rich Table measures, wraps and re-renders every cell, which costs about a
# millisecond per row: a thousand repairs took longer than the rest of `mend status`.
# ``print_table`` lays out the same borderless look in one pass: each distinct line of
# markup is parsed once, columns take their natural width, and only when the table is
# wider than the terminal do the widest columns shrink and their long cells wrap.


# Simple markup, ``[style]text[/style]`` without nesting or escapes, is split here;
# anything else goes through Rich's parser (about 30 µs a line).
_TAG = re.compile(r"\[(/?)([a-z][a-z0-9 ]*)?\]")


def _simple_markup(markup: str) -> list[tuple[str, str]] | None:
    """``(text, style)`` pieces of simple markup, or None when it is not that simple."""
    if "\\" in markup:
        return None
    pieces: list[tuple[str, str]] = []
    style, position = "", 0
    for match in _TAG.finditer(markup):
        if match.start() > position:
            pieces.append((markup[position : match.start()], style))
        closing, name = match.group(1), match.group(2) or ""
        if closing and name in (style, ""):
            style = ""
        elif not closing and name and not style:
            style = name
        else:
            return None
        position = match.end()
    if position < len(markup):
        pieces.append((markup[position:], style))
    if style or "[" in "".join(text for text, _ in pieces):
        return None
    merged: list[tuple[str, str]] = []  # "[green]●[/green][green]●[/green]": one piece
    for text, style in pieces:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return merged


@lru_cache(maxsize=1024)
def _char_cells(char: str) -> int:
    return cell_len(char)


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes; per character (cached) unless it joins characters."""
    if text.isascii():
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:
        return cell_len(text)
    return sum(map(_char_cells, text))


class _Line:
    """One line of markup, parsed once: its segments and its width in cells."""

    __slots__ = ("_ansi", "_pieces", "_text", "segments", "width", "wrapped")

    def __init__(self, markup: str) -> None:
        self._pieces = _simple_markup(markup) if "[" in markup else [(markup, "")]
        self._text: Text | None = None if self._pieces is not None else Text.from_markup(markup)
        self.width = (
            sum(_cells(text) for text, _ in self._pieces)
            if self._pieces is not None
            else self.text.cell_len
        )
        self.segments: list[Segment] | None = None
        self.wrapped: dict[int, list[_Line]] = {}
        self._ansi: str | None = None

    @classmethod
    def of(cls, text: Text) -> _Line:
        line = cls("")
        line._pieces, line._text, line.width = None, text, text.cell_len
        return line

    @classmethod
    def of_ascii(cls, pieces: list[tuple[str, str]]) -> _Line:
        line = cls("")
        line._pieces, line.width = pieces, sum(len(text) for text, _ in pieces)
        return line

    def wrap(self, width: int, target: Console) -> list[_Line]:
        """The line word-wrapped to ``width``, as Rich's ``Text.wrap`` would (cached)."""
        if width not in self.wrapped:
            quick = _wrap_ascii(self._pieces, width) if self._pieces is not None else None
            self.wrapped[width] = (
                [_Line.of_ascii(part) for part in quick]
                if quick is not None
                else [_Line.of(part) for part in self.text.wrap(target, width)]
            )
        return self.wrapped[width]

    @property
    def text(self) -> Text:
        if self._text is None:
            assert self._pieces is not None
            self._text = Text.assemble(*((text, style or "") for text, style in self._pieces))
        return self._text

    def render(self, target: Console) -> list[Segment]:
        if self.segments is None:
            if self._pieces is not None:
                self.segments = [
                    Segment(text, target.get_style(style) if style else None)
                    for text, style in self._pieces
                ]
            else:
                self.segments = list(self.text.render(target))
        return self.segments

    def ansi(self, target: Console, system: ColorSystem | None) -> str:
        """The line as text with ANSI styles for ``system`` (None: plain text)."""
        if self._ansi is None:
            self._ansi = "".join(
                style.render(text, color_system=system) if style and system else text
                for text, style, _ in self.render(target)
            )
        return self._ansi


@lru_cache(maxsize=8192)
def _markup_line(markup: str) -> _Line:
    return _Line(markup)


def _cell_lines(cell: str) -> list[_Line]:
    return [_markup_line(line) for line in cell.split("\n")]


def _wrap_ascii(pieces: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]] | None:
    """Rich's word wrap (``Text.wrap``) of plain ASCII pieces, without building a
    ``Text`` per line, which took most of the table's wrapping; None for anything else
    (tabs, newlines, characters wider or narrower than one cell).

    Rich breaks where ``divide_line`` says, crops the spaces that run past the width and
    cuts each line to the width. Folding already keeps every word within the width, so
    only trailing spaces run past it, and for ASCII both steps come to one cut.
    """
    from rich._wrap import divide_line

    text = "".join(piece for piece, _ in pieces)
    if not text.isascii() or "\t" in text or "\n" in text:
        return None
    bounds = [0, *divide_line(text, width, fold=True), len(text)]
    lines = []
    for start, stop in pairwise(bounds):
        end = min(stop, start + width)
        line, at = [], 0
        for piece, style in pieces:
            left, right = max(start, at), min(end, at + len(piece))
            if left < right:
                line.append((piece[left - at : right - at], style))
            at += len(piece)
        lines.append(line)
    return lines


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

    def widths(self, available: int) -> list[int]:
        natural = [h.width for h in self.header]
        for row in self.rows:
            for index, lines in enumerate(row):
                for line in lines:
                    if line.width > natural[index]:
                        natural[index] = line.width
        return _fit(natural, available - 2 * len(natural))

    def __rich_console__(self, target: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
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
        out.extend(line.wrap(width, target))
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


def _direct(target: Console) -> tuple[bool, ColorSystem | None]:
    """Whether lines may be written straight to the terminal, and in which colours.

    Rich's own writer goes segment by segment; for thousands of lines it is most of
    the cost. It is bypassed only when it would add nothing: no recording, capture,
    Jupyter, legacy Windows console or NO_COLOR.
    """
    capturing = int(getattr(target, "_buffer_index", 0)) > 0
    simple = not (
        target.record or target.legacy_windows or target.is_jupyter or target.no_color or capturing
    )
    name = target.color_system
    return simple, (COLOR_SYSTEMS[name] if name else None)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print a borderless table of markup cells (a cell may hold several lines)."""
    table = _Rows(
        [_markup_line(h) for h in headers],
        [[_cell_lines(cell) for cell in row] for row in rows],
    )
    simple, system = _direct(console)
    if not simple:
        console.print(table, crop=False)
        return
    widths = table.widths(console.width)
    bold = console.get_style("table.header")
    out = [
        _text_row(
            [
                [
                    (
                        bold.render(h.text.plain, color_system=system) if system else h.text.plain,
                        h.width,
                    )
                ]
                for h in table.header
            ],
            widths,
        )
    ]
    for row in table.rows:
        cells = [
            [(line.ansi(console, system), line.width) for line in _wrapped(lines, width, console)]
            for lines, width in zip(row, widths, strict=True)
        ]
        out.append(_text_row(cells, widths))
    console.file.write("".join(out))
    console.file.flush()


def _text_row(cells: list[list[tuple[str, int]]], widths: list[int]) -> str:
    """``_row`` as text: one table row, its cells' lines side by side, padded."""
    lines = []
    for index in range(max(len(c) for c in cells)):
        parts = []
        for column, width in zip(cells, widths, strict=True):
            if index < len(column):
                text, size = column[index]
                parts.append(f" {text}{' ' * (width - size + 1)}")
            else:
                parts.append(" " * (width + 2))
        lines.append("".join(parts).rstrip() + "\n")
    return "".join(lines)


class _Lines:
    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines

    def __rich_console__(self, target: Console, options: ConsoleOptions) -> RenderResult:
        newline = Segment.line()
        for line in self.lines:
            yield from line.render(target)
            yield newline


def print_lines(lines: Iterable[str]) -> None:
    """Print lines of markup in one go (one ``console.print`` per line costs ~0.1 ms)."""
    parsed = [_Line(line) for line in lines]
    simple, system = _direct(console)
    if not simple:
        console.print(_Lines(parsed), crop=False)
        return
    console.file.write("".join(line.ansi(console, system) + "\n" for line in parsed))
    console.file.flush()
