"""The rule table: every finding that points at words comes from a pattern here.

Each :class:`Rule` has a stable code, a severity, a regular expression matched
case-insensitively on the original text (so spans index the text the user wrote),
a one-sentence reason and, where one exists, a better way to say it. Problem rules
are deliberately narrow: a coach that cries wolf gets ignored, so each pattern only
fires on phrasings that are hurtful in almost every context, and has guards
(negative look-aheads) for the common innocent uses. Sources of the categories:
Lewicki, Polin & Lount 2016 (apology parts), Yeomans et al. 2020 (receptiveness),
Sharma et al. 2020 (empathy mechanisms), MITI 4 (reflections and open questions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from mend.coach._text import FOLD
from mend.coach.features import vader_lexicon

__all__ = ["FOLD", "RULES", "RULES_BY_CODE", "STEPS", "TRIGGERS", "Rule"]

PROBLEM: Final = "problem"
WARNING: Final = "warning"
SUGGESTION: Final = "suggestion"
PRAISE: Final = "praise"

#: Every step the coach knows, in the order of the repair.
STEPS: Final = (
    "acknowledgment",
    "outreach",
    "listening",
    "empathy",
    "apology",
    "solution",
    "agreement",
)


def _rx(pattern: str) -> re.Pattern[str]:
    # Matched on the folded text: lower-case ASCII, straight apostrophes.
    return re.compile(pattern)


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding pattern. ``steps`` limits where it fires (empty: every step).

    ``veto``, when set, is searched in the sentence around a match (folded text): a hit
    drops the match ("you always deliver on time, thank you" is praise, not a verdict).
    ``accept``, when set, is called with the searched text and the match's span and
    must return true: context checks that would make the pattern slow as look-behinds.
    """

    code: str
    severity: str
    pattern: re.Pattern[str]
    explanation: str
    suggestion: str | None = None
    steps: tuple[str, ...] = ()
    raw: bool = False  # match the original text instead of the folded one
    veto: re.Pattern[str] | None = None
    accept: Callable[[str, int, int], bool] | None = None

    @property
    def triggers(self) -> frozenset[str] | None:
        """Tokens of which at least one must occur for the rule to run (None: always)."""
        return TRIGGERS.get(self.code)


# Shouting is a sentence in capitals, so it has words like these; a title in capitals
# ("NEW PRODUCT LAUNCH deck") or a run of acronyms ("AWS SDK") does not.
_SENTENCE_WORDS: Final = frozenset(
    """
    I YOU YOUR ME MY WE US IT THIS THAT IS ARE WAS WERE BE DO DON'T DID NOT NO NEVER EVER
    ALWAYS STOP PLEASE WHY WHAT HOW CAN'T WON'T AGAIN NOW THE TO AND BUT IF
    """.split()  # noqa: SIM905 (one word list, easier to read)
)


def _loud(text: str, start: int, end: int) -> bool:
    words = [w.replace("\u2019", "'") for w in text[start:end].split()]
    long_words = sum(1 for w in words if len(w) >= 4)
    if not (len(words) >= 3 and long_words >= 1) and long_words < 2:
        return False  # "AWS SDK", "OK QA"
    return any(w in _SENTENCE_WORDS for w in words) or len(words) >= 5


# "You always ..." followed by praise is praise ("you always have such good ideas"):
# VADER's valences of the next few words decide, a negative word anywhere keeps it.
_WORD = re.compile(r"[a-z']+")


def _praise_follows(text: str, start: int) -> bool:
    """Whether the words from ``start`` to the end of the clause read as praise."""
    after = _BOUNDARY_AFTER.split(text[start : start + 80], maxsplit=1)[0]
    lexicon = vader_lexicon()
    valences = [lexicon.get(w, 0.0) for w in _WORD.findall(after)[:10]]
    return all(v >= 0 for v in valences) and max(valences, default=0.0) >= _PRAISE_VALENCE


def _asks(text: str, end: int) -> bool:
    """Whether the sentence a match ends in is a question."""
    stop = _BOUNDARY_AFTER.search(text, end)
    return stop is not None and text[stop.start()] == "?"


def _verdict(text: str, start: int, end: int) -> bool:
    if "never" in text[start:end]:
        return True  # "you never say anything nice" is a complaint whatever follows
    return not _praise_follows(text, start)


_BOUNDARY_AFTER = re.compile(r"[.!?\n;]")
#: "good" is 1.9 in VADER, "helpful" 1.8; "clear" (1.6) in "you always make it clear" is not praise.
_PRAISE_VALENCE: Final = 1.8
#: A feeling word after "that must have been" counts at this VADER valence or below
#: ("disheartening" -1.8, "confusing" -0.9); "hard" (-0.4) and neutral words do not.
_FEELING_VALENCE: Final = 0.8


def _window(text: str, start: int) -> str:
    # At most 24 characters before ``start``, a newline standing for the start of the text:
    # a few steps per match instead of a look-behind tried at every position.
    return ("\n" if start <= 24 else "") + text[max(0, start - 24) : start]


def _preceded_by(pattern: str, *, when: str = "") -> Callable[[str, int, int], bool]:
    """An ``accept`` check: a match that starts with ``when`` must follow ``pattern``."""
    before = re.compile(f"(?:{pattern})$")

    def check(text: str, start: int, end: int) -> bool:
        if when and not text.startswith(when, start):
            return True
        return before.search(_window(text, start)) is not None

    return check


