"""Two-sided trust at the service layer (both backends): the other person's verdicts are
the evidence wherever they gave one, the gaps are listed, and the board's trust (summed
in SQL) follows the same rule as the trust page (the domain's)."""

from __future__ import annotations

from datetime import UTC, timedelta
from itertools import product

import pytest
from tests.conftest import NOW
from tests.teamtools import add_account

from mend.app import App
from mend.domain import trust
from mend.domain.enums import OccurrenceStatus, Party, Step, StepState
from mend.domain.validation import VERDICTS
from mend.errors import NotFound
from mend.services import commitments, invitations, overview, people, repairs, shared
from mend.services.invitations import Guest


def _repair(app: App, name: str = "Priya") -> int:
    person = people.add_person(app.uow(), name=name, role="colleague", now=NOW)
    assert person.id is not None
    repair = repairs.open_repair(
        app.uow(), person=str(person.id), title="Late specs", what_happened="I was late", now=NOW
    )
    assert repair.id is not None
    return repair.id


def _guest(app: App, repair_id: int, name: str = "Priya") -> Guest:
    made = invitations.create(
        app.uow(), repair_id, shared_title="The launch", their_name=name, now=NOW
    )
    session = invitations.accept(app.uow(), made.token, now=NOW)
    found = invitations.guest(app.uow, session, now=NOW)
    assert found is not None
    return found


def _promise(
    app: App, repair_id: int, description: str, days: int, owner: Party = Party.ME
) -> tuple[int, int]:
    """A one-off promise due ``days`` after NOW: (commitment id, occurrence id)."""
    made = commitments.record_commitment(
        app.uow(),
        repair_id,
        description=description,
        owner=owner,
        due_at=NOW + timedelta(days=days),
        now=NOW,
    )
    assert made.id is not None and made.occurrences[0].id is not None
    return made.id, made.occurrences[0].id


def test_their_verdict_is_the_evidence_and_the_gap_is_listed(app: App) -> None:
    rid = _repair(app)
    guest = _guest(app, rid)
    later = NOW + timedelta(days=3)
    report_id, report_occ = _promise(app, rid, "Send the report", 1)
    agenda_id, agenda_occ = _promise(app, rid, "Share the agenda", 1)
    _, call_occ = _promise(app, rid, "Call before changing dates", 2)
    for cid in (report_id, agenda_id):
        commitments.record_outcome(app.uow(), rid, cid, status="kept", now=later)
    shared.give_verdict(app.uow(), guest, report_occ, verdict="late", note="Monday", now=later)
    shared.give_verdict(app.uow(), guest, agenda_occ, verdict="kept", now=later)
    # Pending on the owner's side: their word alone is evidence.
    shared.give_verdict(app.uow(), guest, call_occ, verdict="missed", now=later)

    now = NOW + timedelta(days=5)
    report = overview.trust_report(app.uow(write=False), rid, now=now)
    kinds = {e.description: (e.kind, e.word) for e, _ in report.movers}
    assert kinds == {
        "Send the report": (OccurrenceStatus.LATE, "theirs"),
        "Share the agenda": (OccurrenceStatus.KEPT, "agreed"),
        "Call before changing dates": (OccurrenceStatus.MISSED, "theirs"),
    }
    assert report.estimate.n_events == 3
    [gap] = report.gaps
    assert (gap.description, gap.mine, gap.theirs, gap.their_name, gap.their_note) == (
        "Send the report",
        OccurrenceStatus.KEPT,
        "late",
        "Priya",
        "Monday",
    )
    assert gap.whose == "Priya's word"
    # The estimate is exactly the one of their readings.
    readings = [("late", later), ("kept", later), ("missed", later)]
    expected = trust.estimate(
        [trust.event_for(k, when, "x", when) for k, when in readings], now
    ).value
    assert report.estimate.value == pytest.approx(expected)


def test_a_dispute_counts_late_at_best_and_names_who_disputed(app: App) -> None:
    rid = _repair(app)
    guest = _guest(app, rid, name="Sam")
    first, _ = _promise(app, rid, "Share the agenda", 1)
    commitments.record_outcome(app.uow(), rid, first, status="kept", now=NOW + timedelta(days=1))
    cid, occ = _promise(app, rid, "Send the budget", 1)
    commitments.record_outcome(
        app.uow(), rid, cid, status="kept", now=NOW + timedelta(days=1, hours=2)
    )
    shared.give_verdict(
        app.uow(), guest, occ, verdict="disputed", note="Half of it", now=NOW + timedelta(days=2)
    )
    report = overview.trust_report(app.uow(write=False), rid, now=NOW + timedelta(days=3))
    [event] = [e for e, _ in report.movers if e.description == "Send the budget"]
    assert (event.kind, event.word, event.whose) == (
        OccurrenceStatus.LATE,
        "disputed",
        "disputed by Sam",
    )
    assert report.gaps == [event]
    # The latest outcome pulled trust down: the words say so, and whose word it was.
    assert report.summary.endswith("but down 4 after a late “Send the budget” (disputed by Sam)")


