"""The ten steps as data, and the rules that say when each one is done.

Each :class:`Step` has a :class:`StepGuide` (its words live in
:mod:`mend.domain.guides` and are re-exported here): what the step is for, practical
advice, the questions Mend asks while walking the user through it (their keys are the
keys of ``StepRecord.answers``), and the rule that makes it done, in one sentence.

The rules are evaluated from the :class:`Repair` aggregate alone (:func:`evaluate`).
Steps may be worked in any order; :func:`next_step` recommends one, with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from mend.domain.commitments import is_concrete
from mend.domain.enums import DraftKind, InteractionKind, OccurrenceStatus, Party, Step, StepState
from mend.domain.errors import InvalidRule, InvalidTransition
from mend.domain.guides import (
    EMPATHY_KEY,
    GUIDES,
    PATIENCE_DAYS,
    TRUST_KEPT_MIN,
    TRUST_SPAN_DAYS,
    TRUST_THRESHOLD,
    Question,
    StepGuide,
    guide,
)
from mend.domain.patience import (
    DEFAULT_RULES,
    PatienceRules,
    PatienceVerdict,
    check_outreach,
    format_day,
)
from mend.domain.recurrence import join_words
from mend.domain.trust import DEFAULT_PARAMS, TrustParams, estimate, events_from

if TYPE_CHECKING:
    from mend.domain.model import Repair

# Steps whose work means talking to the other person, and step 7 itself: the reason
# for recommending them mentions any patience rule that holds back contact.
_PATIENCE_MATTERS: Final = frozenset(
    {
        Step.OPEN_CONVERSATION,
        Step.LISTEN,
        Step.EMPATHIZE,
        Step.APOLOGIZE,
        Step.OFFER_SOLUTIONS,
        Step.BE_PATIENT,
        Step.FIND_COMMON_GROUND,
        Step.SET_EXPECTATIONS,
    }
)

_CLOSED: Final = frozenset({StepState.DONE, StepState.SKIPPED})

__all__ = [
    "EMPATHY_KEY",
    "GUIDES",
    "PATIENCE_DAYS",
    "TRUST_KEPT_MIN",
    "TRUST_SPAN_DAYS",
    "TRUST_THRESHOLD",
    "NextStep",
    "Question",
    "StepCheck",
    "StepGuide",
    "check",
    "evaluate",
    "guide",
    "mark_step_done",
    "next_step",
    "next_step_from_states",
    "progress",
    "reopen_step",
    "skip_step",
    "state_of",
    "sync_steps",
]


@dataclass(frozen=True)
class StepCheck:
    """Whether a step's rule is met; if not, what is missing, phrased as advice."""

    met: bool
    missing: str = ""


@dataclass(frozen=True)
class NextStep:
    """The step Mend recommends now, why, and whether patience holds it back: until a
    date (``blocked_until``), or until the other person replies (``waiting_for_reply``)."""

    step: Step
    why: str
    blocked_until: datetime | None = None
    waiting_for_reply: bool = False

    @property
    def waiting(self) -> bool:
        """True when the step cannot be done now: the wait leads wherever it is shown."""
        return self.blocked_until is not None or self.waiting_for_reply


# --- done rules -------------------------------------------------------------------------


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _answer(repair: Repair, step: Step, key: str) -> str:
    for record in repair.steps:
        if record.step == step:
            return record.answers.get(key, "")
    return ""


#: Kinds of interaction in which an apology can be said face to face or by voice.
_CONVERSATION_KINDS: Final = frozenset({InteractionKind.MEETING, InteractionKind.CALL})


def _sent_at(repair: Repair, kind: DraftKind) -> list[datetime]:
    return sorted(d.sent_at for d in repair.drafts if d.kind == kind and d.sent_at is not None)


def _rule(met: bool, missing: str) -> StepCheck:
    """A check that is met, or not met with ``missing`` as the advice."""
    return StepCheck(True) if met else StepCheck(False, missing)


def _acknowledge(repair: Repair, now: datetime) -> StepCheck:
    # The repair's own fields are the source; answers given in the walkthrough count too.
    parts = (
        ("what happened", repair.what_happened, "what_happened"),
        ("your part", repair.my_part, "my_part"),
        ("its impact", repair.impact, "impact"),
    )
    missing = [
        name
        for name, value, key in parts
        if not _filled(value) and not _filled(_answer(repair, Step.ACKNOWLEDGE, key))
    ]
    return _rule(not missing, f"Write down {join_words(missing)}, in plain words.")


