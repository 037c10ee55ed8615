"""Patience: cool-offs after tense moments, spaced follow-ups, and when to stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import at, make_interaction

from mend.domain.enums import InteractionKind, Party, Tension
from mend.domain.errors import InvalidRule
from mend.domain.model import Interaction
from mend.domain.patience import (
    PatienceRules,
    PatienceVerdict,
    check_outreach,
    format_day,
    unanswered_chain,
)

HEATED, TENSE = Tension.HEATED, Tension.TENSE


def test_nothing_logged_means_go_ahead() -> None:
    assert check_outreach([], at(2025, 3, 3)) == PatienceVerdict(True)


def test_heated_conversation_cools_off_for_five_days() -> None:
    log = [make_interaction(at(2025, 3, 3, 14), initiated_by=Party.THEM, tension=HEATED)]
    verdict = check_outreach(log, at(2025, 3, 5))
    assert verdict == PatienceVerdict(
        allowed=False,
        reasons=(
            "You had a heated conversation on 3 March; give it until 8 March before "
            "reaching out again.",
        ),
        next_allowed_at=at(2025, 3, 8, 14),
        must_wait_for_reply=False,
    )
    assert check_outreach(log, at(2025, 3, 8, 14)).allowed


def test_tense_conversation_cools_off_for_two_days() -> None:
    log = [make_interaction(at(2025, 3, 3), tension=TENSE, replied=True)]
    verdict = check_outreach(log, at(2025, 3, 4))
    assert verdict.next_allowed_at == at(2025, 3, 5)
    assert verdict.reasons == (
        "You had a tense conversation on 3 March; give it until 5 March before reaching out again.",
    )


def test_the_longest_cool_off_wins() -> None:
    log = [
        make_interaction(at(2025, 3, 3), tension=HEATED, replied=True),
        make_interaction(at(2025, 3, 4), tension=TENSE, kind=InteractionKind.MEETING),
    ]
    verdict = check_outreach(log, at(2025, 3, 5))
    assert verdict.next_allowed_at == at(2025, 3, 8)
    assert len(verdict.reasons) == 1 and "heated" in verdict.reasons[0]


def test_a_calm_message_from_them_ends_the_cool_off() -> None:
    log = [
        make_interaction(at(2025, 3, 3), tension=HEATED, kind=InteractionKind.MEETING),
        make_interaction(at(2025, 3, 4), initiated_by=Party.THEM),
    ]
    assert check_outreach(log, at(2025, 3, 5)).allowed


def test_first_follow_up_after_three_days() -> None:
    log = [make_interaction(at(2025, 3, 3))]
    verdict = check_outreach(log, at(2025, 3, 4))
    assert verdict == PatienceVerdict(
        False,
        ("Your message on 3 March has no reply yet; wait until 6 March before a first follow-up.",),
        at(2025, 3, 6),
    )
    assert check_outreach(log, at(2025, 3, 6)).allowed


def test_gaps_double_then_stop_after_three_unanswered() -> None:
    log = [make_interaction(at(2025, 3, 3), kind=InteractionKind.EMAIL)]
    log.append(make_interaction(at(2025, 3, 6)))
    second = check_outreach(log, at(2025, 3, 7))
    assert second.next_allowed_at == at(2025, 3, 12)
    assert second.reasons == (
        "Your message on 6 March has no reply yet; wait until 12 March before another follow-up.",
    )
    log.append(make_interaction(at(2025, 3, 12), replied=False))
    third = check_outreach(log, at(2025, 4, 30))
    assert third == PatienceVerdict(
        False,
        (
            "You have reached out 3 times since 3 March without a reply. Give them room and "
            "wait for them to reply before reaching out again.",
        ),
        None,
        True,
    )


def test_a_longer_chain_allows_a_twelve_day_gap() -> None:
    rules = PatienceRules(max_unanswered=4)
    log = [make_interaction(at(2025, 3, d)) for d in (3, 6, 12)]
    assert check_outreach(log, at(2025, 3, 13), rules).next_allowed_at == at(2025, 3, 24)


@pytest.mark.parametrize(
    "reset",
    [
        make_interaction(at(2025, 3, 7), initiated_by=Party.THEM),
        make_interaction(at(2025, 3, 7), initiated_by=Party.BOTH),
        make_interaction(at(2025, 3, 7), replied=True),
        make_interaction(at(2025, 3, 7), kind=InteractionKind.MEETING),
        make_interaction(at(2025, 3, 7), kind=InteractionKind.CALL),
    ],
)
def test_any_sign_of_life_resets_the_chain(reset: Interaction) -> None:
    log = [make_interaction(at(2025, 3, d)) for d in (1, 4)] + [reset]
    assert unanswered_chain(log, at(2025, 3, 8)) == []
    assert check_outreach(log, at(2025, 3, 8)).allowed


def test_a_call_that_was_not_picked_up_is_unanswered() -> None:
    log = [make_interaction(at(2025, 3, 3), kind=InteractionKind.CALL, replied=False)]
    verdict = check_outreach(log, at(2025, 3, 4))
    assert verdict.reasons[0].startswith("Your call on 3 March has no reply yet")


def test_forced_outreaches_count_like_any_other() -> None:
    log = [make_interaction(at(2025, 3, d), forced=d > 1) for d in (1, 2, 3)]
    assert check_outreach(log, at(2025, 3, 20)).must_wait_for_reply


def test_later_interactions_are_ignored() -> None:
    log = [make_interaction(at(2025, 3, 10), tension=HEATED)]
    assert check_outreach(log, at(2025, 3, 9)).allowed


def test_cool_off_and_follow_up_both_reported() -> None:
    log = [
        make_interaction(at(2025, 3, 3), tension=HEATED, kind=InteractionKind.MEETING),
        make_interaction(at(2025, 3, 6)),
    ]
    verdict = check_outreach(log, at(2025, 3, 7))
    assert verdict.next_allowed_at == at(2025, 3, 9)
    assert len(verdict.reasons) == 2


def test_dates_are_written_in_the_given_zone() -> None:
    log = [make_interaction(at(2025, 3, 3, 23, 30), tension=HEATED, replied=True)]
    berlin_winter = timezone(timedelta(hours=1))
    verdict = check_outreach(log, at(2025, 3, 5), tz=berlin_winter)
    assert verdict.reasons[0].startswith("You had a heated conversation on 4 March;")
    assert "until 9 March" in verdict.reasons[0]


def test_format_day_adds_the_year_only_when_it_differs() -> None:
    assert format_day(at(2025, 3, 3)) == "3 March"
    assert format_day(at(2025, 12, 30), reference=at(2025, 12, 1)) == "30 December"
    assert format_day(at(2026, 1, 2), reference=at(2025, 12, 30)) == "2 January 2026"


def test_rules_are_validated() -> None:
    with pytest.raises(InvalidRule):
        PatienceRules(heated_cooloff_days=-1)
    with pytest.raises(InvalidRule):
        PatienceRules(backoff_factor=0.5)
    with pytest.raises(InvalidRule):
        PatienceRules(max_unanswered=0)


INTERACTIONS = st.lists(
    st.builds(
        make_interaction,
        occurred_at=st.integers(0, 60 * 24 * 40).map(
            lambda m: at(2025, 3, 1) + timedelta(minutes=m)
        ),
        kind=st.sampled_from(InteractionKind),
        initiated_by=st.sampled_from(Party),
        tension=st.sampled_from(Tension),
        replied=st.sampled_from([None, True, False]),
    ),
    max_size=12,
)
MOMENTS = st.integers(0, 60 * 24 * 50).map(lambda m: at(2025, 3, 1) + timedelta(minutes=m))


@given(INTERACTIONS, MOMENTS)
def test_a_blocked_verdict_points_to_a_later_time_or_a_reply(
    log: list[Interaction], now: datetime
) -> None:
    verdict = check_outreach(log, now)
    if verdict.allowed:
        assert verdict.reasons == () and verdict.next_allowed_at is None
        return
    assert verdict.reasons
    if verdict.must_wait_for_reply:
        assert verdict.next_allowed_at is None
    else:
        assert verdict.next_allowed_at is not None and verdict.next_allowed_at > now
        # Waiting it out is enough, unless something new happens in the meantime.
        known = [i for i in log if i.occurred_at <= now]
        assert check_outreach(known, verdict.next_allowed_at).allowed


@given(INTERACTIONS, MOMENTS)
def test_verdict_does_not_depend_on_log_order(log: list[Interaction], now: datetime) -> None:
    assert check_outreach(log, now) == check_outreach(list(reversed(log)), now)


def test_moments_are_utc() -> None:
    assert at(2025, 3, 1).tzinfo is UTC and isinstance(at(2025, 3, 1), datetime)


def test_the_example_in_the_docs() -> None:
    """docs/trust-and-patience.md, "Patience" → "Example", step by step."""
    log = [make_interaction(at(2025, 3, 3, 14), kind=InteractionKind.MEETING, tension=HEATED)]
    assert check_outreach(log, at(2025, 3, 5)).reasons == (
        "You had a heated conversation on 3 March; give it until 8 March before reaching out "
        "again.",
    )
    log.append(make_interaction(at(2025, 3, 10), kind=InteractionKind.EMAIL))
    assert check_outreach(log, at(2025, 3, 11)).reasons == (
        "Your email on 10 March has no reply yet; wait until 13 March before a first follow-up.",
    )
    log.append(make_interaction(at(2025, 3, 13)))
    assert check_outreach(log, at(2025, 3, 14)).next_allowed_at == at(2025, 3, 19)
    log.append(make_interaction(at(2025, 3, 19)))
    assert check_outreach(log, at(2025, 3, 20)).reasons == (
        "You have reached out 3 times since 10 March without a reply. Give them room and wait "
        "for them to reply before reaching out again.",
    )
    log.append(make_interaction(at(2025, 3, 21), initiated_by=Party.THEM))
    assert check_outreach(log, at(2025, 3, 21)).allowed