def test_their_latest_verdict_stands(app: App) -> None:
    rid = _repair(app)
    guest = _guest(app, rid)
    _, occ = _promise(app, rid, "Send the notes", 1)
    shared.give_verdict(app.uow(), guest, occ, verdict="missed", now=NOW + timedelta(days=2))
    shared.give_verdict(app.uow(), guest, occ, verdict="kept", now=NOW + timedelta(days=4))
    report = overview.trust_report(app.uow(write=False), rid, now=NOW + timedelta(days=5))
    [(event, _)] = report.movers
    # Kept, counted from when they first said something about it.
    assert (event.kind, event.at) == (OccurrenceStatus.KEPT, NOW + timedelta(days=2))


def test_their_verdict_on_their_own_promise_does_not_count(app: App) -> None:
    rid = _repair(app)
    guest = _guest(app, rid)
    _, occ = _promise(app, rid, "Review the specs", 1, owner=Party.THEM)
    shared.give_verdict(app.uow(), guest, occ, verdict="missed", now=NOW + timedelta(days=2))
    report = overview.trust_report(app.uow(write=False), rid, now=NOW + timedelta(days=3))
    assert (report.estimate.n_events, report.gaps) == (0, [])


def test_the_board_follows_the_same_rule_for_every_pair_of_records(app: App) -> None:
    """Every owner record x every verdict (and none): the board's SQL sum equals the
    domain's estimate, now and four weeks ago (the trend)."""
    rid = _repair(app)
    guest = _guest(app, rid)
    statuses = [None, "kept", "late", "missed"]
    for n, (mine, theirs) in enumerate(product(statuses, [None, *VERDICTS])):
        cid, occ = _promise(app, rid, f"Promise {n}", n % 7)
        if mine is not None:
            commitments.record_outcome(
                app.uow(), rid, cid, status=mine, now=NOW + timedelta(days=n % 5, hours=n)
            )
        if theirs is not None:
            note = "Not as recorded" if theirs == "disputed" else ""
            when = NOW + timedelta(days=(n * 3) % 8, hours=1)
            shared.give_verdict(app.uow(), guest, occ, verdict=theirs, note=note, now=when)
    for now in (NOW + timedelta(days=9), NOW + timedelta(days=40)):
        report = overview.trust_report(app.uow(write=False), rid, now=now)
        [row] = overview.status_board(app.uow(write=False), now=now, tz=UTC)
        assert row.trust.n_events == report.estimate.n_events == 19  # all but (pending, none)
        assert row.trust.value == pytest.approx(report.estimate.value, abs=1e-9)
        assert row.trust.uncertainty == pytest.approx(report.estimate.uncertainty, abs=1e-9)
        assert row.trend.delta == pytest.approx(report.trend.delta, abs=1e-9)


def test_pulses_are_summed_up_over_the_span(app: App) -> None:
    rid = _repair(app)
    guest = _guest(app, rid)
    for days, score, note in ((1, 2, "Tense"), (8, 3, ""), (15, 4, "Better since Monday")):
        shared.give_pulse(app.uow(), guest, score=score, note=note, now=NOW + timedelta(days=days))
    report = overview.trust_report(app.uow(write=False), rid, now=NOW + timedelta(days=20))
    assert [(p.score, p.note, p.author) for p in report.pulses] == [
        (2, "Tense", "Priya"),
        (3, "", "Priya"),
        (4, "Better since Monday", "Priya"),
    ]
    assert (report.pulse.count, report.pulse.average, report.pulse.change) == (3, 3.0, 1)
    assert report.pulse.latest is not None and report.pulse.latest.score == 4


def test_another_account_gets_none_of_their_words(app: App) -> None:
    rid = _repair(app)
    guest = _guest(app, rid)
    shared.give_pulse(app.uow(), guest, score=5, now=NOW + timedelta(days=1))
    other = app.acting_as(add_account(app, "other@example.org").id)
    with pytest.raises(NotFound):
        overview.trust_report(other.uow(write=False), rid, now=NOW + timedelta(days=2))


def test_their_word_can_complete_rebuilding_trust_on_the_board(app: App) -> None:
    """Three promises they confirm as kept, over two weeks: step 8 is done on the board
    (stored with their verdict), as the trust page's rule says."""
    rid = _repair(app)
    guest = _guest(app, rid)
    for days in (1, 8, 16):
        _, occ = _promise(app, rid, f"Weekly note {days}", days)
        shared.give_verdict(app.uow(), guest, occ, verdict="kept", now=NOW + timedelta(days=days))
    now = NOW + timedelta(days=17)
    [row] = overview.status_board(app.uow(write=False), now=now, tz=UTC)
    assert row.steps[Step.REBUILD_TRUST] == StepState.DONE
    assert row.trust.n_events == 3 and row.trust.value > 0.65
