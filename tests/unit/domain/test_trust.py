"""Trust: Beta reputation with forgetting, from the user's recorded commitments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import at, make_commitment, make_occurrence, make_repair

from mend.domain.enums import OccurrenceStatus, Party
from mend.domain.errors import InvalidRule
from mend.domain.model import Repair
from mend.domain.trust import (
    DEFAULT_PARAMS,
    RECENT,
    TrustEvent,
    TrustParams,
    decay,
    effects,
    estimate,
    event_for,
    events_from,
    movers,
    recent_story,
    summary,
    trend,
    trust_for,
    weekly_trajectory,
)

K, L, M = OccurrenceStatus.KEPT, OccurrenceStatus.LATE, OccurrenceStatus.MISSED
NOW = at(2025, 4, 7)


def worked_example() -> Repair:
    """The history in docs/trust-and-patience.md: a written update every Friday at 17:00."""
    history = [
        (7, K, at(2025, 3, 7, 17)),
        (14, L, at(2025, 3, 17, 9)),
        (21, K, at(2025, 3, 21, 17)),
        (28, M, at(2025, 3, 31, 9)),
        (4, K, at(2025, 4, 4, 17)),
    ]
    occurrences = [
        make_occurrence(at(2025, 3 if day > 4 else 4, day, 17), status, recorded_at=recorded)
        for day, status, recorded in history
    ]
    weekly = make_commitment(
        description="Weekly written update",
        due_at=at(2025, 3, 7, 17),
        recurrence="FREQ=WEEKLY;BYDAY=FR",
        occurrences=occurrences,
    )
    theirs = make_commitment(
        owner=Party.THEM, id=2, occurrences=[make_occurrence(at(2025, 3, 10), M)]
    )
    pending = make_commitment(id=3, occurrences=[make_occurrence(at(2025, 3, 10))])
    return make_repair(commitments=[weekly, theirs, pending])


def event(when: datetime, kind: OccurrenceStatus) -> TrustEvent:
    positive, negative = DEFAULT_PARAMS.weights(kind)
    return TrustEvent(when, kind, positive, negative, kind.value)


def test_no_evidence_is_even_odds_with_full_uncertainty() -> None:
    result = estimate([], NOW)
    assert (result.value, result.uncertainty, result.n_events) == (0.5, 1.0, 0)


def test_events_from_counts_only_my_recorded_occurrences_in_time_order() -> None:
    events = events_from(worked_example())
    assert [e.kind for e in events] == [K, L, K, M, K]
    assert [e.at for e in events][:2] == [at(2025, 3, 7, 17), at(2025, 3, 17, 9)]
    assert events[1].label == "Late: Weekly written update (due 2025-03-14)"
    assert (events[1].weight_positive, events[1].weight_negative) == (0.5, 0.5)
    assert events[3].commitment_id == 1


def test_event_for_accepts_the_stored_status_string() -> None:
    made = event_for("missed", at(2025, 3, 8), "Send the notes", at(2025, 3, 7), 4)
    assert made == TrustEvent(
        at(2025, 3, 8),
        M,
        0.0,
        1.0,
        "Missed: Send the notes (due 2025-03-07)",
        4,
        description="Send the notes",
        due_at=at(2025, 3, 7),
        mine=M,
    )
    assert (made.word, made.is_gap, made.whose) == ("yours", False, "your word")


def test_event_falls_back_to_due_time_when_not_recorded() -> None:
    repair = make_repair(
        commitments=[make_commitment(occurrences=[make_occurrence(at(2025, 3, 10), K)])]
    )
    assert events_from(repair)[0].at == at(2025, 3, 10)


def test_worked_example_exact_figures() -> None:
    """7 April 09:00: the numbers quoted in docs/trust-and-patience.md."""
    result = trust_for(worked_example(), NOW)
    ages = [30 + 16 / 24, 21, 16 + 16 / 24, 7, 2 + 16 / 24]
    w = [0.5 ** (a / 42) for a in ages]
    r = w[0] + 0.5 * w[1] + w[2] + w[4]
    s = 0.5 * w[1] + w[3]
    assert result.positive == pytest.approx(r, abs=1e-9)
    assert result.negative == pytest.approx(s, abs=1e-9)
    assert result.value == pytest.approx((r + 1) / (r + s + 2), abs=1e-9)
    assert result.value == pytest.approx(0.6206975997504468, abs=1e-9)
    assert result.uncertainty == pytest.approx(0.33799108368016556, abs=1e-9)
    assert result.positive == pytest.approx(2.6728637512686633, abs=1e-9)
    assert result.negative == pytest.approx(1.2444521087336131, abs=1e-9)
    assert result.n_events == 5


def test_future_events_are_ignored() -> None:
    result = trust_for(worked_example(), at(2025, 3, 18))
    assert result.n_events == 2
    w0, w1 = 0.5 ** ((10 + 16 / 24) / 42), 0.5 ** (1 / 42)
    assert result.value == pytest.approx((w0 + 0.5 * w1 + 1) / (w0 + w1 + 2), abs=1e-9)


def test_half_life_halves_an_event() -> None:
    assert decay(NOW, NOW) == 1.0
    assert decay(NOW - timedelta(days=42), NOW) == pytest.approx(0.5, abs=1e-12)
    assert decay(NOW - timedelta(days=84), NOW) == pytest.approx(0.25, abs=1e-12)
    kept_six_weeks_ago = estimate([event(NOW - timedelta(days=42), K)], NOW)
    assert kept_six_weeks_ago.value == pytest.approx(1.5 / 2.5, abs=1e-12)


def test_single_events() -> None:
    assert estimate([event(NOW, K)], NOW).value == pytest.approx(2 / 3)
    assert estimate([event(NOW, L)], NOW).value == pytest.approx(0.5)
    assert estimate([event(NOW, M)], NOW).value == pytest.approx(1 / 3)
    assert estimate([event(NOW, M)], NOW).uncertainty == pytest.approx(2 / 3)


def test_params_are_validated() -> None:
    with pytest.raises(InvalidRule, match="half-life"):
        TrustParams(half_life_days=0)
    with pytest.raises(InvalidRule, match="missed commitment must weigh more"):
        TrustParams(missed_negative=0.5)
    with pytest.raises(InvalidRule, match="negative"):
        TrustParams(kept_positive=-1)
    with pytest.raises(InvalidRule, match="not evidence"):
        DEFAULT_PARAMS.weights(OccurrenceStatus.PENDING)


def test_weekly_trajectory_has_a_point_per_sunday_and_one_for_now() -> None:
    events = events_from(worked_example())
    points = weekly_trajectory(events, at(2025, 3, 3, 0), NOW)
    assert [d for d, _ in points] == [
        date(2025, 3, 9),
        date(2025, 3, 16),
        date(2025, 3, 23),
        date(2025, 3, 30),
        date(2025, 4, 6),
        date(2025, 4, 7),
    ]
    assert [p.n_events for _, p in points] == [1, 1, 3, 3, 5, 5]
    assert points[0][1] == estimate(events, datetime(2025, 3, 10, tzinfo=UTC))
    assert points[-1][1] == estimate(events, NOW)
    assert [round(p.value, 4) for _, p in points] == [
        0.6625,
        0.6501,
        0.6868,
        0.6774,
        0.6209,
        0.6207,
    ]


def test_weekly_trajectory_ending_at_a_week_end_has_no_extra_point() -> None:
    points = weekly_trajectory([], at(2025, 3, 3), datetime(2025, 3, 17, tzinfo=UTC))
    assert [d for d, _ in points] == [date(2025, 3, 9), date(2025, 3, 16)]
    assert weekly_trajectory([], NOW, NOW - timedelta(days=1)) == []


def test_trend() -> None:
    points = weekly_trajectory(events_from(worked_example()), at(2025, 3, 3, 0), NOW)
    falling = trend(points)
    assert falling.direction == "falling"
    assert falling.delta == pytest.approx(points[-1][1].value - points[0][1].value)
    assert trend(points[2:4]).direction == "steady"  # 0.6868 → 0.6774: within 0.02
    assert trend(points[1:3]).direction == "rising"
    assert trend(points[:1]) == trend([])
    assert trend([]).direction == "steady"


def test_movers_rank_by_effect_when_it_happened() -> None:
    events = events_from(worked_example())
    ranked = movers(events, NOW, limit=3)
    assert [(e.kind, e.at.day) for e, _ in ranked] == [(K, 7), (M, 31), (K, 21)]
    assert ranked[0][1] == pytest.approx(2 / 3 - 1 / 2, abs=1e-9)
    assert ranked[1][1] < 0
    assert len(movers(events, NOW, limit=10)) == 5
    assert movers(events, at(2025, 3, 8)) == [(events[0], pytest.approx(1 / 6))]


KINDS = st.sampled_from([K, L, M])
EVENTS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=400), KINDS).map(
        lambda p: event(NOW - timedelta(days=p[0]), p[1])
    ),
    max_size=30,
)
AGES = st.floats(min_value=0, max_value=400)


@given(EVENTS)
def test_value_and_uncertainty_are_in_the_open_unit_interval(events: list[TrustEvent]) -> None:
    result = estimate(events, NOW)
    assert 0 < result.value < 1
    assert 0 < result.uncertainty <= 1


@given(EVENTS, AGES, KINDS)
def test_uncertainty_shrinks_as_evidence_grows(
    events: list[TrustEvent], age: float, kind: OccurrenceStatus
) -> None:
    more = [*events, event(NOW - timedelta(days=age), kind)]
    assert estimate(more, NOW).uncertainty <= estimate(events, NOW).uncertainty
    if age < 100:
        assert estimate(more, NOW).uncertainty < estimate(events, NOW).uncertainty


@given(EVENTS, AGES)
def test_kept_never_lowers_and_missed_never_raises(events: list[TrustEvent], age: float) -> None:
    before = estimate(events, NOW).value
    when = NOW - timedelta(days=age)
    assert estimate([*events, event(when, K)], NOW).value >= before - 1e-12
    assert estimate([*events, event(when, M)], NOW).value <= before + 1e-12


@given(EVENTS, AGES)
def test_missed_lowers_more_than_late(events: list[TrustEvent], age: float) -> None:
    when = NOW - timedelta(days=age)
    late = estimate([*events, event(when, L)], NOW).value
    missed = estimate([*events, event(when, M)], NOW).value
    assert missed < late


# --- every event explained, and trend words that agree with the chart (issue 7) ----------


def _six_weeks() -> list[TrustEvent]:
    """The reported history: five kept, one late, one missed over six weeks, the miss last."""
    kinds = [K, K, K, L, K, K, M]
    start = at(2025, 2, 24, 17)
    return [
        event_for(
            kind, start + timedelta(days=6 * n), "Weekly report", start + timedelta(days=6 * n)
        )
        for n, kind in enumerate(kinds)
    ]


def test_every_event_is_listed_with_its_effect() -> None:
    events = _six_weeks()
    listed = effects(events, NOW)
    assert [e for e, _ in listed] == events, "all seven, oldest first"
    assert len(movers(events, NOW)) == 7, "no default cut at five"
    assert sum(1 for _, d in listed if d > 0) == 5
    missed = next(d for e, d in listed if e.kind == M)
    assert missed < 0


def test_effects_match_the_slow_definition() -> None:
    """Each effect is E with the event minus E without it, at the event's own time."""
    events = _six_weeks()
    events.append(event_for(K, events[2].at, "Same moment", events[2].at))
    for event, delta in effects(events, NOW):
        others = [e for e in events if e is not event]
        before = estimate(others, event.at).value
        after = estimate(events, event.at).value
        assert delta == pytest.approx(after - before, abs=1e-12)


