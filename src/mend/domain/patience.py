"""Patience (step 7) as rules Mend enforces before the user reaches out again.

Two rules, both about giving the other person room:

* **Cool-off.** After a tense conversation wait 2 days, after a heated one 5 days,
  before the next outreach. It does not matter who started that conversation. If the
  other person gets in touch calmly afterwards, the cool-off is over: answering them
  is not pushing.
* **Spacing of follow-ups.** An outreach with no reply may be followed up 3 days
  later; each further unanswered follow-up doubles the gap (3, 6, 12… days). After 3
  unanswered outreaches in a row Mend stops suggesting more and advises waiting for
  them to reply. Anything the other person starts, and any reply, resets the chain.

An outreach is an interaction the user started (``initiated_by`` ME). It counts as
answered when ``replied`` is True; a meeting or call the user set up also counts as
answered unless ``replied`` is explicitly False, because a meeting that happened is a
conversation, not a message left hanging. An interaction started by BOTH is contact
like one started by THEM.

Forced outreaches (sent despite a warning) count like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Final

from mend.domain.enums import InteractionKind, Party, Tension
from mend.domain.errors import InvalidRule

if TYPE_CHECKING:
    from mend.domain.model import Interaction

MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


# Kinds of interaction that are a live conversation once they happen.
_CONVERSATIONS: Final = frozenset({InteractionKind.MEETING, InteractionKind.CALL})
_NOUNS: Final = {
    InteractionKind.MEETING: "meeting request",
    InteractionKind.EMAIL: "email",
    InteractionKind.CALL: "call",
    InteractionKind.MESSAGE: "message",
}


def format_day(moment: datetime, tz: tzinfo = UTC, *, reference: datetime | None = None) -> str:
    """``"3 March"`` in ``tz`` (locale-independent); the year is added when it differs
    from ``reference``'s."""
    local = moment.astimezone(tz)
    text = f"{local.day} {MONTH_NAMES[local.month - 1]}"
    if reference is not None and reference.astimezone(tz).year != local.year:
        text += f" {local.year}"
    return text


@dataclass(frozen=True)
class PatienceRules:
    """How long to wait before reaching out. The defaults are Mend's documented rules."""

    #: Days to wait after a tense interaction.
    tense_cooloff_days: float = 2.0
    #: Days to wait after a heated interaction.
    heated_cooloff_days: float = 5.0
    #: Days after an unanswered outreach before the first follow-up.
    first_nudge_days: float = 3.0
    #: Each further unanswered follow-up multiplies the gap by this.
    backoff_factor: float = 2.0
    #: After this many unanswered outreaches in a row, wait for a reply.
    max_unanswered: int = 3

    def __post_init__(self) -> None:
        if min(self.tense_cooloff_days, self.heated_cooloff_days, self.first_nudge_days) < 0:
            raise InvalidRule("Patience periods cannot be negative.")
        if self.backoff_factor < 1:
            raise InvalidRule("The follow-up backoff factor must be at least 1.")
        if self.max_unanswered < 1:
            raise InvalidRule("At least one unanswered outreach must be allowed.")

    def cooloff(self, tension: Tension) -> timedelta:
        """The wait after an interaction of this tension."""
        days = {
            Tension.CALM: 0.0,
            Tension.TENSE: self.tense_cooloff_days,
            Tension.HEATED: self.heated_cooloff_days,
        }[tension]
        return timedelta(days=days)

    def nudge_gap(self, unanswered: int) -> timedelta:
        """The wait after the latest of ``unanswered`` (≥ 1) outreaches in a row."""
        return timedelta(days=self.first_nudge_days * self.backoff_factor ** (unanswered - 1))


DEFAULT_RULES: Final = PatienceRules()


@dataclass(frozen=True)
class PatienceVerdict:
    """Whether an outreach now respects the patience rules, and if not, why and until when.

    ``next_allowed_at`` is None when allowed, and also when only a reply from the
    other person can lift the block (``must_wait_for_reply``).
    """

    allowed: bool
    reasons: tuple[str, ...] = field(default=())
    next_allowed_at: datetime | None = None
    must_wait_for_reply: bool = False


