"""Drive the real `mend` command line from tests, the way a user's shell does.

Every call goes through :func:`mend.cli.main.run`, the console entry point, so a test
sees what a user sees: the exit code, standard output and the one-line error on
standard error (``CliRunner.invoke(app)`` would hand back the raw exception instead).

    mend = Mend(database_url)             # clock pinned at NOW, time zone UTC
    mend("person", "add", "Ana", "--role", "colleague")
    board = mend.json("status")           # adds --json, parses stdout
    err = mend.fails("repair", "show", "999", code=3)   # one line on stderr
    mend.advance(days=7)                  # a week passes between commands
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from click.testing import CliRunner

#: 2026-03-02 09:00 UTC, a Monday: the same moment as tests/conftest.py's NOW.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Outcome:
    """What one `mend` command did."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        return f"mend {' '.join(self.args)} -> {self.code}\n--out--\n{self.out}--err--\n{self.err}"


def flat(text: str) -> str:
    """Whitespace collapsed: Rich may wrap long lines anywhere."""
    return " ".join(text.split())


def invoke(args: list[str], env: dict[str, str], stdin: str | None = None) -> Outcome:
    """Run ``mend ARGS`` in-process through the entry point and capture everything."""
    from mend.cli import context
    from mend.cli.main import run

    runner = CliRunner()
    saved_argv = sys.argv
    code = 0
    with runner.isolation(input=stdin, env={"COLUMNS": "500", "NO_COLOR": "1", **env}) as (
        out,
        err,
        _,
    ):
        sys.argv = ["mend", *args]
        # Rich fixes its width when a console is created; make each run wide and uncoloured.
        context.console.width = context.err_console.width = 500
        try:
            run()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            sys.argv = saved_argv
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = _ANSI.sub("", out.getvalue().decode("utf-8", "replace"))
        stderr = _ANSI.sub("", err.getvalue().decode("utf-8", "replace"))
    return Outcome(tuple(args), code, stdout, stderr)


