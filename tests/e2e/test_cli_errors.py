"""Bad input at the command line: one line saying what is wrong, a non-zero exit, nothing saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from tests.e2e.cli_helpers import START, Mend, invoke, populate

from mend.cli.main import app


def _commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under ``group`` (groups included)."""
    found = [path]
    for name, command in getattr(group, "commands", {}).items():
        found += _commands(command, (*path, name))
    return found


ALL_COMMANDS = _commands(typer.main.get_command(app))


def test_every_command_has_help() -> None:
    assert len(ALL_COMMANDS) > 40
    for path in ALL_COMMANDS:
        # No database is reachable: --help must not need one.
        result = invoke([*path, "--help"], {"MEND_DATABASE_URL": "/nonexistent/dir/x.db"})
        assert result.code == 0, str(result)
        assert "Usage:" in result.out, str(result)
        assert result.err == "", str(result)


def test_unknown_ids_are_one_line_not_a_traceback(mend: Mend) -> None:
    mend.person("Ana Ruiz")
    rid = mend.open_repair("Ana", "Late specs")
    cases = {
        ("repair", "show", "999"): "No repair with id 999",
        ("repair", "status", "999", "restored", "--reason", "x"): "No repair with id 999",
        ("step", "list", "999"): "No repair with id 999",
        ("trust", "999"): "No repair with id 999",
        ("log", "999"): "No repair with id 999",
        ("export", "markdown", "999"): "No repair with id 999",
        ("person", "show", "999"): "999",
        ("commit", "kept", rid, "999"): f"Repair {rid} has no commitment 999",
        ("checkin", "done", rid, "999", "--outcome", "ok"): f"Repair {rid} has no check-in 999",
        ("interaction", "reply", rid, "999"): f"Repair {rid} has no interaction 999",
        ("draft", "show", rid, "999"): f"Repair {rid} has no draft 999",
        ("ground", "update", rid, "999", "--status", "done"): f"Repair {rid} has no initiative",
        ("agreement", "show", rid): f"Repair {rid} has no agreement yet",
    }
    before = mend.counts()
    for args, expected in cases.items():
        line = mend.fails(*args, code=3)
        assert line.startswith("error: ") and expected in line, (args, line)
    assert mend.counts() == before
    # A typo in a step or a status is a usage problem (2), not a missing record (3).
    line = mend.fails("step", "done", rid, "apologise", code=2)
    assert "Step must be one of: acknowledge, open conversation" in line


def test_ambiguous_person_names_ask_for_the_id(mend: Mend) -> None:
    okafor = mend.person("Sam Okafor")
    reyes = mend.person("Sam Reyes", "manager")
    for ref, args in (
        ("Sam", ("person", "show", "Sam")),
        ("sam", ("repair", "open", "-p", "sam", "-t", "Clash", "--what", "We argued")),
        ("Sam", ("person", "edit", "Sam", "--role", "client")),
    ):
        line = mend.fails(*args, code=2)
        assert f"'{ref}' matches 2 people: Sam Okafor (id {okafor}), Sam Reyes (id {reyes})" in line
        assert "use the id" in line
    assert mend.json("status") == []
    # An exact name (any case) or the id picks one.
    assert mend.json("person", "show", "sam reyes")["person"]["id"] == reyes
    rid = mend.open_repair(str(okafor), "Clash")
    assert mend.json("repair", "show", rid)["person"]["name"] == "Sam Okafor"
    assert "No person called 'Samuel'" in mend.fails("person", "show", "Samuel", code=3)


