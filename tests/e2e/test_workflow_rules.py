"""Workflow rules that must not contradict each other, walked as a user would (issue 7).

A skipped apology stands in for one, so step 7 can finish; a step set aside asks for
nothing more; the Markdown report carries trust, and its history says "opened" once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.cli_helpers import Mend, flat

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _repair(mend: Mend) -> int:
    mend.person("Sam Okafor", "manager")
    return mend.open_repair("Sam", "Missed the board deck")


def test_an_apology_given_in_person_and_skipped_lets_patience_finish(database_url: str) -> None:
    mend = Mend(database_url, now=START)
    rid = _repair(mend)
    mend.listen(rid, "I had to explain the gap to the board myself", kind="meeting")
    mend("step", "answer", rid, "empathize", "how_it_felt=Exposed in front of the board")
    mend.advance(hours=2)
    mend("step", "skip", rid, "apologize", "--reason", "I apologised in person in that meeting")
    missing = mend.missing(rid, "be_patient")
    assert "give that first" not in missing, "guidance never asks for a skipped step"
    assert "Give them room until" in missing
    mend.advance(days=8)
    assert mend.steps(rid)["be_patient"] == "done"
    steps = mend.json("step", "list", rid)
    skipped = next(s for s in steps if s["step"] == "apologize")
    assert skipped["state"] == "skipped" and skipped["missing"] == ""
    assert "give that first" not in flat(mend("step", "list", rid).out)


def test_the_report_has_a_trust_section_and_one_opened_line(database_url: str) -> None:
    mend = Mend(database_url, now=START)
    rid = _repair(mend)
    weekly = mend.commit(rid, "Friday status note", "--every", "friday")
    for status in ("kept", "kept", "missed"):
        mend.advance(days=7)
        mend("commit", status, rid, weekly)
    report = mend("export", "markdown", rid).out
    assert "## Trust" in report
    section = report.split("## Trust", 1)[1].split("\n## ", 1)[0]
    assert "likely between" in section and "since the first outcome" in section
    rows = [line for line in section.splitlines() if line.startswith("| ") and "Friday" in line]
    assert len(rows) == 3, "every outcome that moved it"
    assert "missed" in section
    history = report.split("## Status history", 1)[1].split("\n## ", 1)[0]
    assert history.count(": opened") == 1, history


def test_a_report_of_a_new_repair_says_trust_has_nothing_yet(database_url: str) -> None:
    mend = Mend(database_url, now=START)
    rid = _repair(mend)
    section = mend("export", "markdown", rid).out.split("## Trust", 1)[1]
    assert "nothing recorded yet" in section.split("\n## ", 1)[0]


def test_overdue_says_days_overdue(database_url: str) -> None:
    mend = Mend(database_url, now=START)
    rid = _repair(mend)
    mend.commit(rid, "Send the revised deck", "--due", "2026-03-03 12:00")
    mend.at(START + timedelta(days=36))
    text = flat(mend("next").out)
    assert "34 days overdue" in text and "day(s)" not in text