class Mend:
    """A user at a terminal: one database, a pinned clock they can move forward."""

    def __init__(self, database_url: str, *, now: datetime = START, tz: str = "UTC") -> None:
        self.database_url = database_url
        self.now = now
        self.tz = tz

    # --- the clock -------------------------------------------------------------------

    def advance(self, *, days: float = 0, hours: float = 0) -> datetime:
        self.now += timedelta(days=days, hours=hours)
        return self.now

    def at(self, when: datetime) -> datetime:
        self.now = when
        return when

    # --- running commands ------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {
            "MEND_DATABASE_URL": self.database_url,
            "MEND_NOW": self.now.isoformat(),
            "MEND_TIMEZONE": self.tz,
        }

    def run(self, *args: object, stdin: str | None = None) -> Outcome:
        """Run a command whatever its exit code."""
        return invoke([str(a) for a in args], self.env(), stdin)

    def __call__(self, *args: object, stdin: str | None = None) -> Outcome:
        """Run a command that must succeed."""
        result = self.run(*args, stdin=stdin)
        assert result.code == 0, str(result)
        assert "Traceback" not in result.err, str(result)
        return result

    def json(self, *args: object) -> Any:
        """Run a read command with --json and return the parsed output."""
        result = self(*args, "--json")
        try:
            return json.loads(result.out)
        except json.JSONDecodeError as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"not JSON: {exc}\n{result}") from exc

    def fails(self, *args: object, code: int | None = None, stdin: str | None = None) -> str:
        """Run a command that must fail with one line on stderr; return that line."""
        result = self.run(*args, stdin=stdin)
        assert result.code != 0, str(result)
        if code is not None:
            assert result.code == code, str(result)
        assert "Traceback" not in result.out + result.err, str(result)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, f"expected one line on stderr\n{result}"
        return lines[0]

    # --- reading state ---------------------------------------------------------------

    def steps(self, repair_id: int) -> dict[str, str]:
        """``{step: state}`` from ``mend step list --json``."""
        return {s["step"]: s["state"] for s in self.json("step", "list", repair_id)}

    def missing(self, repair_id: int, step: str) -> str:
        return next(s["missing"] for s in self.json("step", "list", repair_id) if s["step"] == step)

    def board(self, repair_id: int, *, all_: bool = True) -> dict[str, Any]:
        """This repair's row of ``mend status --json`` (``--all`` so restored ones show)."""
        rows = self.json("status", *(["--all"] if all_ else []))
        return next(r for r in rows if r["repair_id"] == repair_id)

    def next_step(self, repair_id: int) -> str | None:
        """The step `mend repair show` recommends next for this repair."""
        nxt = self.json("repair", "show", repair_id)["next_step"]
        return None if nxt is None else nxt["step"]

    def trust(self, repair_id: int, *extra: object) -> dict[str, Any]:
        return self.json("trust", repair_id, *extra)

    def counts(self) -> dict[str, int]:
        """Rows per table, from a full JSON export."""
        data = json.loads(self("export", "json").out)
        return {k: len(v) for k, v in data.items() if isinstance(v, list)}

    # --- common multi-command moves --------------------------------------------------

    def person(self, name: str, role: str = "colleague", *extra: object) -> int:
        return int(self.json("person", "add", name, "--role", role, *extra)["id"])

    def open_repair(self, person: str, title: str, **fields: object) -> int:
        """`mend repair open` with what happened, my part and impact filled in."""
        args: list[object] = ["repair", "open", "-p", person, "-t", title]
        defaults = {"what": "I let them down.", "my_part": "My doing.", "impact": "It hurt."}
        for key, value in (defaults | fields).items():
            args += [f"--{key.replace('_', '-')}", value]
        return int(self.json(*args)["id"])

    def log(self, repair_id: int, *args: object) -> dict[str, Any]:
        data: dict[str, Any] = self.json("log", repair_id, *args)
        return data

    def listen(self, repair_id: int, their_view: str, **opts: str) -> dict[str, Any]:
        """They come to talk and you log their view: the listen step's evidence."""
        args = ["--kind", opts.get("kind", "meeting"), "--started-by", "them"]
        args += ["--their-view", their_view, "--tension", opts.get("tension", "calm")]
        if "my_view" in opts:
            args += ["--my-view", opts["my_view"]]
        return self.log(repair_id, *args)

    def draft(self, repair_id: int, kind: str, text: str) -> int:
        return int(self.json("draft", "new", repair_id, "-k", kind, "--text", text)["id"])

    def send(self, repair_id: int, kind: str, text: str, *args: object) -> int:
        """Write a draft and mark it sent (``args`` go to `draft send`)."""
        draft_id = self.draft(repair_id, kind, text)
        self("draft", "send", repair_id, draft_id, "--accept", "none", *args)
        return draft_id

    def commit(self, repair_id: int, text: str, *args: object) -> int:
        return int(self.json("commit", "add", repair_id, text, *args)["id"])

    def finish(self, repair_id: int, reason: str = "Working well together again") -> None:
        """Every step closed: the repair can be marked restored and leaves the active board."""
        assert set(self.steps(repair_id).values()) <= {"done", "skipped"}, self.steps(repair_id)
        assert self.next_step(repair_id) is None
        self("repair", "status", repair_id, "restored", "--reason", reason)
        row = self.board(repair_id)
        assert row["status"] == "restored"
        assert row["progress"] == 10
        active = [r["repair_id"] for r in self.json("status")]
        assert repair_id not in active


def populate(mend: Mend) -> int:
    """A repair with a bit of everything the coach is not needed for; returns its id."""
    mend.person("Zoë Ødegård", "client", "--org", "Fjord AS", "--notes", "Prefers calls")
    rid = mend.open_repair("Zoë", "Missed the renewal call", what="I forgot the call — twice")
    mend.log(rid, "--kind", "call", "--started-by", "them", "--their-view", "Felt unimportant")
    mend("step", "answer", rid, "empathize", "how_it_felt=Unimportant, «forgotten»")
    weekly = mend.commit(
        rid, "A Friday note", "--every", "friday", "--starting", "2026-03-06 17:00"
    )
    mend.commit(rid, "Send the revised quote", "--due", "2026-03-04 12:00", "--owner", "both")
    mend("checkin", "add", rid, "--at", "2026-03-09 10:00", "--every-days", "7", "--note", "Coffee")
    mend("ground", "add", rid, "A renewal that works for both", "--interest")
    mend("ground", "initiative", rid, "Joint QBR", "--mine", "Numbers", "--theirs", "Agenda")
    mend(
        "agreement",
        "set",
        rid,
        "--channel",
        "Phone",
        "--task",
        "Quote=me",
        "--review-on",
        "2026-05-04",
    )
    mend("step", "skip", rid, "apologize", "--reason", "Said sorry on the call already")
    mend.at(START + timedelta(days=4, hours=8))
    mend("commit", "kept", rid, weekly, "--note", "Sent at 16:50")
    return rid