def test_dates_that_cannot_be_read_or_are_in_the_wrong_place(mend: Mend) -> None:
    mend.person("Ana Ruiz")
    rid = mend.open_repair("Ana", "Late specs")
    before = mend.counts()
    unreadable = {
        ("commit", "add", rid, "Send notes", "--due", "next blursday"): "as a due",
        ("checkin", "add", rid, "--at", "next blursday"): "as a at",
        ("agreement", "set", rid, "--review-on", "next blursday"): "as a review_on",
        ("log", rid, "--at", "next blursday"): "as a at",
        ("repair", "open", "-p", "Ana", "-t", "X", "--what", "Y", "--when", "blursday"): "when",
    }
    for args, field in unreadable.items():
        line = mend.fails(*args, code=2)
        assert "Cannot read" in line and "blursday" in line and field in line, line
        assert "try 2026-03-14, 2026-03-14 15:30, tomorrow, next Friday or in 2 weeks" in line
    wrong_time = {
        ("commit", "add", rid, "Send notes", "--due", "yesterday"): "The due date is in the past",
        ("commit", "add", rid, "Notes", "--every", "friday", "--until", "yesterday"): "end date",
        ("checkin", "add", rid, "--at", "2026-03-01 10:00"): "must be scheduled in the future",
        ("agreement", "set", rid, "--review-on", "today"): "review date must be in the future",
        ("repair", "open", "-p", "Ana", "-t", "X", "--what", "Y", "--when", "tomorrow"): "future",
        ("log", rid, "--at", "tomorrow 10:00"): "its time is in the future",
        ("commit", "add", rid, "Notes", "--every", "blursdays"): "does not understand",
        ("checkin", "add", rid, "--at", "tomorrow", "--every-days", "0"): "from 1 to 365 days",
    }
    for args, expected in wrong_time.items():
        assert expected in mend.fails(*args, code=2), args
    assert mend.counts() == before


def test_empty_required_fields(mend: Mend) -> None:
    mend.person("Ana Ruiz")
    rid = mend.open_repair("Ana", "Late specs")
    mend("checkin", "add", rid, "--at", "tomorrow")
    before = mend.counts()
    empty = {
        ("person", "add", "  ", "--role", "colleague"): "Name cannot be empty",
        ("repair", "open", "-p", "Ana", "-t", "", "--what", "Y"): "Title cannot be empty",
        ("repair", "open", "-p", "Ana", "-t", "T", "--what", " "): "What happened cannot be empty",
        ("repair", "open", "-t", "T", "--what", "Y"): "Say which person",
        ("commit", "add", rid, "", "--due", "tomorrow"): "Description cannot be empty",
        ("checkin", "done", rid, "1", "--outcome", ""): "Outcome cannot be empty",
        ("repair", "status", rid, "restored", "--reason", ""): "Reason cannot be empty",
        ("ground", "add", rid, ""): "Text cannot be empty",
        ("ground", "initiative", rid, "", "--mine", "a", "--theirs", "b"): "Title cannot be empty",
        ("agreement", "set", rid, "--task", "=me"): "Task cannot be empty",
        ("step", "answer", rid, "empathize", "how_it_felt"): "key=value",
    }
    for args, expected in empty.items():
        assert expected in mend.fails(*args, code=2), args
    assert mend.counts() == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_usage_errors_are_usage_errors(mend: Mend) -> None:
    usage = {
        ("repair", "show", "abc"): "Invalid value for 'repair_id'",
        ("person", "add", "Ana"): "Missing option '--role'",
        ("nosuch",): "No such command 'nosuch'",
    }
    for args, expected in usage.items():
        result = mend.run(*args)
        assert result.code == 2, str(result)
        assert "please report this" not in result.err, str(result)
        assert expected in result.err, str(result)
    # A value out of range is Mend's one-line error like any other, not a usage block.
    result = mend.run("repair", "open", "-p", "x", "-t", "t", "--what", "w", "--severity", "9")
    assert result.code == 2 and "Usage:" not in result.err, str(result)
    assert result.err.strip() == ("error: Severity must be from 1 (minor) to 5 (severe), got 9."), (
        str(result)
    )
    # Bare `mend` (and a bare group) show help, as `no_args_is_help` intends.
    for args in ((), ("repair",)):
        result = mend.run(*args)
        assert "Usage:" in result.out + result.err and "NoArgsIsHelpError" not in result.err


