"""`mend trust ID` once the other person takes part: the gap between the two records, whose
word counted, and their pulse answers, in the human output and in --json (both backends)."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.cli_helpers import Mend, flat

from mend.app import build
from mend.services import invitations, shared
from mend.settings import load_settings


def _their_words(mend: Mend, repair: int) -> None:
    """Priya joins through her link and answers: a late verdict, a kept one, two pulses."""
    made = mend.json("invite", "add", repair, "--title", "The launch", "--name", "Priya")
    token = made["link"].rsplit("/", 1)[1]
    report = mend.json("commit", "list", repair)
    by_text = {c["description"]: c["occurrences"][0]["id"] for c in report}
    app = build(load_settings({"database_url": mend.database_url}))
    try:
        session = invitations.accept(app.uow(), token, now=mend.now)
        guest = invitations.guest(app.uow, session, now=mend.now)
        assert guest is not None
        said = mend.now
        shared.give_verdict(
            app.uow(), guest, by_text["Send the specs"], verdict="late", note="Tuesday", now=said
        )
        shared.give_verdict(app.uow(), guest, by_text["Share the agenda"], verdict="kept", now=said)
        shared.give_pulse(app.uow(), guest, score=2, note="Still wary", now=said)
        shared.give_pulse(
            app.uow(), guest, score=4, note="Better this week", now=said + timedelta(hours=1)
        )
    finally:
        app.close()


def test_trust_shows_the_gap_whose_word_counted_and_the_pulse(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    specs = mend.commit(repair, "Send the specs", "--due", "2026-03-03 09:00")
    agenda = mend.commit(repair, "Share the agenda", "--due", "2026-03-03 09:00")
    mend.advance(days=2)
    mend("commit", "kept", repair, specs)
    mend("commit", "kept", repair, agenda)
    mend.advance(days=1)
    _their_words(mend, repair)
    mend.advance(days=1)

    out = flat(mend("trust", repair).out)
    assert "Where you and Priya see it differently" in out
    assert (
        "Send the specs, due Tue 03 Mar 2026: you marked kept; Priya marked late on "
        "Thu 05 Mar 2026 (“Tuesday”). Counted as late, Priya's word." in out
    )
    assert "Priya's pulse (how are we doing, 1-5): latest 4 on Thu 05 Mar 2026 (up 2)" in out
    assert "average 3.0 over 2 answers in the last 12 weeks" in out
    assert "after keeping “Share the agenda” (you and Priya agree)." in out
    assert "2/5 “Still wary”" in out and "4/5 “Better this week”" in out
    assert "-4.2 Late: Send the specs (due 2026-03-03) — Priya's word" in out
    assert "+12.5 Kept: Share the agenda (due 2026-03-03) — you and Priya agree" in out

    data = mend.trust(repair)
    [gap] = data["gaps"]
    assert (gap["mine"], gap["theirs"], gap["their_name"], gap["their_note"], gap["word"]) == (
        "kept",
        "late",
        "Priya",
        "Tuesday",
        "theirs",
    )
    assert {m[0]["description"]: m[0]["word"] for m in data["movers"]} == {
        "Send the specs": "theirs",
        "Share the agenda": "agreed",
    }
    assert [(p["score"], p["note"]) for p in data["pulses"]] == [
        (2, "Still wary"),
        (4, "Better this week"),
    ]
    assert (data["pulse"]["count"], data["pulse"]["average"]) == (2, 3.0)
    # The board counts the same evidence: one late and one kept.
    assert mend.board(repair)["trust"]["value"] == data["estimate"]["value"]


def test_without_the_other_person_trust_reads_as_before(mend: Mend) -> None:
    mend.person("Priya")
    repair = mend.open_repair("Priya", "Late specs")
    specs = mend.commit(repair, "Send the specs", "--due", "2026-03-03 09:00")
    mend.advance(days=2)
    mend("commit", "kept", repair, specs)
    out = flat(mend("trust", repair).out)
    assert "see it differently" not in out and "pulse" not in out
    assert "+16.7 Kept: Send the specs (due 2026-03-03)" in out
    assert "word" not in out
    data = mend.trust(repair)
    assert (data["gaps"], data["pulses"], data["pulse"]["count"]) == ([], [], 0)
