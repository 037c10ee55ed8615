"""What comes out of Mend: --json on every read command, exports, imports and the demo."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from icalendar import Calendar
from tests.e2e.cli_helpers import Mend, flat, populate

from mend.cli.main import app

#: Arguments for every command that has --json ({r} is a repair id, {d} a draft id).
JSON_COMMANDS: dict[str, tuple[str, ...]] = {
    "status": ("--all",),
    "next": (),
    "agenda": ("--days", "30"),
    "trust": ("{r}", "--weeks", "4"),
    "log": ("{r}", "--started-by", "them", "--summary", "Quick call"),
    "person add": ("Nia Adeyemi", "--role", "vendor"),
    "person list": (),
    "person show": ("Zoë",),
    "repair open": ("-p", "Nia", "-t", "Second repair", "--what", "Late invoice"),
    "repair list": (),
    "repair show": ("{r}",),
    "step list": ("{r}",),
    "step show": ("{r}", "6"),
    "interaction list": ("{r}",),
    "interaction check": ("{r}",),
    "draft new": ("{r}", "-k", "solution", "--text", "I will send the quote by Friday."),
    "draft edit": ("{r}", "{d}", "--text", "I will send the revised quote by Friday."),
    "draft list": ("{r}",),
    "draft show": ("{r}", "{d}", "--version", "1"),
    "commit add": ("{r}", "Call every other Monday", "--every", "2 weeks"),
    "commit list": ("{r}",),
    "checkin add": ("{r}", "--at", "in 3 days"),
    "checkin list": ("{r}",),
    "ground list": ("{r}",),
    "agreement show": ("{r}",),
    "agreement comment": ("{r}", "Could we add a monthly review?"),
    "agreement sign": ("{r}",),
    "db info": (),
    "coach check": ("{f}", "--step", "apology"),
    "invite add": ("{r}", "--title", "The renewal call", "--name", "Zoë"),
    "invite list": ("{r}",),
    "invite timeline": ("{r}",),
}
#: Commands with --json whose output is checked in their own tests (training takes a
#: minute; accounts are made with a password typed twice: tests/e2e/test_cli_team.py;
#: mail needs a mail server: tests/e2e/test_cli_mail.py).
JSON_ELSEWHERE = {"coach train", "team user list", "mail list", "mail send"}


def _json_commands(group: object, path: tuple[str, ...] = ()) -> set[str]:
    commands = getattr(group, "commands", None)
    if commands is None:
        opts = {o for param in getattr(group, "params", []) for o in getattr(param, "opts", [])}
        return {" ".join(path)} if "--json" in opts else set()
    return set().union(*(_json_commands(c, (*path, n)) for n, c in commands.items()))


def _without_stamp(export: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(export)
    data.pop("exported_at")
    return data


def test_every_json_command_prints_json_and_only_json(mend: Mend, tmp_path: Path) -> None:
    assert _json_commands(typer.main.get_command(app)) == set(JSON_COMMANDS) | JSON_ELSEWHERE, (
        "a command gained or lost --json: list it in JSON_COMMANDS"
    )
    rid = populate(mend)
    draft = mend.draft(rid, "apology", "Zoë, I'm sorry I missed our call twice.")
    text = tmp_path / "draft.txt"
    text.write_text("Zoë, I'm sorry if you felt ignored, but the call clashed.", encoding="utf-8")
    for command, extra in JSON_COMMANDS.items():
        args = [a.format(r=rid, d=draft, f=text) for a in (*command.split(), *extra)]
        if command.startswith("coach"):  # exits 1: this draft has a problem
            result = mend.run(*args, "--json")
            assert result.code == 1 and not result.err, str(result)
            data = json.loads(result.out)
        else:
            data = mend.json(*args)
        assert data not in (None, [], {}), (command, data)
    board = mend.json("status")
    assert [row["title"] for row in board] == ["Missed the renewal call", "Second repair"]
    assert mend.json("draft", "show", rid, draft)["draft"]["versions"][1]["number"] == 2


def test_export_import_export_gives_the_same_data(mend: Mend, tmp_path: Path) -> None:
    # Built in a fresh SQLite file (created and upgraded on first use) ...
    source = Mend(f"sqlite:///{tmp_path / 'source.db'}")
    source("demo")
    populate(source)
    backup = tmp_path / "backup.json"
    assert "Wrote" in source("export", "json", "-o", backup).out
    # ... imported into this test's empty database (SQLite, then PostgreSQL).
    assert mend.json("status") == []
    imported = mend("import", backup)
    assert imported.out.startswith("✓ Imported")
    first = backup.read_text(encoding="utf-8")
    again = mend("export", "json").out
    assert _without_stamp(again) == _without_stamp(first)
    counts = mend.counts()
    assert counts["repairs"] == 2 and counts["drafts"] >= 2 and counts["occurrences"] >= 4
    # A second import adds alongside (ids moved past the existing ones).
    mend("import", "-", stdin=first)
    assert mend.counts() == {table: 2 * n for table, n in counts.items()}
    assert len(mend.json("status", "--all")) == 4


def test_ical_export_parses_with_alarms(mend: Mend, tmp_path: Path) -> None:
    populate(mend)
    feed = Calendar.from_ical(mend("export", "ical").out)
    events = feed.walk("VEVENT")
    summaries = [str(e["summary"]) for e in events]
    assert summaries[0] == "Check-in with Zoë Ødegård (repair: Missed the renewal call)"
    assert events[0].decoded("dtstart") == datetime(2026, 3, 9, 10, tzinfo=UTC)
    assert any(s.startswith("Due: A Friday note") for s in summaries)
    assert all(e.walk("VALARM") for e in events)
    out = tmp_path / "mend.ics"
    mend("export", "ical", "-o", out)
    assert len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == len(events)


def test_markdown_report_has_the_repair(mend: Mend, tmp_path: Path) -> None:
    rid = populate(mend)
    text = mend("export", "markdown", rid).out
    assert "Missed the renewal call" in text
    assert "Zoë Ødegård" in text
    assert "A Friday note" in text
    mend("export", "markdown", rid, "-o", tmp_path / "repair.md")
    assert (tmp_path / "repair.md").read_text(encoding="utf-8") == text


def test_demo_shows_on_the_board(mend: Mend) -> None:
    assert "Demo repair 1 added" in mend("demo").out
    (row,) = mend.json("status")
    assert row["title"] == "Late API specs held up her sprint"
    assert row["person"] == "Priya Raman (demo)"
    assert row["status"] == "in_progress"
    assert row["steps"]["apologize"] == "done"
    assert row["trust"]["n_events"] == 3  # kept, kept, late
    assert row["next_step"] is not None
    assert mend.json("next")["repair_id"] == 1
    assert "Late API specs held up her sprint" in mend("status").out


def test_db_rebuild_status_rebuilds_every_stored_row(mend: Mend) -> None:
    """The rows are kept by every write; the command puts them right after anything
    else changed them (here: removed by hand), and the board reads the same."""
    from sqlalchemy import create_engine, func, select

    from mend.store import tables

    mend("demo")
    before = mend("status").out
    engine = create_engine(mend.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(tables.repair_status.delete())
        assert "Status rebuilt for 1 repair." in flat(mend("db", "rebuild-status").out)
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(tables.repair_status)) == 1
    finally:
        engine.dispose()
    assert mend("status").out == before
