"""The console script's quick reading of `mend status`, `next` and `agenda` makes the
very call the Typer app makes for the same words, and leaves everything else to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mend.cli import board, context
from mend.cli.entry import quick_command
from mend.cli.main import app

Calls = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """What the commands would do, recorded instead of done."""
    calls: Calls = []

    def record(name: str) -> Callable[..., None]:
        return lambda **kwargs: calls.append((name, kwargs))

    for name in ("show_status", "show_next", "show_agenda"):
        monkeypatch.setattr(board, name, record(name))
    monkeypatch.setattr(context, "set_overrides", record("set_overrides"))
    return calls


def _through_typer(args: list[str], calls: Calls) -> Calls:
    calls.clear()
    app(args=args, standalone_mode=False, prog_name="mend")
    return list(calls)


def _quickly(args: list[str], calls: Calls) -> Calls | None:
    calls.clear()
    command = quick_command(args)
    if command is None:
        return None
    command()
    return list(calls)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--json"],
        ["status", "--all", "--json"],
        ["status", "--json", "--all"],
        ["next"],
        ["next", "--json"],
        ["agenda"],
        ["agenda", "--days", "3"],
        ["agenda", "--days=366", "--json"],
        ["--db", "other.db", "status"],
        ["--tz=Europe/Berlin", "--db=x.db", "agenda", "--json"],
    ],
)
def test_the_plain_spellings_go_the_quick_way_and_make_the_same_call(
    args: list[str], recorded: Calls
) -> None:
    quick = _quickly(args, recorded)
    assert quick is not None
    assert quick == _through_typer(args, recorded)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["status", "--help"],
        ["status", "--json", "--json"],
        ["status", "--days", "3"],
        ["next", "--all"],
        ["agenda", "--days", "0"],
        ["agenda", "--days", "367"],
        ["agenda", "--days"],
        ["agenda", "--days", "3", "--days", "4"],
        ["--db", "status"],
        ["--db", "a.db", "--db", "b.db", "status"],
        ["--verbose", "status"],
        ["trust", "1"],
        ["status", "extra"],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert quick_command(args) is None


WORDS = st.sampled_from(
    [
        "status", "next", "agenda", "trust", "--json", "--all", "--days", "--days=5",
        "--days=07", "3", "0", "366", "367", "--db", "--db=y.db", "x.db", "--tz", "UTC",
        "--tz=Europe/Berlin", "--help", "-h", "--", "--json=1", "",
    ]
)  # fmt: skip


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(WORDS, max_size=6))
def test_whatever_the_quick_way_accepts_typer_reads_the_same(
    args: list[str], recorded: Calls
) -> None:
    quick = _quickly(args, recorded)
    if quick is not None:
        assert quick == _through_typer(args, recorded)