def _not_preceded_by(pattern: str, *, when: str) -> Callable[[str, int, int], bool]:
    """An ``accept`` check: a match that starts with ``when`` must not follow ``pattern``."""
    before = re.compile(f"(?:{pattern})$")

    def check(text: str, start: int, end: int) -> bool:
        return not text.startswith(when, start) or before.search(_window(text, start)) is None

    return check


def _all(*checks: Callable[[str, int, int], bool]) -> Callable[[str, int, int], bool]:
    return lambda text, start, end: all(c(text, start, end) for c in checks)


# Where a sentence (or a clause of one) starts: "Sorry, ...", "..., so what ...?"
_OPENS = r"[.!?\n:;,]\s*|[.!?\n:;,]?\s*\b(?:so|and|but|really|just|please|ok|okay|hey),? "


_I_OWN = r"(?:i (?:was wrong|should(?:n't| not)? have|messed up|made a mistake|did)|it was my)"
# Verbs that say what the writer thinks or feels, not what they did ("I didn't mean to").
_NOT_AN_ACT = (
    r"(?:mean|know|think|realise|realize|expect|intend|want|notice|see|have|get|understand|"
    r"care|need|like|feel|agree|believe|do (?:anything|nothing)|say (?:that|anything)|"
    r"am|'m|hope|guess|wish|felt|thought|knew|meant|wanted|value|trust|respect|appreciate|"
    r"couldn't|could not|can't|cannot|get|got|receive|received|hear|heard|saw|assume|assumed|"
    r"won't|won|will|would|wouldn't|refuse|refused|may|might|must)\b"
)
# Gerunds after "sorry for" that are politeness, not an admission ("sorry for bothering you").
_POLITE_ING = r"(?:bothering|asking|chasing|nagging|rambling|interrupting your|caring|existing|breathing|trying)\b"
_PRAISE_NEARBY = _rx(
    r"\b(?:thank(?:s|ful| you)(?! (?:a lot|for nothing))|grateful|appreciate|admire|impressive|amazing|"
    r"proud of|well done|love (?:how|that|working))\b"
)

_NON_APOLOGY_WHY = (
    "This apologizes for their reaction or hedges the apology, so it reads as no apology at all."
)
_NON_APOLOGY_FIX = 'Name what you did and own it: "I\'m sorry I <what I did>; that was my mistake."'

