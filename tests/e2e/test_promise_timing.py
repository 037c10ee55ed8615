"""When promises fall due and how they are recorded, as the README tour and a user meet them.

Issue 7, items 13 and 21: a promise "every Friday" sent on a Sunday first falls due on
Friday (not that Sunday); the same promise added again is warned about; a promise kept
early is recorded for its day; recording early never fills in a month ahead.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.cli_helpers import Mend, flat

SUNDAY = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)
APOLOGY = (
    "Ana, I'm sorry I sat on the specs for four days and let your sprint stall. "
    "From now on I'll post a written status note in our channel every Friday."
)


def _repair(mend: Mend) -> int:
    mend.person("Ana Ruiz")
    return mend.open_repair("Ana", "Late specs")


def test_a_weekly_promise_sent_on_a_sunday_first_falls_due_on_friday(database_url: str) -> None:
    mend = Mend(database_url, now=SUNDAY)
    rid = _repair(mend)
    draft = mend.draft(rid, "apology", APOLOGY)
    mend("draft", "send", rid, draft, "--accept", "all")
    [commitment] = mend.json("commit", "list", rid)
    assert commitment["recurrence"] == "FREQ=WEEKLY;BYDAY=FR"
    assert commitment["due_at"].startswith("2026-03-13T17:00"), commitment  # Friday
    due = [o["due_at"] for o in commitment["occurrences"]]
    assert all(d >= "2026-03-13" for d in due), "nothing falls due on the Sunday it was sent"


def test_the_same_promise_added_again_is_warned_about(database_url: str) -> None:
    mend = Mend(database_url, now=SUNDAY)
    rid = _repair(mend)
    mend("draft", "send", rid, mend.draft(rid, "apology", APOLOGY), "--accept", "all")
    added = mend("commit", "add", rid, "Written status note in our channel", "--every", "friday")
    warning = flat(added.err)
    assert "looks like commitment 1" in warning and "mend commit cancel" in warning
    other = mend("commit", "add", rid, "Send Ana the revised timeline", "--due", "tomorrow")
    assert other.err == "", "a different promise gets no warning"


def test_a_repeating_promise_is_not_recorded_days_before_it_is_due(database_url: str) -> None:
    mend = Mend(database_url, now=SUNDAY)
    rid = _repair(mend)
    weekly = mend.commit(rid, "Status note", "--every", "friday")
    line = mend.fails("commit", "kept", rid, weekly, code=4)
    assert "the next is Fri 13 Mar" in line and "--due 2026-03-13" in line
    mend("commit", "kept", rid, weekly, "--due", "2026-03-13", "--note", "sent it early")
    [commitment] = mend.json("commit", "list", rid)
    kept = [o for o in commitment["occurrences"] if o["status"] == "kept"]
    assert [o["due_at"][:10] for o in kept] == ["2026-03-13"]


def test_a_promise_kept_early_on_its_day_is_recorded_for_that_day(database_url: str) -> None:
    """08:30, the daily stand-up note is due at 09:00: both ways of recording work."""
    mend = Mend(database_url, now=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    rid = _repair(mend)
    daily = mend.commit(rid, "Stand-up note", "--every", "day", "--starting", "2026-03-02 09:00")
    mend.at(datetime(2026, 3, 3, 8, 30, tzinfo=UTC))
    mend("commit", "kept", rid, daily, "--due", "2026-03-03")
    mend.at(datetime(2026, 3, 4, 8, 30, tzinfo=UTC))
    mend("commit", "kept", rid, daily)  # nothing overdue but 2 March: that one first
    mend("commit", "kept", rid, daily)  # then the one due at 09:00 today
    [commitment] = mend.json("commit", "list", rid)
    by_day = {o["due_at"][:10]: o["status"] for o in commitment["occurrences"]}
    assert by_day == {"2026-03-02": "kept", "2026-03-03": "kept", "2026-03-04": "kept"}, by_day