def test_the_summary_tells_the_whole_story_and_the_last_weeks() -> None:
    events = _six_weeks()
    now = events[-1].at + timedelta(days=1)
    value = estimate(events, now)
    recent = trend([(now.date(), estimate(events, now - RECENT)), (now.date(), value)])
    text = summary(value, recent, *recent_story(events, now, recent))
    overall = round((value.value - 0.5) * 100)
    assert overall > 0
    assert text.startswith(f"up {overall} points since the first outcome; ")
    assert "a missed “Weekly report”" in text
    assert "down" in text.split("; ", 1)[1], "the latest outcome's drop is said, not hidden"


def test_the_summary_with_no_outcomes_and_steady_trust() -> None:
    none = estimate([], NOW)
    assert summary(none, trend([])) == "no outcomes recorded yet"
    ancient = [event_for(K, NOW - timedelta(days=400), "Old promise", NOW - timedelta(days=400))]
    value = estimate(ancient, NOW)
    steady = trend([(NOW.date(), estimate(ancient, NOW - RECENT)), (NOW.date(), value)])
    assert summary(value, steady).endswith("; steady over the last 4 weeks")


def test_the_summary_says_when_trust_drifts_because_outcomes_age() -> None:
    kept = [event_for(K, NOW - timedelta(days=60), "Old promise", NOW - timedelta(days=60))]
    value = estimate(kept, NOW)
    fading = trend([(NOW.date(), estimate(kept, NOW - RECENT)), (NOW.date(), value)])
    assert fading.direction == "falling"
    assert summary(value, fading).endswith(
        "down 4 over the last 4 weeks, as older outcomes count for less"
    )
