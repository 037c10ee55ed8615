"""The playbook: the ten steps' words, their done rules, and which step comes next."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import (
    T0,
    at,
    make_agreement,
    make_check_in,
    make_commitment,
    make_common_ground,
    make_draft,
    make_initiative,
    make_interaction,
    make_occurrence,
    make_repair,
    with_steps,
)

from mend.domain.enums import DraftKind, OccurrenceStatus, Party, Step, StepState, Tension
from mend.domain.errors import InvalidRule, InvalidTransition
from mend.domain.model import Repair
from mend.domain.patience import PatienceVerdict
from mend.domain.playbook import (
    EMPATHY_KEY,
    GUIDES,
    PATIENCE_DAYS,
    check,
    evaluate,
    guide,
    mark_step_done,
    next_step,
    next_step_from_states,
    progress,
    reopen_step,
    skip_step,
    state_of,
    sync_steps,
)

DONE, SKIPPED, PENDING = StepState.DONE, StepState.SKIPPED, StepState.PENDING
KEPT, MISSED = OccurrenceStatus.KEPT, OccurrenceStatus.MISSED
NOW = at(2025, 3, 20)


def blank() -> Repair:
    return make_repair(what_happened="", my_part="", impact="")


def met(repair: Repair, step: Step, now: datetime = NOW) -> bool:
    return check(repair, step, now).met


# --- the words ---------------------------------------------------------------------------


def test_every_step_has_a_complete_guide_in_order() -> None:
    assert list(GUIDES) == list(Step)
    for step, g in GUIDES.items():
        assert g.step == step and guide(step) is g
        assert g.title and g.purpose and g.guidance and g.done_rule.startswith("Done when")
        assert g.done_rule.count(". ") == 0 and g.done_rule.endswith(".")
        assert 2 <= len(g.questions) <= 4
        keys = [q.key for q in g.questions]
        assert len(set(keys)) == len(keys)
        assert all(q.prompt.endswith("?") and q.help for q in g.questions)
    assert EMPATHY_KEY in [q.key for q in guide(Step.EMPATHIZE).questions]
    assert [q.key for q in guide(Step.ACKNOWLEDGE).questions] == [
        "what_happened",
        "my_part",
        "impact",
    ]


# --- done rules, positive and negative -----------------------------------------------------


def test_acknowledge() -> None:
    assert met(make_repair(), Step.ACKNOWLEDGE)
    result = check(make_repair(my_part="  ", impact=""), Step.ACKNOWLEDGE, NOW)
    assert result.missing == "Write down your part and its impact, in plain words."
    answered = make_repair(my_part="")
    answered.step(Step.ACKNOWLEDGE).answers["my_part"] = "I didn't tell her."
    assert met(answered, Step.ACKNOWLEDGE)
    assert check(blank(), Step.ACKNOWLEDGE, NOW).missing == (
        "Write down what happened, your part and its impact, in plain words."
    )


@pytest.mark.parametrize(
    "repair",
    [
        make_repair(interactions=[make_interaction(T0)]),
        make_repair(interactions=[make_interaction(T0, initiated_by=Party.BOTH)]),
        make_repair(drafts=[make_draft(DraftKind.OUTREACH, sent_at=T0)]),
        make_repair(check_ins=[make_check_in(at(2025, 3, 25))]),
    ],
)
def test_open_conversation_met(repair: Repair) -> None:
    assert met(repair, Step.OPEN_CONVERSATION)


@pytest.mark.parametrize(
    "repair",
    [
        make_repair(),
        make_repair(interactions=[make_interaction(T0, initiated_by=Party.THEM)]),
        make_repair(drafts=[make_draft(DraftKind.OUTREACH)]),  # written, not sent
        make_repair(drafts=[make_draft(DraftKind.APOLOGY, sent_at=T0)]),
        make_repair(check_ins=[make_check_in(at(2025, 3, 25), cancelled=True)]),
    ],
)
def test_open_conversation_not_met(repair: Repair) -> None:
    assert not met(repair, Step.OPEN_CONVERSATION)


def test_listen() -> None:
    heard = make_interaction(T0, their_perspective="I felt blindsided in front of the client.")
    assert met(make_repair(interactions=[heard]), Step.LISTEN)
    silent = make_interaction(T0, their_perspective="   ", summary="We talked.")
    assert not met(make_repair(interactions=[silent]), Step.LISTEN)
    assert "their perspective" in check(make_repair(), Step.LISTEN, NOW).missing


def test_empathize() -> None:
    assert met(make_repair(drafts=[make_draft(DraftKind.EMPATHY, sent_at=T0)]), Step.EMPATHIZE)
    answered = make_repair()
    answered.step(Step.EMPATHIZE).answers[EMPATHY_KEY] = "Embarrassed and let down."
    assert met(answered, Step.EMPATHIZE)
    other_answer = make_repair()
    other_answer.step(Step.EMPATHIZE).answers["what_mattered"] = "Her standing with the client."
    assert not met(other_answer, Step.EMPATHIZE)
    assert not met(make_repair(drafts=[make_draft(DraftKind.EMPATHY)]), Step.EMPATHIZE)


def test_apologize() -> None:
    assert met(make_repair(drafts=[make_draft(DraftKind.APOLOGY, sent_at=T0)]), Step.APOLOGIZE)
    unsent = check(make_repair(drafts=[make_draft(DraftKind.APOLOGY)]), Step.APOLOGIZE, NOW)
    assert not unsent.met and "mark it as sent" in unsent.missing
    assert "Write your apology" in check(make_repair(), Step.APOLOGIZE, NOW).missing


def test_offer_solutions() -> None:
    assert met(make_repair(commitments=[make_commitment()]), Step.OFFER_SOLUTIONS)
    weekly = make_commitment(due_at=None, recurrence="FREQ=WEEKLY;BYDAY=FR", owner=Party.BOTH)
    assert met(make_repair(commitments=[weekly]), Step.OFFER_SOLUTIONS)
    vague = check(
        make_repair(commitments=[make_commitment(due_at=None)]), Step.OFFER_SOLUTIONS, NOW
    )
    assert not vague.met and "due date or a repeat" in vague.missing
    dropped = make_repair(commitments=[make_commitment(active=False)])
    assert not met(dropped, Step.OFFER_SOLUTIONS)


def apologized(on: datetime = at(2025, 3, 3), **overrides: object) -> Repair:
    return make_repair(drafts=[make_draft(DraftKind.APOLOGY, sent_at=on)], **overrides)


def test_be_patient_counts_days_from_the_apology() -> None:
    repair = apologized()
    waiting = check(repair, Step.BE_PATIENT, at(2025, 3, 9))
    assert waiting.missing == (
        "Give them room until 10 March, unless they get in touch first; keep your "
        "commitments meanwhile."
    )
    assert met(repair, Step.BE_PATIENT, at(2025, 3, 3 + PATIENCE_DAYS))
    ordinary = apologized(interactions=[make_interaction(at(2025, 3, 5))])
    assert met(ordinary, Step.BE_PATIENT, at(2025, 3, 10))


def test_be_patient_restarts_after_a_forced_outreach() -> None:
    repair = apologized(interactions=[make_interaction(at(2025, 3, 5), forced=True)])
    result = check(repair, Step.BE_PATIENT, at(2025, 3, 10))
    assert not result.met
    assert result.missing.startswith("You reached out on 5 March despite a patience warning")
    assert "until 12 March" in result.missing
    assert met(repair, Step.BE_PATIENT, at(2025, 3, 12))


def test_be_patient_is_met_when_they_get_in_touch() -> None:
    repair = apologized(
        interactions=[
            make_interaction(at(2025, 3, 4), forced=True),
            make_interaction(at(2025, 3, 5), initiated_by=Party.THEM),
        ]
    )
    assert met(repair, Step.BE_PATIENT, at(2025, 3, 5))
    before_apology = apologized(
        interactions=[make_interaction(at(2025, 3, 2), initiated_by=Party.THEM)]
    )
    assert not met(before_apology, Step.BE_PATIENT, at(2025, 3, 5))


def test_be_patient_needs_an_apology() -> None:
    assert "give that first" in check(make_repair(), Step.BE_PATIENT, NOW).missing


def trust_history(*entries: tuple[int, OccurrenceStatus], owner: Party = Party.ME) -> Repair:
    occurrences = [make_occurrence(at(2025, 3, day), status) for day, status in entries]
    return make_repair(commitments=[make_commitment(owner=owner, occurrences=occurrences)])


def test_rebuild_trust_met_with_three_kept_over_fourteen_days() -> None:
    repair = trust_history((3, KEPT), (10, KEPT), (17, KEPT))
    assert met(repair, Step.REBUILD_TRUST, at(2025, 3, 17))
    assert met(
        trust_history((3, KEPT), (10, KEPT), (17, KEPT), owner=Party.BOTH), Step.REBUILD_TRUST
    )


def test_rebuild_trust_not_met_when_the_estimate_is_just_short() -> None:
    # r = 2^(-1/3) + 2^(-1/6) + 1 = 2.6846, s = 1: E = 3.6846 / 5.6846 = 0.6482 < 0.65
    repair = trust_history((3, KEPT), (10, KEPT), (17, KEPT), (17, MISSED))
    result = check(repair, Step.REBUILD_TRUST, at(2025, 3, 17))
    assert (
        result.missing
        == "To show consistency, raise trust from 0.64 to 0.65, by keeping them on time."
    )


def test_rebuild_trust_names_every_gap() -> None:
    result = check(trust_history((3, KEPT), (16, KEPT)), Step.REBUILD_TRUST, at(2025, 3, 16))
    assert result.missing == (
        "To show consistency, keep 1 more commitment; let the kept commitments span at least "
        "14 days (so far 13)."
    )
    theirs = trust_history((3, KEPT), (10, KEPT), (17, KEPT), owner=Party.THEM)
    assert "keep 3 more commitments" in check(theirs, Step.REBUILD_TRUST, NOW).missing


def test_find_common_ground() -> None:
    both = make_repair(common_ground=[make_common_ground()], initiatives=[make_initiative()])
    assert met(both, Step.FIND_COMMON_GROUND)
    one_sided = make_repair(
        common_ground=[make_common_ground()], initiatives=[make_initiative(their_contribution="")]
    )
    assert check(one_sided, Step.FIND_COMMON_GROUND, NOW).missing == (
        "Plan one initiative together, with your part and theirs written down."
    )
    assert check(make_repair(), Step.FIND_COMMON_GROUND, NOW).missing == (
        "Record a goal or interest you share and plan one initiative together, with your "
        "part and theirs written down."
    )


def test_set_expectations() -> None:
    assert met(make_repair(agreements=[make_agreement()]), Step.SET_EXPECTATIONS)
    undated = check(
        make_repair(agreements=[make_agreement(review_on=None)]), Step.SET_EXPECTATIONS, NOW
    )
    assert undated.missing == "Set a date to review your working agreement together."
    assert not met(make_repair(), Step.SET_EXPECTATIONS)


def test_evaluate_covers_every_step_in_order() -> None:
    results = evaluate(make_repair(), NOW)
    assert list(results) == list(Step)
    assert [s for s, r in results.items() if r.met] == [Step.ACKNOWLEDGE]
    assert all(r.missing for r in results.values() if not r.met)


# --- moving steps ----------------------------------------------------------------------------


def test_sync_steps_marks_newly_met_steps_and_keeps_done_ones_done() -> None:
    repair = make_repair(drafts=[make_draft(DraftKind.APOLOGY, sent_at=T0)])
    skip_step(repair, Step.ACKNOWLEDGE, "done on paper before Mend", T0)
    assert sync_steps(repair, NOW) == [Step.APOLOGIZE, Step.BE_PATIENT]
    assert repair.step(Step.APOLOGIZE).completed_at == NOW
    assert state_of(repair, Step.ACKNOWLEDGE) == SKIPPED
    assert sync_steps(repair, NOW) == []
    repair.drafts.clear()  # the rule stops being met: the step stays done
    assert sync_steps(repair, NOW) == []
    assert state_of(repair, Step.APOLOGIZE) == DONE


def test_mark_step_done_says_what_is_missing() -> None:
    repair = make_repair()
    with pytest.raises(InvalidTransition) as caught:
        mark_step_done(repair, Step.APOLOGIZE, NOW)
    assert caught.value.message == (
        "Step 5, apologize sincerely, is not done yet. Write your apology (the coach can "
        "help), give it, then mark it as sent."
    )
    mark_step_done(repair, Step.APOLOGIZE, NOW, force=True)
    assert (state_of(repair, Step.APOLOGIZE), repair.step(Step.APOLOGIZE).completed_at) == (
        DONE,
        NOW,
    )
    with pytest.raises(InvalidTransition, match="already done"):
        mark_step_done(repair, Step.APOLOGIZE, NOW, force=True)
    mark_step_done(repair, Step.ACKNOWLEDGE, NOW)
    assert state_of(repair, Step.ACKNOWLEDGE) == DONE


def test_skip_needs_a_reason_and_an_open_step() -> None:
    repair = make_repair()
    with pytest.raises(InvalidRule, match="Say why"):
        skip_step(repair, Step.FIND_COMMON_GROUND, "  ", NOW)
    skip_step(repair, Step.FIND_COMMON_GROUND, " We already share a team goal. ", NOW)
    record = repair.step(Step.FIND_COMMON_GROUND)
    assert (record.state, record.skip_reason, record.completed_at) == (
        SKIPPED,
        "We already share a team goal.",
        NOW,
    )
    mark_step_done(repair, Step.ACKNOWLEDGE, NOW)
    with pytest.raises(InvalidTransition, match="reopen it first"):
        skip_step(repair, Step.ACKNOWLEDGE, "changed my mind", NOW)


def test_reopen_keeps_answers() -> None:
    repair = make_repair()
    with pytest.raises(InvalidTransition, match="nothing to reopen"):
        reopen_step(repair, Step.LISTEN)
    repair.step(Step.LISTEN).answers["learned"] = "The client had called her twice."
    skip_step(repair, Step.LISTEN, "later", NOW)
    reopen_step(repair, Step.LISTEN)
    record = repair.step(Step.LISTEN)
    assert (record.state, record.completed_at, record.skip_reason) == (PENDING, None, "")
    assert record.answers == {"learned": "The client had called her twice."}


def test_progress_counts_done_and_skipped() -> None:
    repair = with_steps(
        make_repair(), {Step.ACKNOWLEDGE: DONE, Step.LISTEN: SKIPPED, Step.APOLOGIZE: PENDING}
    )
    assert progress(repair) == (2, 10)
    assert progress(make_repair()) == (0, 10)
    assert make_repair().steps == []  # reading progress creates no records


# --- what next -----------------------------------------------------------------------------


def test_next_step_is_the_first_open_one_and_says_what_is_missing() -> None:
    recommended = next_step(blank(), NOW)
    assert recommended is not None and recommended.step == Step.ACKNOWLEDGE
    assert recommended.why == (
        "Acknowledge the problem and own your part (step 1 of 10) is the first step not "
        "done yet. Write down what happened, your part and its impact, in plain words."
    )
    ready = next_step(make_repair(), NOW)
    assert ready is not None and "mark it done to move on" in ready.why


def test_listening_comes_before_apology_and_solutions() -> None:
    repair = with_steps(
        make_repair(), {Step.ACKNOWLEDGE: DONE, Step.OPEN_CONVERSATION: DONE, Step.EMPATHIZE: DONE}
    )
    recommended = next_step(repair, NOW)
    assert recommended is not None and recommended.step == Step.LISTEN
    assert "Listening comes before any apology or solution" in recommended.why
    with_steps(repair, {Step.APOLOGIZE: DONE, Step.OFFER_SOLUTIONS: DONE})
    recommended = next_step(repair, NOW)
    assert recommended is not None and recommended.step == Step.LISTEN
    assert "Listening comes before" not in recommended.why


def test_steps_worked_out_of_order_are_passed_over() -> None:
    closed = {s: DONE for s in Step if s not in (Step.BE_PATIENT, Step.SET_EXPECTATIONS)}
    repair = with_steps(make_repair(), closed)
    recommended = next_step(repair, NOW)
    assert recommended is not None and recommended.step == Step.BE_PATIENT
    with_steps(repair, {Step.BE_PATIENT: SKIPPED})
    recommended = next_step(repair, NOW)
    assert recommended is not None and recommended.step == Step.SET_EXPECTATIONS
    with_steps(repair, {Step.SET_EXPECTATIONS: DONE})
    assert next_step(repair, NOW) is None


def test_next_step_mentions_a_patience_block() -> None:
    repair = with_steps(
        make_repair(
            interactions=[
                make_interaction(
                    at(2025, 3, 18, 15), initiated_by=Party.THEM, tension=Tension.HEATED
                )
            ]
        ),
        {Step.ACKNOWLEDGE: DONE},
    )
    recommended = next_step(repair, at(2025, 3, 20))
    assert recommended is not None and recommended.step == Step.OPEN_CONVERSATION
    assert recommended.blocked_until == at(2025, 3, 23, 15)
    assert (
        "You had a heated conversation on 18 March; give it until 23 March before reaching out "
        "again." in recommended.why
    )
    assert recommended.why.startswith("You had a heated conversation on 18 March"), "it leads"
    assert "Meanwhile, prepare: write down what you want to say." in recommended.why


def test_next_step_while_being_patient_says_until_when() -> None:
    closed = {s: DONE for s in Step if s.number < Step.BE_PATIENT.number}
    repair = with_steps(apologized(at(2025, 3, 18)), closed)
    recommended = next_step(repair, at(2025, 3, 20))
    assert recommended is not None and recommended.step == Step.BE_PATIENT
    assert "Give them room until 25 March" in recommended.why
    assert recommended.blocked_until is None


@given(st.lists(st.sampled_from([PENDING, DONE, SKIPPED]), min_size=10, max_size=10))
def test_next_step_never_puts_solutions_before_listening(states: list[StepState]) -> None:
    repair = with_steps(make_repair(), dict(zip(Step, states, strict=True)))
    recommended = next_step(repair, NOW)
    open_steps = [s for s, state in zip(Step, states, strict=True) if state == PENDING]
    if not open_steps:
        assert recommended is None
        return
    assert recommended is not None and recommended.step == open_steps[0]
    if Step.LISTEN in open_steps:
        assert recommended.step not in (Step.APOLOGIZE, Step.OFFER_SOLUTIONS)


def test_next_step_from_states_alone() -> None:
    states = {Step.ACKNOWLEDGE: DONE, Step.OPEN_CONVERSATION: SKIPPED}
    recommended = next_step_from_states(states)
    assert recommended is not None and recommended.step == Step.LISTEN
    assert recommended.why.startswith(
        "Listen to their side (step 3 of 10) is the first step not done yet. Let them tell you"
    )
    blocked = PatienceVerdict(False, ("Wait for a reply.",), None, True)
    held = next_step_from_states(states, blocked)
    assert held is not None and held.blocked_until is None
    assert held.waiting_for_reply and held.waiting
    assert held.why.startswith("Wait for a reply. Meanwhile, prepare")
    assert next_step_from_states(dict.fromkeys(Step, DONE)) is None


def test_patience_is_not_mentioned_for_steps_without_contact() -> None:
    blocked = PatienceVerdict(False, ("Wait until 9 March.",), at(2025, 3, 9))
    recommended = next_step_from_states({}, blocked)
    assert recommended is not None and recommended.step == Step.ACKNOWLEDGE
    assert "Wait until" not in recommended.why and recommended.blocked_until is None