def test_text_over_the_limit_is_refused_and_nothing_written(mend: Mend) -> None:
    mend.person("Ana Ruiz")
    before = mend.counts()
    line = mend.fails("repair", "open", "-p", "Ana", "-t", "T", "--what", "x" * 10_001, code=2)
    assert line == "error: What happened is 10,001 characters; the limit is 10,000."
    line = mend.fails("repair", "open", "-p", "Ana", "-t", "T", "--what", "-", stdin="y" * 20_000)
    assert "20,000 characters; the limit is 10,000" in line
    assert "the limit is 200" in mend.fails(
        "repair", "open", "-p", "Ana", "-t", "t" * 201, "--what", "W"
    )
    assert mend.counts() == before
    rid = mend.open_repair("Ana", "T", what="x" * 10_000)  # exactly at the limit is fine
    assert len(mend.json("repair", "show", rid)["repair"]["what_happened"]) == 10_000
    assert "10,001 characters" in mend.fails("log", rid, "--their-view", "v" * 10_001)


def test_a_bad_import_writes_nothing(mend: Mend, tmp_path: Path) -> None:
    populate(mend)
    before = mend.counts()
    export = json.loads(mend("export", "json").out)

    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text(json.dumps(export)[:-300], encoding="utf-8")  # cut short
    assert "is not valid JSON" in mend.fails("import", corrupt, code=2)

    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(export | {"schema_version": 99}), encoding="utf-8")
    line = mend.fails("import", newer, code=2)
    assert "written by a newer Mend (schema 99); upgrade Mend" in line

    # A file that fails only in its last table: still nothing from the earlier ones.
    broken = json.loads(json.dumps(export))
    last = max((k for k, v in broken.items() if isinstance(v, list) and v), key=list(broken).index)
    broken[last][-1]["id"] = "seven"
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    assert f"Cannot import: {last}[" in mend.fails("import", tmp_path / "broken.json", code=2)
    assert "Cannot read the import file" in mend.fails("import", tmp_path / "nope.json", code=2)
    assert "not a Mend export" in mend.fails("import", "-", stdin="[1, 2]", code=2)
    assert mend.counts() == before


def test_settings_errors_are_one_line(mend: Mend) -> None:
    mend.person("Ana Ruiz")
    mend.tz = "Mars/Olympus_Mons"
    assert "Unknown time zone 'Mars/Olympus_Mons'" in mend.fails("status", code=2)
    mend.tz = "UTC"
    result = invoke(["status"], {**mend.env(), "MEND_NOW": "last tuesday"})
    assert result.code == 2 and "MEND_NOW must be an ISO date-time" in result.err
    result = invoke(["status"], {**mend.env(), "MEND_DATABASE_URL": "mysql://x/y"})
    assert result.code == 2 and "SQLite or PostgreSQL" in result.err
    assert START.isoformat() == mend.env()["MEND_NOW"]


def test_a_database_that_cannot_be_opened_is_one_line_without_the_password(
    mend: Mend, tmp_path: Path
) -> None:
    """A file that is not a database, or a PostgreSQL server that is not there: one
    clear line and exit 69 (not "unexpected ... please report this")."""
    (tmp_path / "notes.db").write_text("my notes, not a database")
    for args in (["status"], ["repair", "list"], ["db", "info"]):
        result = invoke(args, {**mend.env(), "MEND_DATABASE_URL": str(tmp_path / "notes.db")})
        assert result.code == 69, result
        assert result.err.startswith("error: Cannot open the database"), result
        assert "not a database" in result.err and "unexpected" not in result.err
    nowhere = "postgresql+psycopg://mend:hunter2@127.0.0.1:9/mend"  # port 9: nothing listens
    result = invoke(["status"], {**mend.env(), "MEND_DATABASE_URL": nowhere})
    assert result.code == 69, result
    assert "Cannot open the database" in result.err and "the server is running" in result.err
    assert "hunter2" not in result.err


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_closed_repair_refuses_new_contact(mend: Mend) -> None:
    mend.person("Ana Ruiz")
    rid = mend.open_repair("Ana", "Late specs")
    mend("repair", "status", rid, "closed_unresolved", "--reason", "She left the company")
    line = mend.fails("log", rid, code=4)
    assert "closed unresolved; reopen it first" in line
    line = mend.fails("repair", "status", rid, "restored", "--reason", "x", code=4)
    assert "cannot become restored; it can become: open" in line
