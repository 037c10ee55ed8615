"""`mend status`, `next` and `agenda` print the same, word for word and code for code,
whether the console script reads them itself (cli/entry.py) or through Typer, on a
local SQLite file (the quick read of the stored board) and on PostgreSQL alike."""

from __future__ import annotations

import pytest
from tests.e2e.cli_helpers import Mend

from mend.cli import entry


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("status", "--all"),
        ("status", "--json"),
        ("next",),
        ("next", "--json"),
        ("agenda",),
        ("agenda", "--days", "30"),
        ("agenda", "--json"),
    ],
)
def test_the_quick_way_prints_what_typer_prints(
    mend: Mend, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    mend("demo")
    mend.advance(days=3)  # something falls due, something is overdue
    assert entry.quick_command(list(args)) is not None
    quick = mend.run(*args)
    monkeypatch.setattr(entry, "quick_command", lambda _: None)
    through_typer = mend.run(*args)
    assert quick.code == 0, quick
    assert (quick.code, quick.out, quick.err) == (
        through_typer.code,
        through_typer.out,
        through_typer.err,
    )
    assert quick.out.strip()


def test_an_error_reads_the_same_the_quick_way(
    mend: Mend, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A database Mend cannot open: one line and the same exit code, either way."""
    folder = tmp_path_factory.mktemp("not-a-db")
    (folder / "m.db").write_text("this is not a database")
    mend.database_url = str(folder / "m.db")
    quick = mend.run("status")
    monkeypatch.setattr(entry, "quick_command", lambda _: None)
    through_typer = mend.run("status")
    assert quick.code == 69 and "Cannot open the database" in quick.err
    assert (quick.code, quick.err) == (through_typer.code, through_typer.err)
    assert "Traceback" not in quick.err