def _open_conversation(repair: Repair, now: datetime) -> StepCheck:
    reached_out = any(i.initiated_by in (Party.ME, Party.BOTH) for i in repair.interactions)
    scheduled = any(not c.cancelled for c in repair.check_ins)
    return _rule(
        reached_out or scheduled or bool(_sent_at(repair, DraftKind.OUTREACH)),
        "Reach out: ask for a one-on-one or send a short message, then log it (or mark "
        "your outreach draft as sent, or schedule a check-in).",
    )


def _listen(repair: Repair, now: datetime) -> StepCheck:
    return _rule(
        any(_filled(i.their_perspective) for i in repair.interactions),
        "Have the conversation and let them speak; then log it with their perspective, "
        "as close to their words as you can.",
    )


def _empathize(repair: Repair, now: datetime) -> StepCheck:
    return _rule(
        bool(_sent_at(repair, DraftKind.EMPATHY))
        or _filled(_answer(repair, Step.EMPATHIZE, EMPATHY_KEY)),
        "Write down how you think it felt for them, or send them a message that shows "
        "you understand.",
    )


def _apologize(repair: Repair, now: datetime) -> StepCheck:
    drafted = any(d.kind == DraftKind.APOLOGY for d in repair.drafts)
    return _rule(
        bool(_sent_at(repair, DraftKind.APOLOGY)),
        "When your apology is ready and you've given it, mark it as sent."
        if drafted
        else "Write your apology (the coach can help), give it, then mark it as sent.",
    )


def _offer_solutions(repair: Repair, now: datetime) -> StepCheck:
    vague = any(c.active for c in repair.commitments)
    return _rule(
        any(is_concrete(c) for c in repair.commitments),
        "Give a commitment a due date or a repeat, so both of you know when to expect it."
        if vague
        else "Record a concrete commitment with a date or a repeat, such as 'a written "
        "update every Friday'.",
    )


def _apology_moment(repair: Repair) -> datetime | None:
    """When the apology was given, or what stands in for it.

    The first sent apology draft; else, when step 5 was marked done or set aside (an
    apology given in person, say), the last conversation logged up to then, which is
    where it was most likely said, or that moment itself.
    """
    sent = _sent_at(repair, DraftKind.APOLOGY)
    if sent:
        return sent[0]
    record = next((r for r in repair.steps if r.step == Step.APOLOGIZE), None)
    if record is None or record.state == StepState.PENDING or record.completed_at is None:
        return None
    talks = [
        i.occurred_at
        for i in repair.interactions
        if i.kind in _CONVERSATION_KINDS and i.occurred_at <= record.completed_at
    ]
    return max(talks, default=record.completed_at)


def _be_patient(repair: Repair, now: datetime, tz: tzinfo = UTC) -> StepCheck:
    apology_at = _apology_moment(repair)
    if apology_at is None:
        return StepCheck(False, "Patience is counted from your apology; give that first.")
    since = [i for i in repair.interactions if apology_at < i.occurred_at <= now]
    if any(i.initiated_by != Party.ME for i in since):
        return StepCheck(True)
    # A forced outreach restarts the quiet period rather than ruling the step out for good.
    forced = [i.occurred_at for i in since if i.forced]
    start = max([apology_at, *forced])
    ready_at = start + timedelta(days=PATIENCE_DAYS)
    if now >= ready_at:
        return StepCheck(True)
    when = format_day(ready_at, tz, reference=now)
    if forced:
        return StepCheck(
            False,
            f"You reached out on {format_day(start, tz, reference=now)} despite a patience "
            f"warning, so the {PATIENCE_DAYS} quiet days start again from then: give them "
            f"room until {when}, unless they get in touch first.",
        )
    return StepCheck(
        False,
        f"Give them room until {when}, unless they get in touch first; keep your "
        "commitments meanwhile.",
    )