RULES: Final[tuple[Rule, ...]] = (
    # ---- problems -------------------------------------------------------------
    Rule(
        "non_apology",
        PROBLEM,
        _rx(
            r"\b(?:sorry|apologi[sz]e|regret)(?: that| if)? (?:you|anyone|people|someone|some of you)"
            r"(?:'re| are| were| was| is| feel| felt| got| took| take| think| thought| see| saw| found)\b"
            r"(?! (?:going|dealing|having|facing|stuck|sick|ill|unwell|not feeling|in pain|through)\b)"
            r"|\b(?:sorry|apologi[sz]e) if (?:i|we|anything|anyone|that|this|(?:my|our) \w+|it)\b[^.!?\n]{0,40}?"
            r"\b(?:offended|upset|hurt|bothered|came across|seemed|inconvenienced|caused)\b"
            r"|\bmistakes were made\b"
            r"|\b(?:apologies|sorry|apologi[sz]e)(?: for)? any (?:inconvenience|confusion|misunderstanding"
            r"|trouble|offen[cs]e)"
        ),
        _NON_APOLOGY_WHY,
        _NON_APOLOGY_FIX,
    ),
    Rule(
        # "Sorry, but ..." takes the apology back where one is being made; elsewhere it is
        # usually a polite refusal ("Sorry, but the room is booked"), so only these steps.
        "non_apology",
        PROBLEM,
        _rx(
            r"\b(?:i'm |i am |we're |we are )?sorry,? but (?!"
            + _I_OWN
            + r"|(?:could|can|would|will|do|did|is|are|please|may)\b"
            r"|(?:i|we) (?:need|have to|must|can't|cannot|won't be able)\b)"
            # "I'm sorry I was short with you, but you always ...": the apology turns on them
            r"|\b(?:sorry|apologi[sz]e)\b(?! to hear\b| for (?:your|the) loss\b)[^.!?\n]{0,60}?,? but you "
            r"(?:always|never|keep|didn't|did not|were the one)\b"
        ),
        _NON_APOLOGY_WHY,
        _NON_APOLOGY_FIX,
        steps=("acknowledgment", "apology", "empathy"),
    ),
    Rule(
        "excuse",
        PROBLEM,
        _rx(
            r"\b(?:it's|it is|it was|it wasn't|that's|that was) not (?:really )?my fault\b"
            r"|\bit wasn't (?:really )?my fault\b|\bi (?:had|was given) no (?:other )?choice\b"
            r"|\bi couldn't help it\b|\bwhat (?:else )?was i supposed to do\b"
            r"|\banyone (?:else )?would have done the same\b|\bi only did (?:it|that|this) because\b"
            r"|\b(?:sorry|apologi[sz]e)[^.!?\n]{0,60}?\bbut i (?:was|had been) (?:just |really |so |completely "
            r"|totally )*(?:busy|swamped|slammed|stressed|overwhelmed|tired|exhausted)\b"
            r"|\b(?:sorry|apologi[sz]e)[^.!?\n]{0,60}?\bbut i had (?:\w+ )?(?:too many|so many|other|two|three"
            r"|four|five|several|\d+) (?:other )?(?:deadlines|meetings|priorities|projects|calls|fires)\b"
        ),
        "An excuse next to an apology tells the reader you do not think you were at fault.",
        'Drop the reason or give it after owning the mistake, without "but".',
    ),
    Rule(
        "blame_shift",
        PROBLEM,
        _rx(
            r"\byou made me\b(?! (?:laugh|smile|realise|realize|think|proud|happy|feel (?:welcome|better"
            r"|included|at home|valued|heard|seen))\b)"
            r"|\b(?:it's|it is|it was|that's|that is) (?:all )?(?:your|their) fault\b"
            r"|\bbecause of you\b|\byou started (?:it|this)\b|\bthat's on you\b"
            r"|\bif you had(?:n't| not)?\b[^.!?\n]{0,100}?\bi (?:would|could)(?:n't| not)? have\b"
            r"|\bbecause you (?:didn't|did not|never|forgot to) [^.!?\n]{0,40}?\b(?:like|as) i (?:asked|told you"
            r"|said)\b"
            r"|\byou should have (?:told|asked|warned|reminded|checked with) me\b"
            r"|\byou(?:'re| are) the one who\b|\bif you (?:weren't|were not|didn't|did not)\b"
            r"[^.!?\n]{0,40}?\bi wouldn't\b"
        ),
        "This puts the cause on the other person, which invites them to defend themselves.",
        'Describe your own part: "I should have checked with you first."',
        veto=_PRAISE_NEARBY,  # "because of you we shipped on time, thank you"
        accept=lambda text, start, end: not _praise_follows(text, start),
    ),
    Rule(
        "defensive",
        PROBLEM,
        _rx(
            r"\bi (?:did|have done) nothing wrong\b|\bi don't see (?:what|why) the (?:big )?(?:problem|issue|deal)\b"
            r"|\bi'm not the one who\b|\bthat's not what i (?:said|meant)\b(?! to (?:write|type|send|attach|paste|link))"
            r"|\bi was (?:only|just) trying to help\b(?=\s*(?:[.!?,;]|$|and\b|but\b|you\b|out\b))"
            r"|\bdon't blame me\b"
            r"|\bhow (?:was|am|were) i (?:supposed|meant|expected) to (?:know|guess|tell)\b"
            r"|\bi have nothing to apologi[sz]e for\b"
            r"|\bi don't (?:know|understand) why you(?:'re| are) (?:so )?(?:upset|angry|mad)\b"
            r"|\bi(?:'ve| have) been nothing but (?:\w+ )?(?:supportive|fair|patient|kind|helpful|professional"
            r"|respectful|understanding|honest|reasonable|nice|polite) (?:to|with|of|toward|towards) you\b|\bi (?:don't|do not) accept that i\b"
            r"|\bso now i'm the (?:bad guy|villain|problem)\b"
            r"|\bi (?:refuse|won't|will not|am not going|'m not going) (?:to )?apologi[sz]e\b"
        ),
        "Defending yourself first signals you are not open to hearing how it landed.",
        'Start with curiosity: "Help me understand how it came across to you."',
    ),
    Rule(
        "sarcasm",
        PROBLEM,
        _rx(
            r"\bthanks for nothing\b|\byeah,? right\b(?=\s*(?:[.!?,]|$|as if\b|like\b|because\b))|\bmust be nice\b(?= to\b|\s*[.!,;]|$)"
            r"|\bsorry for (?:caring|existing|breathing|trying|having an opinion|doing my job)\b"
            r"|\b(?:oh|wow),? (?:great|wonderful|brilliant|perfect|fantastic)\b(?=[^.!?\n]{0,60}\b(?:again|another"
            r"|just what (?:i|we) needed|exactly what (?:i|we) needed|as usual|of course)\b)"
            r"|\b(?:great|nice|good|fantastic|brilliant|wonderful) job (?:ignoring|forgetting|missing|ruining"
            r"|breaking|losing|wasting|ghosting|leaving)\b"
            r"|\bwhatever you say\b(?=\s*(?:[.!,]|$))|\bclearly you know best\b|\bthanks a lot\b(?= for (?:nothing|that mess|ruining))"
            r"|\bcongratulations on (?:finally|actually)\b"
        ),
        "Sarcasm is read as contempt in writing, even when it is meant lightly.",
        "Say the point plainly: what happened and how it affected you.",
    ),
    Rule(
        "absolute_language",
        PROBLEM,
        _rx(
            r"\byou(?:'re| are|'ve| have)? (?:always|never|constantly)\b(?! (?:fail|cease|disappoint|hesitate"
            r"|know\b(?! (?:when|how|what) to\b)|let (?:me|us|anyone|the team|them) down|miss (?:a|an|the|any)|forget (?:a|an|to thank)|complain"
            r"|give up|need to|have to|deserve|been|do (?:great|good|such|a great)|bring|help|support"
            r"|make (?:sure|time)|know how|go above|deliver|come through|manage to|find (?:a|the) way"
            r"|welcome|so|such|there|ready|willing|happy|glad|generous|kind|helpful|great|first|on time"
            r"|right|able)\b)"
            r"|\byou keep (?:on )?\w+ing\b|\bevery single time\b(?=[^.!?\n]*\byou)"
            r"|\byou (?:\w+ ){0,2}constantly \w+ing\b"
        ),
        '"Always" and "never" turn one event into a verdict on the person and start an argument about exceptions.',
        'Name the specific time: "In Tuesday\'s meeting, when ...".',
        veto=_PRAISE_NEARBY,
        accept=_verdict,
    ),
    Rule(
        "minimizing",
        PROBLEM,
        _rx(
            r"\bit was (?:just|only) a joke\b|\byou(?:'re| are) (?:\w+ )?(?:over-?reacting|being dramatic)\b"
            r"|\byou(?:'re| are) (?:being )?(?:a (?:bit|little) |way |far )?(?:too|so|overly) "
            r"(?:sensitive|touchy|emotional)\b"
            r"|\bcalm down\b(?=\s*(?:[.!?,;]|$|and\b|please\b|now\b|a bit\b|first\b))|\bget over it\b"
            r"|\b(?:you(?:'re| are)?|are you|you keep) mak(?:e|es|ing) (?:a |such a )?(?:big )?"
            r"(?:deal|fuss|drama|mountain) (?:out of|about)\b"
            r"|\b(?:it's|it is|it was|that's|that is|this is) not (?:that big(?: of)? a|such a big) deal\b"
            r"|\bit (?:wasn't|was not|isn't|is not) (?:that big(?: of)? a|such a big) deal\b"
            r"|\bdon't be so (?:dramatic|sensitive|touchy)\b|\bit's not that serious\b"
            r"|\bblow(?:ing|n)? (?:this|it|things) out of proportion\b|\blighten up\b(?=\s*(?:[.!,]|$))"
        ),
        "This tells them their reaction is the problem, which deepens the hurt.",
        'Acknowledge the effect: "I can see this mattered to you."',
        # "calm down" said to someone, not "when things calm down"
        accept=_preceded_by(_OPENS + r"|\byou (?:should|need to|have to|must) ", when="calm"),
    ),
    Rule(
        "pressure",
        PROBLEM,
        _rx(
            r"\b(?:reply|respond|answer|get back to me|let me know|call me)\b[^.!?\n]{0,20}?"
            r"\b(?:asap|immediately|right away|right now|within the hour|by end of (?:the )?day|today)\b"
            r"|\b(?:i )?(?:need|expect|want|demand) (?:an|your|a) (?:answer|reply|response|decision)\b"
            r"[^.!?\n]{0,15}?\b(?:now|today|tonight|asap|immediately|right away|by (?:tonight|tomorrow|noon|eod"
            r"|end of (?:the )?day|\d{1,2}(?::\d\d)? ?(?:am|pm)))\b"
            r"|\bor else\b(?=\s*(?:[.!?]|$|i(?:'ll| will| am|'m)\b))|\bthis is your (?:last|final) (?:chance|warning)\b"
            r"|\bfinal warning\b|\bnon-?negotiable\b"
            r"|\bif you (?:don't|do not|won't|will not|refuse to)\b[^.!?\n]{0,60}?\bi(?:'ll| will| am going to)"
            r" (?:have to )?(?:escalate|report|go to|take this to|take it to|involve|file|quit|cc)\b"
            r"|\byou have until\b"
            r"|\b(?:get|send) (?:it|this|that|them) (?:back )?to me (?:within the hour|immediately|right now"
            r"|right away)\b"
            r"|\b(?:by|before) [^.!?\n]{0,40}?,? or (?:we|i)(?:'ll| will)? (?:(?:drop|cancel|pull) (?:it|this|the "
            r"(?:deal|contract|project))|walk away|find (?:another|someone else)|escalate|go over your head"
            r"|take (?:it|this) elsewhere)\b"
        ),
        "Demanding a fast answer or adding a threat makes the other person feel cornered.",
        'Leave them room: "Whenever you are ready, I\'d like to talk."',
        veto=_rx(
            r"\bno (?:pressure|rush|hurry)\b|\bif (?:you can(?!'t| ?not)|possible|that works|you're able)\b"
            r"|\bwhen you (?:can|get a chance|have a (?:minute|moment))\b"
        ),
    ),
    Rule(
        "vague_commitment",
        PROBLEM,
        _rx(
            r"\bi(?:'ll| will) (?:try to |try and )?(?:do|be) better\b(?![^.!?\n]*\b(?:by \w+ing|every|each|"
            r"starting|from (?:monday|tuesday|wednesday|thursday|friday)|weekly|daily))"
            r"|\bi(?:'ll| will) try (?:harder|my best)\b(?![^.!?\n]*\b(?:by \w+ing|every|each|starting))"
            r"|\bit won't happen again\b(?![^.!?\n]*\b(?:because i(?:'ll| will|'ve| have)|i(?:'ll| will) now|from now on i))"
            r"|\bi(?:'ll| will) work on (?:it|that|this|myself|things)\s*[.!\n]"
            r"|\bi(?:'ll| will) (?:[^.!?\n]{0,40}? and )?(?:be|try to be) more (?:careful|mindful|thoughtful"
            r"|considerate)\s*(?:[.!\n]|$)"
            r"|\bi(?:'ll| will) (?:try to )?(?:communicate|listen|plan) better\b(?![^.!?\n]*\b(?:by \w+ing|every"
            r"|each|starting|from (?:monday|tuesday|wednesday|thursday|friday)|weekly|daily))"
        ),
        "A promise with no concrete action or date cannot be checked, so it is hard to trust.",
        'Say what you will do and when: "From Monday I\'ll send you the draft a day before the meeting."',
    ),
    Rule(
        "passive_evasion",
        PROBLEM,
        _rx(
            r"\b(?:the|a|your|that) (?:ball|deadline|email|message|ticket|file|report|task|invite|"
            r"invitation|request|update|feedback|credit|name) (?:was|got|has been) (?:dropped|missed|"
            r"lost|forgotten|overlooked|deleted|left off|left out|ignored)\b(?! by (?!(?:\\d|a |an |one |two |three |four |five |a few |several |some |over |almost |nearly |just )))"
            r"|\b(?:errors|things|mistakes) (?:were|have been|got) (?:said|done|made|overlooked|missed)\b"
            r"|\bit (?:was|got) (?:overlooked|forgotten|missed|dropped)\b(?! by (?!(?:\\d|a |an |one |two |three |four |five |a few |several |some |over |almost |nearly |just )))"
            r"|\b(?:was|were) not communicated\b|\bwasn't communicated\b"
            r"|\bit was decided (?:that )?(?:you|your)\b"
            r"|\b(?:the|a|your|that) (?:\w+ )?(?:email|message|file|report|invoice|pricing|numbers|figures|slides"
            r"|deck|data|document|contract|update) (?:was|were|got) (?:sent|shared|published|posted|released) "
            r"(?:with the wrong|to the wrong|by mistake|in error|before (?:it|they) (?:was|were) (?:approved|ready"
            r"|checked|reviewed))\b(?![^.!?\n]{0,40}?\bby (?!mistake\b))"  # "... by the bot" names who
        ),
        'The passive voice hides who did it; the reader notices the missing "I".',
        'Put yourself in the sentence: "I missed the deadline."',
    ),
    Rule(
        "fake_empathy",
        PROBLEM,
        _rx(
            r"\bi (?:totally |completely |do |really )?(?:understand|hear (?:you|what you're saying|what you mean)"
            r"|get (?:it|that)|see (?:that|your point|where you're coming from)|know how you feel"
            r"|know (?:it's|this is|that's|it is) (?:hard|frustrating|difficult|annoying|upsetting|tough|a lot)"
            r"|appreciate (?:that|your \w+)|respect that)\b[^.!?\n]{0,40}?,? but\b"
            r"(?! (?:i (?:was wrong|should have|messed up|made)|it was my))"
        ),
        '"I understand, but" cancels the understanding: the reader only hears what follows "but".',
        'Stop after the understanding, or use "and": "I understand why that upset you, and ...".',
    ),
    Rule(
        "shouting",
        PROBLEM,
        re.compile(r"\b[A-Z]{2,}(?:['\u2019][A-Z]+)?(?:[ \t]+[A-Z]+(?:['\u2019][A-Z]+)?)+\b"),
        "Several words in capitals read as shouting.",
        "Write it in normal case; if something matters, say why it matters.",
        raw=True,  # matched on the original text: it is about capitals
        accept=_loud,
    ),
    Rule(
        "closed_question",
        PROBLEM,
        _rx(
            r"\b(?:have you (?:tried|considered|thought about)|why don't you|why didn't you|"
            r"wouldn't it be (?:better|easier)|shouldn't you|can't you just|did you (?:try|think))\b"
            r"[^.!?\n]{0,120}\?"
        ),
        "While listening, a suggestion phrased as a question closes the conversation down.",
        'Ask openly instead: "What have you been thinking about trying?"',
        accept=_not_preceded_by(
            r"\b(?:what|which|else|how) ", when="have you"
        ),  # "what have you tried?"
        steps=("listening", "empathy"),
    ),
    # ---- strengths -------------------------------------------------------------
    Rule(
        "responsibility_taken",
        PRAISE,
        _rx(
            r"\bi (?:was wrong|messed up|made (?:a|an|the) (?:mistake|error|wrong call)|dropped the ball"
            r"|screwed up|got (?:it|that|this|that call|this one|the \w+) wrong|should(?:n't| not)? have"
            r"|take (?:full |complete )?responsibility|own (?:this|that|it|my part|the mistake)"
            r"|am responsible|failed to)\b"
            # "I entered the wrong rate": the writer's own act and what was wrong with it
            r"|\bi (?!"
            + _NOT_AN_ACT
            + r")(?:\w+ed|sent|put|gave|made|took|wrote|used|quoted|paid|picked"
            r"|shared|showed|read|chose|set|told) (?:[a-z',-]+ ){0,5}?(?:the |an? )?(?:wrong|incorrect"
            r"|mistaken)\b"
            r"|\b(?:and|but) should(?:n't| not)? have (?!been told|known)\w+"
            r"|\b(?:it|that|this) (?:was|is) (?:entirely |completely |all |totally )?my "
            r"(?:fault|mistake|error|responsibility|doing|call|decision)\b"
            r"|\bmy (?:mistake|fault|bad|error)\b"
            r"|\b(?:the|that) (?:mistake|fault|error|decision|blame|responsibility) (?:was|is) (?:all |entirely )?mine\b"
            r"|\b(?:that's|that is|it's|it is|this is|this one's) on me\b"
            r"|\b(?:a |the )?(?:failure|mistake|error|oversight|lapse) on my part\b"
            r"|\bi(?:'m| am| was) the one who\b"
            r"|\b(?:that|it) (?:wasn't|was not|isn't|is not) fair (?:to|on) you\b"
            r"|\b(?:bug|mistake|error|problem) (?:that )?i (?:introduced|caused|made|created)\b"
            r"|\b(?:sorry|apologi[sz]e),? (?:that )?i (?!"
            + _NOT_AN_ACT
            + r")(?:didn't |did not |never )?\w+"
            r"|\b(?:sorry|apologi[sz]e) for (?:not |never )?(?!"
            + _POLITE_ING
            + r"|\w*thing\b)\w+ing\b"
            r"|\bapologi[sz]e for (?:my|what i)\b"
        ),
        "You own your part plainly; research on apologies finds this matters most.",
        accept=_not_preceded_by(
            r"(?:n't|\bnot|\bnever|\breally) ", when="my "
        ),  # "it wasn't my fault"
    ),
    Rule(
        "specific_behavior_named",
        PRAISE,
        _rx(
            r"\bi (?:interrupted|dismissed|ignored|missed|forgot|criticized|criticised|yelled|snapped|"
            r"raised my voice|took credit|cut you off|talked over|spoke over|cancell?ed|reassigned|"
            r"overruled|blamed|embarrassed|undermined|excluded|left you out|changed|rewrote|"
            r"went over your head|presented|shared|sent|warned|rescheduled|booked|forwarded|approved|"
            r"signed off|committed|moved|skipped|scheduled|double-booked|delayed|postponed|stayed quiet|went quiet|made (?:a|that) "
            r"(?:joke|comment|remark)|promised|pushed|mocked|questioned|contradicted|deleted|removed|"
            r"withheld|stopped replying|gave (?:your|the|you)|told (?:the|everyone|them)|left you|"
            r"entered|typed|copied|attached|quoted|misread|miscalculated|mislabell?ed)\b"
            r"|\bi (?:didn't|did not|never) (?!" + _NOT_AN_ACT + r")\w+"
            r"|\bi(?:'m| am| was) the one who \w+|\bi was wrong to (?!" + _NOT_AN_ACT + r")\w+"
            r"|\b(?:sorry|apologi[sz]e),? (?:that )?i (?!"
            + _NOT_AN_ACT
            + r")(?:didn't |did not |never )?\w+"
            r"|\b(?:sorry|apologi[sz]e) for (?:not |never )?(?!"
            + _POLITE_ING
            + r"|\w*thing\b)\w+ing\b"
        ),
        "You name the exact thing you did, so they know you understand what happened.",
        # "what I missed" asks, "something I didn't do" denies: neither names an act
        accept=_not_preceded_by(r"\b(?:what|something|anything|things|stuff) ", when="i "),
    ),
    Rule(
        "impact_acknowledged",
        PRAISE,
        _rx(
            r"\b(?:made|left|put|leaving|putting|making) you (?:feel|look|out|in a|in an|in the)\b"
            r"|\bleft (?:you|your \w+) (?:to|with|alone|holding|exposed|shaken|stranded|scrambling|without|\w+ing)\b"
            r"|\bin front of (?:the (?:team|client|group|whole)|everyone|others|your)\b"
            r"|\b(?:cost|hurt|undermined|embarrassed|affected|impacted|set back|frustrated|weakened|damaged"
            r"|disrupted|derailed|blindsided|undercut|exposed) (?:you|your)\b"
            r"|\btook away your\b|\bat your expense\b|\b(?:it|that|which) meant (?:you|your)\b"
            r"|\b(?:the|its) impact (?:on|of)\b|\bextra (?:work|hours|stress) for you\b"
        ),
        "You acknowledge the effect on them, not only the act.",
        accept=lambda text, start, end: not _asks(text, end),  # "how did it affect you?" asks
    ),
    Rule(
        "regret_expressed",
        PRAISE,
        _rx(
            r"\bi(?:'m| am) (?:so |really |truly |deeply |very |genuinely )?sorry\b(?! (?:if|that you|you|to hear"
            r"|for (?:your|the) loss"
            r"|to bother|to interrupt|(?:that )?(?:this|that|it) (?:happened|landed|fell))\b|,? but (?!"
            + _I_OWN
            + r"))"
            r"|\b(?:please accept|i owe you) (?:my|an|our) (?:sincere |sincerest |honest )?apolog(?:y|ies)\b"
            r"|\bapologies\b(?! (?:if|for any)\b|,? but\b)"
            r"|\bi (?:sincerely )?apologi[sz]e\b(?! if\b|,? but\b| for any\b)|\bi (?:deeply |truly )?regret\b"
            r"|\bi feel (?:terrible|awful|bad) (?:about|that)\b|\bi wish i (?:had|hadn't)\b"
            r"|\bsorry\b(?! (?:if|you|to hear"
            r"|to bother|to interrupt|about that|for (?:the|your) loss|for caring|for existing|for breathing"
            r"|for trying|for any)\b|,? but\b)"
        ),
        "You say you are sorry in plain words.",
        # A bare "Sorry"/"Apologies" opens a sentence: "Sorry, Lena." but not "feel sorry".
        accept=_all(_preceded_by(_OPENS, when="sorry"), _preceded_by(_OPENS, when="apologies")),
    ),
    Rule(
        "repair_offered",
        PRAISE,
        _rx(
            r"\bi(?:'d| would) like to (?:fix|make (?:it|this|that) right|make (?:it|this) up|repair|correct|"
            r"set the record straight)\b|\b(?:i(?:'ll| will)|let me) (?:fix|correct|redo|set the record "
            r"straight|make sure you get (?:the )?credit|tell (?:the team|everyone)|send (?:a|an) "
            r"(?:correction|update) |restore|refund|reimburse|reinstate|undo|reverse|retract)\b"
            r"|\bto (?:withdraw|retract|correct|undo|reverse) (?:the|my|it)\b"
            r"|\bhow can i make (?:this|it|things) right\b"
            r"|\bwhat (?:can|could) i do to (?:fix|make|help|repair)\b"
        ),
        "You offer to repair the damage, the second most valued part of an apology.",
    ),
    Rule(
        "future_commitment",
        PRAISE,
        _rx(
            r"\b(?:from now on|going forward|moving forward|in (?:the )?future|next time|from here on)\b"
            r"[^.!?\n]{0,80}?\bi(?:'ll| will)\b(?! just (?:stay|keep|shut|be quiet))"
            r"|\bi(?:'ll| will)\b[^.!?\n]{0,80}?\b(?:from now on|going forward|moving forward|in (?:the )?"
            r"future|next time)\b"
        ),
        "You say what will be different in future.",
    ),
    Rule(
        "open_question",
        PRAISE,
        _rx(
            r"\b(?:what|how|which(?! (?:one|option|version|works|is better|do you prefer|would you prefer"
            r"|would work|suits)\b)|in what way|tell me (?:more )?"
            r"about|could you (?:tell|walk|help) me|would you (?:tell|walk|share|be willing))\b"
            r"(?! (?:could|dare) you\b| the hell\b| were you thinking\b| is wrong with\b|'s wrong with\b"
            r"| is your problem\b|'s your problem\b| (?:else )?(?:was|am|were) i (?:supposed|meant|expected) to\b)"
            r"[^.!?\n]{0,200}\?"
            r"|\b(?:tell me (?:more|about)|walk me through|help me understand"
            r"|where (?:would|do|should) (?:you|we) (?:\w+ ){0,3}?(?:start|begin))\b[^.!?\n]{0,200}"
        ),
        "An open question invites them to tell you more in their own words.",
        accept=_preceded_by(_OPENS),
    ),
    Rule(
        "reflection",
        PRAISE,
        _rx(
            r"\bwhat i(?:'m| am) hearing\b|\b(?:it )?(?:sounds|seems) like you\b"
            r"|\b(?:it|that) (?:sounds|seems) like (?:the|your|things|work|this has)\b|\bif i(?:'m| am) hearing "
            r"you\b|\bif i understand (?:you|correctly|this right)\b|\bso you(?:'re| are)? (?:saying|feeling|"
            r"felt|feel)\b|\blet me (?:make sure i understand|check i understand|see if i understand)\b"
        ),
        "You reflect back what you heard, which shows you were listening.",
    ),
    Rule(
        "empathy_emotional_reaction",
        PRAISE,
        _rx(
            r"\bi(?:'m| am) (?:so |really |truly |very )?sorry (?:to hear|that happened|you (?:had|went|were "
            r"going|have been going) through)\b|\b(?:that|this|it) (?:sounds|must have been|must be|seems) "
            r"(?:really |so |incredibly |very )?(?:hard|difficult|awful|rough|frustrating|painful|stressful|"
            r"exhausting|upsetting|discouraging|unfair|tough|scary|lonely|demoralizing|infuriating|hurtful|"
            r"overwhelming|brutal|draining|heavy)\b|\b(?:that|this|it) sounds like (?:a lot|it(?:'s| has) been "
            r"(?:weighing|hard|rough|tough|a lot)|a (?:really |very )?(?:brutal|hard|rough|tough|difficult|stressful"
            r"|lot))\b|\bweighing on you\b|\bi feel (?:for you|bad that|terrible that|awful that)\b"
            r"|\bmy heart goes out\b"
            r"|\bi(?:'m| am) (?:so |really |very )?(?:glad|happy|relieved|sad|worried|concerned) (?:that you|"
            r"for you|to hear|about you)\b|\bi (?:really )?care about (?:you|our|how you)\b|\bhugs\b"
            r"|\bthat (?:really )?sucks\b|\bi can only imagine\b|\b(?:so )?sorry to hear\b"
            r"|\bsorry for your loss\b"
        ),
        "You respond with warmth to how they feel.",
    ),
    Rule(
        # "That must have been so disheartening": a feeling word VADER rates negative
        # after "that sounds / must have been", beyond the list above.
        "empathy_emotional_reaction",
        PRAISE,
        _rx(
            r"\b(?:that|this|it) (?:sounds|sounded|must have been|must be|would have been) "
            r"(?:really |so |incredibly |very |pretty |quite |truly |deeply )*[a-z]+\b"
        ),
        "You respond with warmth to how they feel.",
        accept=lambda text, start, end: (
            vader_lexicon().get(_WORD.findall(text[start:end])[-1], 0.0) <= -_FEELING_VALENCE
        ),
    ),
    Rule(
        "empathy_interpretation",
        PRAISE,
        _rx(
            r"\bi (?:can |do |totally |completely )?(?:understand|see|get) (?:why|how)\b(?=[^.!?\n]{0,60}\b(?:you"
            r"|your|felt|feel|feels|hurt|upset|angry|frustrat\w*|annoy\w*|sting|stung|mattered|landed)\b)"
            r"|\bi (?:know|understand) "
            r"how (?:you feel|that feels|it feels|hard|frustrating|painful|it is)\b|\bi(?:'ve| have) been "
            r"(?:there|through (?:this|that|it|something))\b|\bi (?:went|have gone|am going) through "
            r"(?:something|the same|a similar|this|that)\b|\b(?:it|that) makes (?:total |complete |perfect )?"
            r"sense (?:that|why) you\b|\bmakes (?:total |complete |perfect )?sense (?:to me )?(?:given|after|considering)\b|\bno wonder (?:you|the|it|that|this)\b"
            r"|\b(?:it's|it is|that's|that is) (?:completely |totally |perfectly |entirely |very |so )?"
            r"(?:understandable|reasonable|natural|normal|valid) (?:to feel|that you|you(?:'d| would| feel| felt))\b"
            r"|\bi can imagine\b|\b(?:must|would) have stung\b|\b(?:i'd|i would|anyone would)(?: have)? (?:feel|be|felt"
            r"|been) (?:\w+ )?(?:the same|upset|frustrated|angry|hurt|furious|annoyed|too)\b"
            r"|\byou (?:must|might) (?:be|have been|feel|have felt)\b|\bi imagine (?:you|that|it)\b"
        ),
        "You show you understand their feelings or experience.",
    ),
)

