"""The command line starts fast without losing anything: the lazy command table matches
the commands, `mend --help` imports none of them, and the fast table looks like Rich's."""

from __future__ import annotations

import inspect
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import typer
from hypothesis import given
from hypothesis import strategies as st
from rich.console import COLOR_SYSTEMS, Console
from rich.table import Table
from rich.text import Text

from mend.cli import context
from mend.cli.main import COMMANDS, app, available_commands


def _first_paragraph(text: str) -> str:
    return " ".join(inspect.cleandoc(text).split("\n\n")[0].split())


def test_the_command_table_matches_the_commands_themselves() -> None:
    root = typer.main.get_command(app)
    loaded = dict(root.commands.items())  # type: ignore[attr-defined]
    assert list(loaded) == [name for name, _, _ in available_commands()]
    for name, _, help_text in available_commands():
        assert _first_paragraph(loaded[name].help or "") == help_text, name


def test_every_command_module_is_in_the_table() -> None:
    names = {name for name, _, _ in COMMANDS}
    for _, module, _ in available_commands():
        holder = typer.Typer()
        __import__(f"mend.cli.{module}", fromlist=["register"]).register(holder)
        group = typer.main.get_group(holder)
        assert set(group.commands) <= names, module


def _modules_after(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules a `mend ARGS` run has imported by the time it ends."""
    script = (
        "import atexit, json, sys\n"
        f"sys.argv = ['mend', *{args!r}]\n"
        "atexit.register(lambda: sys.__stderr__.write(json.dumps(sorted(sys.modules))))\n"
        "from mend.cli.entry import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    return set(json.loads(done.stderr[done.stderr.index("[") :]))


def test_help_imports_no_command_and_no_database_code() -> None:
    modules = _modules_after(["--help"])
    cli = {m for m in modules if m.startswith("mend.cli.")}
    assert cli == {"mend.cli.entry", "mend.cli.main", "mend.cli.context"}
    assert "sqlalchemy" not in modules
    assert "pydantic" not in modules


def test_status_needs_neither_typer_nor_the_orm_nor_pydantic(tmp_path: Path) -> None:
    env = {"MEND_DATABASE_URL": str(tmp_path / "m.db"), "MEND_CONFIG": str(tmp_path / "x.toml")}
    modules = _modules_after(["status"], {**os.environ, **env})
    assert "mend.cli.board" in modules
    assert "typer" not in modules
    assert "mend.cli.overview" not in modules
    assert "mend.cli.drafts" not in modules
    assert "sqlalchemy.orm" not in modules
    assert "pydantic" not in modules


def _render(width: int, rows: list[tuple[str, ...]], fast: bool) -> str:
    out = io.StringIO()
    target = Console(file=out, width=width, color_system=None, highlight=False)
    if fast:
        saved = context.console
        context.console = target
        try:
            context.print_table(("id", "with", "next"), rows)
        finally:
            context.console = saved
    else:
        table = Table("id", "with", "next", box=None, padding=(0, 1))
        for row in rows:
            table.add_row(*row)
        target.print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def test_the_fast_table_lays_out_like_a_rich_table() -> None:
    rows = [
        ("1", "Ana Ruiz\n[dim]colleague[/dim]", "Listen [dim](wait until 3 March)[/dim]"),
        ("12", "Zoë Ng\n[dim]manager[/dim]", "[green]●●[/green][dim]·[/dim] 2/10"),
    ]
    assert _render(100, rows, fast=True) == _render(100, rows, fast=False)


def test_the_fast_table_wraps_to_the_terminal() -> None:
    rows = [("7", "Ana", "Offer solutions: propose concrete changes with an owner and a date")]
    text = _render(40, rows, fast=True)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert " ".join(text.split()).count("owner and a date") == 1


def test_the_mend_command_keeps_its_output_exit_codes_and_writes(tmp_path: Path) -> None:
    """The console script ends without interpreter teardown: nothing may get lost."""
    mend = Path(sys.executable).with_name("mend")
    env = {
        **os.environ,
        "MEND_DATABASE_URL": str(tmp_path / "m.db"),
        "MEND_CONFIG": str(tmp_path / "none.toml"),
        "MEND_NOW": "2026-03-02T09:00:00+00:00",
    }

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(mend), *args], capture_output=True, text=True, env=env, check=False
        )

    assert json.loads(call("status", "--json").stdout) == []
    missing = call("repair", "show", "999")
    assert missing.returncode != 0
    assert "No repair with id 999" in missing.stderr
    assert call("demo").returncode == 0
    board = json.loads(call("status", "--json").stdout)
    assert len(board) == 1
    assert board[0]["person"].split()[0] in call("status").stdout  # wrapped at 80 columns


def test_status_next_and_agenda_of_a_local_file_never_import_sqlalchemy(tmp_path: Path) -> None:
    """They read the stored board rows with sqlite3 (store/quick.py); SQLAlchemy's
    import alone took longer than the whole board. They build no entity either, so the
    entities' module (dozens of dataclasses to make) stays out too, and so does Typer."""
    database = tmp_path / "m.db"
    env = {**os.environ, "MEND_DATABASE_URL": str(database), "MEND_CONFIG": str(tmp_path / "x")}
    made = subprocess.run(
        [sys.executable, "-c", "from mend.cli.main import run; run()", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    for command in (["status"], ["status", "--json"], ["next"], ["agenda"]):
        modules = _modules_after(command, env)
        assert "mend.store.quick" in modules, command
        assert "sqlalchemy" not in modules, command
        assert "mend.domain.model" not in modules, command
        assert "typer" not in modules, command


PIECES = st.lists(
    st.tuples(
        st.text(alphabet=st.sampled_from("ab cdefg  hij,.()-"), min_size=1, max_size=30),
        st.sampled_from(["", "dim", "red", "green"]),
    ),
    min_size=1,
    max_size=6,
)


@given(pieces=PIECES, width=st.integers(min_value=1, max_value=40))
def test_the_quick_word_wrap_is_richs_word_wrap(pieces: list[tuple[str, str]], width: int) -> None:
    """Long ASCII cells wrap without Rich's Text (context._wrap_ascii); the lines, their
    styles and their colours are what Rich's own wrap gives."""
    target = Console(file=io.StringIO(), width=120, color_system="standard", highlight=False)
    system = COLOR_SYSTEMS["standard"]
    quick = context._wrap_ascii(pieces, width)
    assert quick is not None
    ours = [context._Line.of_ascii(line).ansi(target, system) for line in quick]
    text = Text.assemble(*pieces)
    richs = [context._Line.of(line).ansi(target, system) for line in text.wrap(target, width)]
    assert ours == richs