def _rebuild_trust(
    repair: Repair, now: datetime, params: TrustParams = DEFAULT_PARAMS
) -> StepCheck:
    events = [e for e in events_from(repair, params) if e.at <= now]
    kept = [e.at for e in events if e.kind == OccurrenceStatus.KEPT]
    span_days = (max(kept) - min(kept)).total_seconds() / 86_400 if kept else 0.0
    value = estimate(events, now, params).value
    missing = []
    if len(kept) < TRUST_KEPT_MIN:
        more = TRUST_KEPT_MIN - len(kept)
        missing.append(f"keep {more} more commitment{'s' if more > 1 else ''}")
    if span_days < TRUST_SPAN_DAYS:
        missing.append(
            f"let the kept commitments span at least {TRUST_SPAN_DAYS} days "
            f"(so far {int(span_days)})"
        )
    if value < TRUST_THRESHOLD:
        missing.append(
            # Rounded down, so 0.648 never reads as if it had reached 0.65.
            f"raise trust from {math.floor(value * 100) / 100:.2f} to {TRUST_THRESHOLD}, "
            "by keeping them on time"
        )
    return _rule(not missing, "To show consistency, " + "; ".join(missing) + ".")


def _find_common_ground(repair: Repair, now: datetime) -> StepCheck:
    joint = any(
        _filled(i.my_contribution) and _filled(i.their_contribution) for i in repair.initiatives
    )
    missing = []
    if not repair.common_ground:
        missing.append("record a goal or interest you share")
    if not joint:
        missing.append("plan one initiative together, with your part and theirs written down")
    advice = " and ".join(missing)
    return _rule(not missing, advice[:1].upper() + advice[1:] + ".")


def _set_expectations(repair: Repair, now: datetime) -> StepCheck:
    return _rule(
        any(a.review_on is not None for a in repair.agreements),
        "Set a date to review your working agreement together."
        if repair.agreements
        else "Write a working agreement together (communication, who does what, raising "
        "problems) and set a date to review it.",
    )


_RULES: Final[Mapping[Step, Callable[[Repair, datetime], StepCheck]]] = MappingProxyType(
    {
        Step.ACKNOWLEDGE: _acknowledge,
        Step.OPEN_CONVERSATION: _open_conversation,
        Step.LISTEN: _listen,
        Step.EMPATHIZE: _empathize,
        Step.APOLOGIZE: _apologize,
        Step.OFFER_SOLUTIONS: _offer_solutions,
        Step.BE_PATIENT: _be_patient,
        Step.REBUILD_TRUST: _rebuild_trust,
        Step.FIND_COMMON_GROUND: _find_common_ground,
        Step.SET_EXPECTATIONS: _set_expectations,
    }
)


def check(repair: Repair, step: Step, now: datetime) -> StepCheck:
    """Whether ``step``'s done rule is met at ``now``."""
    return _RULES[step](repair, now)


def evaluate(repair: Repair, now: datetime) -> dict[Step, StepCheck]:
    """Every step's done rule, evaluated at ``now``, in step order.

    A step already done or set aside asks for nothing more: its advice is empty.
    """
    results = {}
    for step in Step:
        result = check(repair, step, now)
        if result.missing and state_of(repair, step) in _CLOSED:
            result = StepCheck(result.met, "")
        results[step] = result
    return results


# --- moving steps -----------------------------------------------------------------------


def state_of(repair: Repair, step: Step) -> StepState:
    """The state of ``step`` without creating a record for it."""
    for record in repair.steps:
        if record.step == step:
            return record.state
    return StepState.PENDING


def _label(step: Step) -> str:
    return f"Step {step.number}, {GUIDES[step].title.lower()},"


def sync_steps(repair: Repair, now: datetime) -> list[Step]:
    """Mark done every pending step whose rule is now met; return those steps.

    A done step whose rule later stops being met stays done: the step records what the
    user went through (an apology given stays given when trust dips later). Setbacks
    are handled by the repair's status and by :func:`reopen_step`, both deliberate.
    """
    newly_done = []
    for step, result in evaluate(repair, now).items():
        if result.met and state_of(repair, step) == StepState.PENDING:
            record = repair.step(step)
            record.state = StepState.DONE
            record.completed_at = now
            newly_done.append(step)
    return newly_done


