"""The ten steps in words: what each is for, practical advice, the questions Mend asks.

Pure data, kept apart from the rules in :mod:`mend.domain.playbook` so both stay
readable. The text is Mend's own: warm, plain and practical. Each question's ``key``
names its answer in ``StepRecord.answers``; ``done_rule`` says in one sentence what
:func:`mend.domain.playbook.evaluate` checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from mend.domain.enums import Step

#: Step 7: days of quiet after the apology (or a forced outreach after it).
PATIENCE_DAYS: Final = 7
#: Step 8: kept occurrences needed, the days they must span, and the trust needed.
TRUST_KEPT_MIN: Final = 3
TRUST_SPAN_DAYS: Final = 14
TRUST_THRESHOLD: Final = 0.65
#: Step 4: the key of the main empathy question.
EMPATHY_KEY: Final = "how_it_felt"


@dataclass(frozen=True)
class Question:
    """A question Mend asks during a step; ``key`` names the answer in ``StepRecord.answers``."""

    key: str
    prompt: str
    help: str


@dataclass(frozen=True)
class StepGuide:
    """Everything Mend says about one step."""

    step: Step
    title: str
    purpose: str
    guidance: str
    questions: tuple[Question, ...]
    done_rule: str


_GUIDES: Final = (
    StepGuide(
        Step.ACKNOWLEDGE,
        "Acknowledge the problem and own your part",
        "Get clear, for yourself first, on what happened and which part of it was yours. "
        "Everything that follows rests on this.",
        "Write it the way a fair observer would: facts before feelings, your actions before "
        "theirs. You are not deciding who was more wrong; you are finding the part you can "
        "own without a 'but'. Be concrete about the impact: what it cost them and the work.",
        (
            Question(
                "what_happened",
                "What happened, in plain facts?",
                "When, where, what was said or done. Leave guesses about motives out.",
            ),
            Question(
                "my_part",
                "What was your part in it?",
                "Only your share: what you did, said, or didn't do. Their part is not yours "
                "to list.",
            ),
            Question(
                "impact",
                "What impact did it have on them and on the work?",
                "Missed deadlines, extra work, embarrassment in front of others, lost confidence.",
            ),
        ),
        "Done when what happened, your part and its impact are all written down.",
    ),
    StepGuide(
        Step.OPEN_CONVERSATION,
        "Open the conversation",
        "Make the first move: ask for a one-on-one or send a short, thoughtful message. "
        "The aim is to open a door, not to settle everything at once.",
        "Keep it brief and calm. Say that you've been thinking about what happened, that "
        "you'd like to hear how it was for them, and suggest a time and place that suits "
        "them: private, unhurried, not just before a deadline. Don't defend or explain yet.",
        (
            Question(
                "approach",
                "How will you reach out: a one-on-one, a call, or a message?",
                "A private conversation is usually best; a message works when meeting is "
                "hard or they prefer to read first.",
            ),
            Question(
                "opening_line",
                "What will your first sentence be?",
                "For example: 'I've been thinking about last week's launch and I'd like to "
                "hear how it was for you. Could we find half an hour?'",
            ),
            Question(
                "timing",
                "When and where would suit them?",
                "Pick a moment with no audience and no looming deadline.",
            ),
        ),
        "Done when you have reached out (a logged outreach or a sent outreach draft) or a "
        "check-in or meeting is scheduled.",
    ),
    StepGuide(
        Step.LISTEN,
        "Listen to their side",
        "Let them tell you how it was for them, in full, before you say much at all. "
        "You are there to understand, not to correct.",
        "Ask open questions and then stop talking. When they finish, reflect back what you "
        "heard in your own words and ask if you got it right. Resist answering each point; "
        "you'll have your turn. Note what they said as close to their words as you can.",
        (
            Question(
                "questions_to_ask",
                "Which open questions will you ask?",
                "'What was that week like for you?' 'What did it cost you?' 'What would "
                "have helped?'",
            ),
            Question(
                "reflect_back",
                "How did you reflect back what you heard?",
                "'So what hurt most was hearing about it in the meeting, not from me. Is "
                "that right?'",
            ),
            Question(
                "learned",
                "What did you learn that you didn't know before?",
                "Something that changes how you see what happened, however small.",
            ),
        ),
        "Done when a logged conversation records their perspective.",
    ),
    StepGuide(
        Step.EMPATHIZE,
        "Show empathy",
        "Show that you understand how it felt for them. You can understand a feeling "
        "without agreeing that every detail was fair.",
        "Name the feeling you think they had, and the reason it makes sense from where "
        "they stood. Keep 'but' out of it, and don't turn it back to how you felt. A "
        "short, sincere sentence does more than a long one.",
        (
            Question(
                EMPATHY_KEY,
                "How do you think it felt for them?",
                "Name feelings rather than facts: stressed, let down, embarrassed, unheard.",
            ),
            Question(
                "what_mattered",
                "What was at stake for them?",
                "Their reputation with their manager, their workload, a goal they cared about.",
            ),
            Question(
                "empathy_words",
                "How will you tell them you understand?",
                "'That must have been really frustrating, especially with the review that "
                "same week.'",
            ),
        ),
        "Done when you have sent a message showing empathy, or written how it likely felt "
        "for them.",
    ),
    StepGuide(
        Step.APOLOGIZE,
        "Apologize sincerely",
        "Say sorry for your specific part and its impact, without excuses. A real apology "
        "gives them something solid to stand on.",
        "Name exactly what you did and what it caused. Say 'I'm sorry that I…', never "
        "'sorry if you felt…'. Leave out explanations unless they ask; they tend to sound "
        "like excuses. Say what you'll do differently, and don't ask to be forgiven on the "
        "spot.",
        (
            Question(
                "what_for",
                "What exactly are you apologizing for?",
                "The specific action and its impact: 'for shipping without telling you, "
                "which left you answering the client's questions unprepared'.",
            ),
            Question(
                "excuses_check",
                "Is anything in your draft explaining it away?",
                "Look for 'but', 'if', 'just' and 'I was only'. Reasons can wait until they ask.",
            ),
            Question(
                "differently",
                "What will you do differently?",
                "One or two concrete changes you can really keep.",
            ),
        ),
        "Done when an apology draft is marked as sent.",
    ),
    StepGuide(
        Step.OFFER_SOLUTIONS,
        "Offer solutions",
        "Propose concrete changes that stop it happening again: who does what, and by "
        "when. Build on their ideas where you can.",
        "Small and specific beats big and vague: a shared tracker for deadlines, a "
        "15-minute check-in every Monday, a written update every Friday. Ask what would "
        "help them, and write each promise down with a date or a repeat so it can be kept "
        "and seen to be kept.",
        (
            Question(
                "proposal",
                "What concrete change would stop this happening again?",
                "Who does what, by when. For example: 'I'll post the release plan in our "
                "shared tracker every Friday.'",
            ),
            Question(
                "their_ideas",
                "What did they suggest, and how can you include it?",
                "A solution you shaped together is one they will trust more.",
            ),
            Question(
                "first_commitment",
                "What is the first commitment you'll record, and when is it due?",
                "Give it a date or a repeat, like 'every Friday'.",
            ),
        ),
        "Done when at least one active commitment has an owner and a due date or a repeat.",
    ),
    StepGuide(
        Step.BE_PATIENT,
        "Be patient",
        "Give them time and space. Trust comes back at their pace, not yours.",
        "After apologizing, resist checking whether things are 'fine now'. Don't chase "
        "replies or raise it again in meetings. Put your energy into doing your work well "
        "and keeping what you promised; that says more than any follow-up message.",
        (
            Question(
                "pushing_looks_like",
                "What would pushing look like for you, and how will you avoid it?",
                "Repeated messages, asking 'are we good?', bringing it up in front of others.",
            ),
            Question(
                "meanwhile",
                "What will you focus on while you wait?",
                "Keeping commitments, good work, ordinary friendly contact about the work.",
            ),
        ),
        f"Done when {PATIENCE_DAYS} days have passed since your apology without a forced "
        "outreach, or when they get in touch first.",
    ),
    StepGuide(
        Step.REBUILD_TRUST,
        "Rebuild trust gradually",
        "Keep your commitments, communicate before you're asked, and be consistent week "
        "after week. Trust is rebuilt by what you do, not by what you say.",
        "Record each commitment as kept, late or missed, honestly: the record is for you. "
        "If something will slip, tell them early and say when it will land. Consistency "
        "over weeks matters more than one big gesture.",
        (
            Question(
                "matters_most",
                "Which of your commitments matters most to them right now?",
                "Start there; keep it every time.",
            ),
            Question(
                "proactive_update",
                "What could you tell them before they have to ask?",
                "An early warning about a delay, a short status note, a heads-up about a change.",
            ),
            Question(
                "consistency",
                "What habit will keep you consistent over the coming weeks?",
                "A calendar reminder, a fixed slot for updates, a checklist.",
            ),
        ),
        f"Done when you have kept at least {TRUST_KEPT_MIN} commitments over at least "
        f"{TRUST_SPAN_DAYS} days and trust is at {TRUST_THRESHOLD} or more.",
    ),
    StepGuide(
        Step.FIND_COMMON_GROUND,
        "Find common ground",
        "Find what you both want and something you can do together, so the relationship "
        "is about more than the repair.",
        "Look for shared goals (the product shipping well, a happy client) and interests "
        "(a tool you both like, a problem you both find annoying). Then suggest one joint "
        "initiative where each of you brings a part, and say clearly who brings what.",
        (
            Question(
                "shared_goals",
                "What do you both want from this work?",
                "Goals you would both sign up to without persuading.",
            ),
            Question(
                "joint_initiative",
                "What could you do together, each bringing a part?",
                "For example: you prepare the data, they lead the client review.",
            ),
        ),
        "Done when you have recorded a shared goal or interest and a joint initiative with "
        "both of your contributions.",
    ),
    StepGuide(
        Step.SET_EXPECTATIONS,
        "Set boundaries and expectations",
        "Agree how you will work together from now on: how you communicate, who does "
        "what, and how either of you raises a problem.",
        "Write it down together and keep it short. Cover the channel and how often you "
        "talk, how fast you reply, who owns which tasks, and how to raise a problem early "
        "and privately. Set a date to review it; agreements that are never revisited fade.",
        (
            Question(
                "communication",
                "How and how often will you communicate?",
                "Channel, frequency, and how quickly each of you replies.",
            ),
            Question("division_of_work", "Who owns what?", "Name the tasks and the owner of each."),
            Question(
                "raising_problems",
                "How will either of you raise a problem early?",
                "For example: 'a private message the same day, before it goes to anyone else'.",
            ),
            Question(
                "review",
                "When will you review the agreement together?",
                "Four to eight weeks out is usually about right.",
            ),
        ),
        "Done when a working agreement with a review date is written.",
    ),
)

#: The guide of every step, in order.
GUIDES: Final[Mapping[Step, StepGuide]] = MappingProxyType({g.step: g for g in _GUIDES})


def guide(step: Step) -> StepGuide:
    """The guide for ``step``."""
    return GUIDES[step]