def is_answered(interaction: Interaction) -> bool:
    """Whether an outreach got a response (see the module docstring)."""
    if interaction.replied is not None:
        return interaction.replied
    return interaction.kind in _CONVERSATIONS


def unanswered_chain(interactions: Iterable[Interaction], at: datetime) -> list[Interaction]:
    """The user's outreaches since the last sign of life from the other person, oldest first."""
    chain: list[Interaction] = []
    # At the same instant a sign of life counts as coming after the outreach: generous,
    # and independent of the order the log was given in.
    for item in sorted(interactions, key=lambda i: (i.occurred_at, is_sign_of_life(i), i.kind)):
        if item.occurred_at > at:
            break
        if is_sign_of_life(item):
            chain = []
        else:
            chain.append(item)
    return chain


def is_sign_of_life(interaction: Interaction) -> bool:
    """A reply, or contact the other person started: it ends an unanswered chain."""
    return interaction.initiated_by != Party.ME or is_answered(interaction)


def _cooloff(
    interactions: list[Interaction], at: datetime, rules: PatienceRules, tz: tzinfo
) -> tuple[datetime, str] | None:
    """The latest-ending cool-off still running at ``at``, and its reason."""
    worst: tuple[datetime, str] | None = None
    for item in interactions:
        if item.tension == Tension.CALM:
            continue
        ends = item.occurred_at + rules.cooloff(item.tension)
        # A later calm contact from them ends the cool-off: they have re-opened the door.
        reopened = any(
            later.initiated_by != Party.ME
            and later.tension == Tension.CALM
            and later.occurred_at > item.occurred_at
            for later in interactions
        )
        if ends <= at or reopened or (worst is not None and ends <= worst[0]):
            continue
        reason = (
            f"You had a {item.tension.value} conversation on "
            f"{format_day(item.occurred_at, tz, reference=at)}; give it until "
            f"{format_day(ends, tz, reference=at)} before reaching out again."
        )
        worst = (ends, reason)
    return worst


def check_outreach(
    interactions: Iterable[Interaction],
    at: datetime,
    rules: PatienceRules = DEFAULT_RULES,
    *,
    tz: tzinfo = UTC,
) -> PatienceVerdict:
    """Whether reaching out at ``at`` respects the patience rules.

    Interactions after ``at`` are ignored. ``tz`` only affects how dates are written in
    the reasons.
    """
    past = sorted((i for i in interactions if i.occurred_at <= at), key=lambda i: i.occurred_at)
    reasons: list[str] = []
    waits: list[datetime] = []
    cooloff = _cooloff(past, at, rules, tz)
    if cooloff is not None:
        waits.append(cooloff[0])
        reasons.append(cooloff[1])
    chain = unanswered_chain(past, at)
    must_wait = len(chain) >= rules.max_unanswered
    if must_wait:
        reasons.append(
            f"You have reached out {len(chain)} times since "
            f"{format_day(chain[0].occurred_at, tz, reference=at)} without a reply. "
            "Give them room and wait for them to reply before reaching out again."
        )
    elif chain:
        last = chain[-1]
        gap = rules.nudge_gap(len(chain))
        allowed_at = last.occurred_at + gap
        if allowed_at > at:
            waits.append(allowed_at)
            follow = "a first follow-up" if len(chain) == 1 else "another follow-up"
            sent_on = format_day(last.occurred_at, tz, reference=at)
            reasons.append(
                f"Your {_NOUNS[last.kind]} on {sent_on} has no reply yet; wait until "
                f"{format_day(allowed_at, tz, reference=at)} before {follow}."
            )
    if must_wait:
        return PatienceVerdict(False, tuple(reasons), None, True)
    if waits:
        return PatienceVerdict(False, tuple(reasons), max(waits), False)
    return PatienceVerdict(True)