RULES_BY_CODE: Final = {r.code: r for r in RULES}

#: Cheap pre-filter: a rule runs only when one of its trigger tokens is in the draft.
#: Each list holds every word at least one alternation of the pattern cannot match
#: without (tests check each positive example still fires).
TRIGGERS: Final[dict[str, frozenset[str]]] = {
    code: frozenset(words.split())
    for code, words in {
        "non_apology": "sorry apologize apologise apologies mistakes regret",
        "excuse": "fault choice help supposed anyone only busy swamped slammed stressed "
        "overwhelmed tired exhausted deadlines meetings priorities projects calls fires",
        "blame_shift": "made fault because started that's if should one",
        "defensive": "nothing see one said meant help blame supposed expected apologize apologise why "
        "accept now refuse",
        "sarcasm": "thanks yeah nice sorry oh wow whatever clearly congratulations job",
        "absolute_language": "always never constantly keep every",
        "minimizing": "joke overreacting over dramatic sensitive touchy emotional calm deal fuss "
        "drama mountain big serious proportion lighten",
        "pressure": "asap immediately right hour end today answer reply response decision else "
        "chance warning negotiable nonnegotiable until escalate report go take involve file quit cc "
        "drop cancel pull walk find",
        "vague_commitment": "better harder best again work careful mindful thoughtful considerate",
        "passive_evasion": "dropped missed lost forgotten overlooked deleted left ignored said done "
        "made communicated decided sent shared published posted released",
        "fake_empathy": "but",
        "closed_question": "?",
        "responsibility_taken": "wrong messed mistake dropped screwed should shouldn't responsibility "
        "own responsible failed fault doing call bad me got error mine part one fair sorry apologize "
        "incorrect mistaken "
        "introduced caused created "
        "apologise",
        "specific_behavior_named": "interrupted dismissed ignored missed forgot criticized criticised "
        "yelled snapped raised took cut talked spoke cancelled canceled reassigned overruled blamed "
        "embarrassed undermined excluded left changed rewrote went presented shared sent didn't did never "
        "one sorry apologize apologise warned rescheduled booked forwarded approved signed committed "
        "moved skipped delayed postponed stayed made promised pushed mocked questioned contradicted "
        "deleted removed withheld stopped gave told scheduled double wrong entered typed copied "
        "attached quoted misread miscalculated mislabeled mislabelled",
        "impact_acknowledged": "made left put leaving putting making front cost hurt undermined "
        "embarrassed affected impacted set frustrated impact extra weakened damaged disrupted derailed "
        "blindsided undercut took expense meant exposed",
        "regret_expressed": "sorry apologize apologise apologies apology regret feel wish",
        "repair_offered": "fix right up repair correct redo record credit tell send help restore refund "
        "reimburse reinstate undo reverse retract withdraw",
        "future_commitment": "now forward future next here",
        "open_question": "? tell walk help",
        "reflection": "hearing sounds seems understand saying feeling felt feel make check see",
        "empathy_emotional_reaction": "sorry sounds must seems feel heart glad happy relieved sad worried "
        "concerned care hugs sucks imagine weighing sounded been",
        "empathy_interpretation": "understand see get know been went gone going sense wonder feel be have makes "
        "must might imagine i'd would anyone wonder understandable reasonable natural normal valid "
        "stung",
    }.items()
}
