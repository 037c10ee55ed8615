"""What the coach says about each learned finding: why it matters and what to do instead.

``{words}`` in an explanation is filled with the words the detector leaned on most, so
every finding names what it recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mend.coach.rules import PRAISE, PROBLEM, SUGGESTION


@dataclass(frozen=True)
class Wording:
    severity: str
    explanation: str
    suggestion: str | None = None


WORDINGS: Final[dict[str, Wording]] = {
    # --- ways a draft goes wrong ------------------------------------------------------
    "non_apology": Wording(
        PROBLEM,
        "This is sorry for their feelings, for an outcome or for something nameless, or "
        'it hedges with "if" ({words}), so it can read as no apology at all.',
        'Say what you did and own it: "I\'m sorry I ...".',
    ),
    "excuse": Wording(
        PROBLEM,
        "This points to circumstances ({words}) to explain your part away; however true, "
        "it reads as an excuse.",
        'Leave the reasons out for now, or set them aside: "There\'s no excuse: I ...".',
    ),
    "blame_shift": Wording(
        PROBLEM,
        "This puts part of the problem on someone else ({words}), which tends to make "
        "people defend themselves instead of listening.",
        "Keep to your own part here; raise what others could do later, as a shared question.",
    ),
    "defensive": Wording(
        PROBLEM,
        "This defends your intentions or disputes their account ({words}), which can tell "
        "them their complaint does not count.",
        "Acknowledge the effect first; your reasons can wait until they feel heard.",
    ),
    "sarcasm": Wording(
        PROBLEM,
        "This reads as ironic or mocking ({words}); in writing, irony lands as contempt.",
        "Say plainly what you mean.",
    ),
    "absolute_language": Wording(
        PROBLEM,
        "This turns events into a rule ({words}), which invites an argument about the exceptions.",
        'Name the specific occasion instead: "On Tuesday, ...".',
    ),
    "minimizing": Wording(
        PROBLEM,
        "This plays down what happened or the need to deal with it ({words}), which tells "
        "them their reaction is too big.",
        "Let the impact stand as they experienced it.",
    ),
    "pressure": Wording(
        PROBLEM,
        "This presses them to answer, meet or settle on your timeline ({words}).",
        'Offer a time and leave room: "Would Thursday suit, or another day?".',
    ),
    "vague_commitment": Wording(
        PROBLEM,
        "This promise ({words}) has nothing anyone could check: no specific action or no time.",
        "Make it concrete, with who, what and when: \"I'll send you a short update every "
        'Friday by 4pm."',
    ),
    # --- what works ---------------------------------------------------------------------
    "responsibility_taken": Wording(PRAISE, "You own your part in plain words ({words})."),
    "specific_behavior_named": Wording(
        PRAISE, "You name the exact act ({words}), so they know you understand what happened."
    ),
    "impact_acknowledged": Wording(PRAISE, "You name what it cost them ({words})."),
    "regret_expressed": Wording(PRAISE, "You say you are sorry for your own part ({words})."),
    "repair_offered": Wording(PRAISE, "You offer to put right what went wrong ({words})."),
    "future_commitment": Wording(PRAISE, "You say what will be different from now on ({words})."),
    "empathy_emotional_reaction": Wording(
        PRAISE, "You show that how it was for them matters to you ({words})."
    ),
    "empathy_interpretation": Wording(PRAISE, "You name how it likely felt for them ({words})."),
    "empathy_exploration": Wording(PRAISE, "You invite them to say how it was for them ({words})."),
    "open_question": Wording(
        PRAISE, "An open question ({words}) leaves them room to answer in their own words."
    ),
    "reflection": Wording(
        PRAISE, "You give back what you heard ({words}), so they can tell you if you got it."
    ),
    "concrete_action": Wording(
        PRAISE, "A specific action with an owner and a time ({words}): they can see it happen."
    ),
    "closed_question": Wording(
        SUGGESTION,
        "A yes-or-no question ({words}) gets a yes or a no; while listening, an open one "
        "invites more.",
        'Try "What was that like for you?" or "How did it look from your side?".',
    ),
}


def words_phrase(words: list[str]) -> str:
    """``"hectic", "reorg"`` for the explanation (curly quotes, at most three)."""
    return ", ".join(f"“{w}”" for w in words[:3]) or "these words"