def skip_step(repair: Repair, step: Step, reason: str, now: datetime) -> None:
    """Set a step aside for a stated reason (``completed_at`` records when)."""
    if not reason.strip():
        raise InvalidRule(
            "Say why you are skipping this step; it helps when you look back.", field="reason"
        )
    record = repair.step(step)
    if record.state == StepState.DONE:
        raise InvalidTransition(f"{_label(step)} is already done; reopen it first to skip it.")
    record.state = StepState.SKIPPED
    record.skip_reason = reason.strip()
    record.completed_at = now


def reopen_step(repair: Repair, step: Step) -> None:
    """Make a done or skipped step pending again; answers are kept."""
    record = repair.step(step)
    if record.state == StepState.PENDING:
        raise InvalidTransition(f"{_label(step)} is still open, so there is nothing to reopen.")
    record.state = StepState.PENDING
    record.completed_at = None
    record.skip_reason = ""


def mark_step_done(repair: Repair, step: Step, now: datetime, *, force: bool = False) -> None:
    """Mark a step done; unless ``force``, only when its rule is met."""
    record = repair.step(step)
    if record.state == StepState.DONE:
        raise InvalidTransition(f"{_label(step)} is already done.")
    result = check(repair, step, now)
    if not result.met and not force:
        raise InvalidTransition(f"{_label(step)} is not done yet. {result.missing}")
    record.state = StepState.DONE
    record.completed_at = now
    record.skip_reason = ""


def progress(repair: Repair) -> tuple[int, int]:
    """(steps done or skipped, 10)."""
    return sum(state_of(repair, s) in _CLOSED for s in Step), len(Step)


# --- what next ---------------------------------------------------------------------------


#: The steps in order (iterating the enum class itself is several times slower, and a
#: board asks this of every repair).
_STEPS = tuple(Step)


def next_step_from_states(
    states: Mapping[Step, StepState],
    verdict: PatienceVerdict | None = None,
    *,
    advice: str | None = None,
) -> NextStep | None:
    """The recommended step from step states alone, for screens that do not load a repair.

    ``states`` may leave steps out (they count as pending). ``verdict`` is the current
    patience verdict, if known; ``advice`` what is still missing for the step (the
    step's purpose is used when not given). :func:`next_step` adds both from the repair.
    """
    pending = [s for s in _STEPS if states.get(s, StepState.PENDING) not in _CLOSED]
    if not pending:
        return None
    step = pending[0]
    info = GUIDES[step]
    parts = [
        f"{info.title} (step {step.number} of {len(_STEPS)}) is the first step not done yet.",
        advice or info.purpose,
    ]
    # The usual order already puts listening first; say why when an apology or a
    # solution is waiting behind it.
    if step == Step.LISTEN and {Step.APOLOGIZE, Step.OFFER_SOLUTIONS} & set(pending):
        parts.append(
            "Listening comes before any apology or solution: both land better once you "
            "know how it was for them."
        )
    if verdict is not None and not verdict.allowed and step in _PATIENCE_MATTERS:
        # The wait comes first: the step itself cannot be done until it is over.
        wait = list(verdict.reasons)
        if step != Step.BE_PATIENT:
            wait.append("Meanwhile, prepare: write down what you want to say.")
        return NextStep(
            step,
            " ".join([*wait, *parts]),
            verdict.next_allowed_at,
            waiting_for_reply=verdict.must_wait_for_reply,
        )
    return NextStep(step, " ".join(parts))


def next_step(
    repair: Repair,
    now: datetime,
    *,
    rules: PatienceRules = DEFAULT_RULES,
    tz: tzinfo = UTC,
) -> NextStep | None:
    """The first step in order that is neither done nor skipped, and why; None when all are.

    Listening comes before any apology or solution: the usual order puts step 3 first,
    and the reason says so. The reason also says what is still missing for the step,
    and, when patience rules hold back contact, until when and what to prepare meanwhile.
    """
    states = {s: state_of(repair, s) for s in Step}
    step = next((s for s in Step if states[s] not in _CLOSED), None)
    if step is None:
        return None
    result = _be_patient(repair, now, tz) if step == Step.BE_PATIENT else check(repair, step, now)
    advice = "Everything it needs is in place: mark it done to move on." if result.met else ""
    verdict = check_outreach(repair.interactions, now, rules, tz=tz)
    return next_step_from_states(states, verdict, advice=advice or result.missing)
