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
from dataclasses import dataclass
from typing import Final

from mend.coach._text import FOLD

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
    """One finding pattern. ``steps`` limits where it fires (empty: every step)."""

    code: str
    severity: str
    pattern: re.Pattern[str]
    explanation: str
    suggestion: str | None = None
    steps: tuple[str, ...] = ()
    raw: bool = False  # match the original text instead of the folded one

    @property
    def triggers(self) -> frozenset[str] | None:
        """Tokens of which at least one must occur for the rule to run (None: always)."""
        return TRIGGERS.get(self.code)


_I_OWN = r"(?:i (?:was wrong|should(?:n't| not)? have|messed up|made a mistake|did)|it was my)"

RULES: Final[tuple[Rule, ...]] = (
    # ---- problems -------------------------------------------------------------
    Rule(
        "non_apology",
        PROBLEM,
        _rx(
            r"\b(?:sorry|apologi[sz]e)(?: that| if)? (?:you|anyone|people) (?:feel|felt|were|are|got|took"
            r"|think|thought|see|saw)\b|\bsorry if (?:i|anything|anyone|that|this|my \w+)\b[^.!?\n]{0,40}?"
            r"\b(?:offended|upset|hurt|bothered|came across|seemed)\b|\bmistakes were made\b"
            r"|\b(?:apologies|sorry|apologi[sz]e)(?: for)? any (?:inconvenience|confusion|misunderstanding)"
            r"|\b(?:i'm |i am )?sorry,? but (?!" + _I_OWN + r")"
        ),
        "This apologizes for their reaction or hedges the apology, so it reads as no apology at all.",
        'Name what you did and own it: "I\'m sorry I <what I did>; that was my mistake."',
    ),
    Rule(
        "excuse",
        PROBLEM,
        _rx(
            r"\b(?:it's|it is|it was|it wasn't|that's|that was) not (?:really )?my fault\b"
            r"|\bit wasn't (?:really )?my fault\b|\bi (?:had|was given) no (?:other )?choice\b"
            r"|\bi couldn't help it\b|\bwhat (?:else )?was i supposed to do\b"
            r"|\banyone (?:else )?would have done the same\b|\bi only did (?:it|that|this) because\b"
            r"|\b(?:sorry|apologi[sz]e)[^.!?\n]{0,60}?\bbut i (?:was|had been) (?:just |really |so )*"
            r"(?:busy|swamped|slammed|stressed|overwhelmed|tired|exhausted)\b"
        ),
        "An excuse next to an apology tells the reader you do not think you were at fault.",
        'Drop the reason or give it after owning the mistake, without "but".',
    ),
    Rule(
        "blame_shift",
        PROBLEM,
        _rx(
            r"\byou made me\b|\b(?:it's|it is|it was|that's|that is) (?:all )?(?:your|their) fault\b"
            r"|\bbecause of you\b|\byou started (?:it|this)\b|\bthat's on you\b"
            r"|\bif you had(?:n't| not)?\b[^.!?\n]{0,60}?\bi (?:would|wouldn't|would not)(?: have)?\b"
            r"|\byou should have (?:told|asked|warned|reminded|checked with) me\b"
            r"|\byou(?:'re| are) the one who\b|\bif you (?:weren't|were not|didn't|did not)\b"
            r"[^.!?\n]{0,40}?\bi wouldn't\b"
        ),
        "This puts the cause on the other person, which invites them to defend themselves.",
        'Describe your own part: "I should have checked with you first."',
    ),
    Rule(
        "defensive",
        PROBLEM,
        _rx(
            r"\bi (?:did|have done) nothing wrong\b|\bi don't see (?:what|why) the (?:big )?(?:problem|issue|deal)\b"
            r"|\bi'm not the one who\b|\bthat's not what i (?:said|meant)\b"
            r"|\bi was (?:only|just) trying to help\b|\bdon't blame me\b"
            r"|\bhow was i supposed to know\b|\bi have nothing to apologi[sz]e for\b"
            r"|\bi don't (?:know|understand) why you(?:'re| are) (?:so )?(?:upset|angry|mad)\b"
        ),
        "Defending yourself first signals you are not open to hearing how it landed.",
        'Start with curiosity: "Help me understand how it came across to you."',
    ),
    Rule(
        "sarcasm",
        PROBLEM,
        _rx(
            r"\bthanks for nothing\b|\byeah,? right\b|\bmust be nice\b"
            r"|\bsorry for (?:caring|existing|breathing|trying|having an opinion)\b"
            r"|\b(?:oh|wow),? (?:great|wonderful|brilliant|perfect|fantastic)\b(?![^.!?\n]{0,20}\b(?:news|idea|work|job)\b)"
            r"|\bwhatever you say\b|\bclearly you know best\b|\bthanks a lot\b(?= for (?:nothing|that mess|ruining))"
            r"|\bcongratulations on (?:finally|actually)\b"
        ),
        "Sarcasm is read as contempt in writing, even when it is meant lightly.",
        "Say the point plainly: what happened and how it affected you.",
    ),
    Rule(
        "absolute_language",
        PROBLEM,
        _rx(
            r"\byou(?:'re| are)? (?:always|never|constantly)\b(?! (?:have to|need to|deserve|been (?:great|"
            r"generous|kind|helpful)|do (?:great|good|such)|bring|help|support|make (?:sure|time)|know how|"
            r"go above|fail to impress|cease to))|\byou keep (?:on )?\w+ing\b|\bevery single time\b"
        ),
        '"Always" and "never" turn one event into a verdict on the person and start an argument about exceptions.',
        'Name the specific time: "In Tuesday\'s meeting, when ...".',
    ),
    Rule(
        "minimizing",
        PROBLEM,
        _rx(
            r"\bit was (?:just|only) a joke\b|\byou(?:'re| are) (?:over-?reacting|being dramatic)\b"
            r"|\byou(?:'re| are) (?:being )?(?:too|so|overly) sensitive\b|\bcalm down\b|\bget over it\b"
            r"|\bmak(?:e|es|ing) (?:a |such a )?(?:big )?(?:deal|fuss|drama|mountain) (?:out of|about)\b"
            r"|\bit (?:wasn't|was not|isn't|is not) (?:that|such a) big (?:of a )?deal\b"
            r"|\bdon't be so (?:dramatic|sensitive|touchy)\b|\bit's not that serious\b"
            r"|\bblow(?:ing|n)? (?:this|it|things) out of proportion\b|\blighten up\b"
        ),
        "This tells them their reaction is the problem, which deepens the hurt.",
        'Acknowledge the effect: "I can see this mattered to you."',
    ),
    Rule(
        "pressure",
        PROBLEM,
        _rx(
            r"\b(?:reply|respond|answer|get back to me|let me know|call me)\b[^.!?\n]{0,20}?"
            r"\b(?:asap|immediately|right away|right now|within the hour|by end of (?:the )?day|today)\b"
            r"|\bi (?:need|expect|want|demand) (?:an|your|a) (?:answer|reply|response|decision)\b"
            r"[^.!?\n]{0,15}?\b(?:now|today|asap|immediately|right away|by)\b"
            r"|\bor else\b|\b(?:this is your|last|final) (?:chance|warning)\b|\bnon-?negotiable\b"
            r"|\bif you (?:don't|do not|won't|refuse to)\b[^.!?\n]{0,60}?\bi(?:'ll| will| am going to)"
            r" (?:have to )?(?:escalate|report|go to|take this to|involve|file|quit|cc)\b"
            r"|\byou have until\b"
        ),
        "Demanding a fast answer or adding a threat makes the other person feel cornered.",
        'Leave them room: "Whenever you are ready, I\'d like to talk."',
    ),
    Rule(
        "vague_commitment",
        PROBLEM,
        _rx(
            r"\bi(?:'ll| will) (?:try to |try and )?(?:do|be) better\b(?![^.!?\n]*\b(?:by \w+ing|every|each|"
            r"starting|from (?:monday|tuesday|wednesday|thursday|friday)|weekly|daily))"
            r"|\bi(?:'ll| will) try (?:harder|my best)\b(?![^.!?\n]*\b(?:by \w+ing|every|each|starting))"
            r"|\bit won't happen again\b(?![^.!?\n]*\b(?:because i(?:'ll| will)|i(?:'ll| will) now|from now on i))"
            r"|\bi(?:'ll| will) work on (?:it|that|this|myself|things)\s*[.!\n]"
            r"|\bi(?:'ll| will) (?:be|try to be) more (?:careful|mindful|thoughtful|considerate)\s*[.!\n]"
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
            r"lost|forgotten|overlooked|deleted|left off|left out|ignored)\b(?! by me)"
            r"|\b(?:errors|things|mistakes) (?:were|have been|got) (?:said|done|overlooked|missed)\b"
            r"|\bit (?:was|got) (?:overlooked|forgotten|missed|dropped)\b(?! by me)"
            r"|\b(?:was|were) not communicated\b|\bwasn't communicated\b"
        ),
        'The passive voice hides who did it; the reader notices the missing "I".',
        'Put yourself in the sentence: "I missed the deadline."',
    ),
    Rule(
        "fake_empathy",
        PROBLEM,
        _rx(
            r"\bi (?:totally |completely |do |really )?(?:understand|hear you|get (?:it|that)|see (?:that|"
            r"your point|where you're coming from)|know how you feel|appreciate (?:that|your \w+)|"
            r"respect that)\b[^.!?\n]{0,40}?,? but\b(?! (?:i (?:was wrong|should have|messed up|made)|"
            r"it was my))"
        ),
        '"I understand, but" cancels the understanding: the reader only hears what follows "but".',
        'Stop after the understanding, or use "and": "I understand why that upset you, and ...".',
    ),
    Rule(
        "shouting",
        PROBLEM,
        re.compile(r"\b[A-Z]{3,}(?:['\u2019][A-Z]+)?(?:[ \t]+[A-Z]{2,}(?:['\u2019][A-Z]+)?)+\b"),
        "Several words in capitals read as shouting.",
        "Write it in normal case; if something matters, say why it matters.",
        raw=True,  # matched on the original text: it is about capitals
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
        steps=("listening", "empathy"),
    ),
    # ---- strengths -------------------------------------------------------------
    Rule(
        "responsibility_taken",
        PRAISE,
        _rx(
            r"\bi (?:was wrong|messed up|made a mistake|dropped the ball|screwed up|got (?:it|that) wrong|"
            r"should(?:n't| not)? have|take (?:full |complete )?responsibility|own (?:this|that|it|my part)|"
            r"am responsible|failed to)\b|\b(?:it|that|this) (?:was|is) (?:entirely |completely |all )?my "
            r"(?:fault|mistake|responsibility|doing|call)\b|\bmy (?:mistake|fault|bad)\b|\bthat's on me\b"
        ),
        "You own your part plainly; research on apologies finds this matters most.",
    ),
    Rule(
        "specific_behavior_named",
        PRAISE,
        _rx(
            r"\bi (?:interrupted|dismissed|ignored|missed|forgot|criticized|criticised|yelled|snapped|"
            r"raised my voice|took credit|cut you off|talked over|spoke over|cancell?ed|reassigned|"
            r"overruled|blamed|embarrassed|undermined|excluded|left you out|changed|rewrote|"
            r"went over your head|presented|shared|sent|didn't (?:credit|include|tell|invite|reply|"
            r"respond|answer|thank|mention|consult|ask|check|listen|follow))\b"
        ),
        "You name the exact thing you did, so they know you understand what happened.",
    ),
    Rule(
        "impact_acknowledged",
        PRAISE,
        _rx(
            r"\b(?:made|left|put|leaving|putting|making) you (?:feel|look|out|in a|in an|in the)\b"
            r"|\bin front of (?:the (?:team|client|group|whole)|everyone|others|your)\b"
            r"|\b(?:cost|hurt|undermined|embarrassed|affected|impacted|set back|frustrated) (?:you|your)\b"
            r"|\b(?:the|its) impact (?:on|of)\b|\bextra (?:work|hours|stress) for you\b"
        ),
        "You acknowledge the effect on them, not only the act.",
    ),
    Rule(
        "regret_expressed",
        PRAISE,
        _rx(
            r"\bi(?:'m| am) (?:so |really |truly |deeply |very |genuinely )?sorry\b(?! (?:if|that you|you|to hear)"
            r"\b|,? but\b)|\bi (?:sincerely )?apologi[sz]e\b(?! if\b|,? but\b| for any\b)|\bi (?:deeply |truly )?regret\b"
            r"|\bi feel (?:terrible|awful|bad) (?:about|that)\b|\bi wish i (?:had|hadn't)\b"
        ),
        "You say you are sorry in plain words.",
    ),
    Rule(
        "repair_offered",
        PRAISE,
        _rx(
            r"\bi(?:'d| would) like to (?:fix|make (?:it|this|that) right|make (?:it|this) up|repair|correct|"
            r"set the record straight)\b|\b(?:i(?:'ll| will)|let me) (?:fix|correct|redo|set the record "
            r"straight|make sure you get (?:the )?credit|tell (?:the team|everyone)|send (?:a|an) "
            r"(?:correction|update) )\b|\bhow can i make (?:this|it|things) right\b"
            r"|\bwhat (?:can|could) i do to (?:fix|make|help|repair)\b"
        ),
        "You offer to repair the damage, the second most valued part of an apology.",
    ),
    Rule(
        "future_commitment",
        PRAISE,
        _rx(
            r"\b(?:from now on|going forward|moving forward|in (?:the )?future|next time|from here on)\b"
            r"[^.!?\n]{0,80}?\bi(?:'ll| will)\b"
            r"|\bi(?:'ll| will)\b[^.!?\n]{0,80}?\b(?:from now on|going forward|moving forward|in (?:the )?"
            r"future|next time)\b"
        ),
        "You say what will be different in future.",
    ),
    Rule(
        "open_question",
        PRAISE,
        _rx(
            r"(?:^|(?<=[.!?\n])\s*|\b(?:so|and|but),? )(?:what|how|which|in what way|tell me (?:more )?"
            r"about|could you (?:tell|walk|help) me|would you (?:tell|walk|share|be willing))\b"
            r"(?! (?:could|dare) you\b| the hell\b| were you thinking\b| is wrong with\b|'s wrong with\b"
            r"| is your problem\b|'s your problem\b)[^.!?\n]{0,200}\?"
        ),
        "An open question invites them to tell you more in their own words.",
    ),
    Rule(
        "reflection",
        PRAISE,
        _rx(
            r"\bwhat i(?:'m| am) hearing\b|\b(?:it )?(?:sounds|seems) like you\b|\bif i(?:'m| am) hearing "
            r"you\b|\bif i understand (?:you|correctly|this right)\b|\bso you(?:'re| are)? (?:saying|feeling|"
            r"felt|feel)\b|\blet me (?:make sure i understand|check i understand|see if i understand)\b"
        ),
        "You reflect back what you heard, which shows you were listening.",
    ),
    Rule(
        "emotional_reaction",
        PRAISE,
        _rx(
            r"\bi(?:'m| am) (?:so |really |truly |very )?sorry (?:to hear|that happened|you (?:had|went|were "
            r"going|have been going) through)\b|\b(?:that|this|it) (?:sounds|must have been|must be|seems) "
            r"(?:really |so |incredibly |very )?(?:hard|difficult|awful|rough|frustrating|painful|stressful|"
            r"exhausting|upsetting|discouraging|unfair|tough|scary|lonely|demoralizing|infuriating|hurtful|"
            r"overwhelming)\b|\bi feel (?:for you|bad that|terrible that|awful that)\b|\bmy heart goes out\b"
            r"|\bi(?:'m| am) (?:so |really |very )?(?:glad|happy|relieved|sad|worried|concerned) (?:that you|"
            r"for you|to hear|about you)\b|\bi (?:really )?care about (?:you|our|how you)\b|\bhugs\b"
            r"|\bthat (?:really )?sucks\b|\bi can only imagine\b"
        ),
        "You respond with warmth to how they feel.",
    ),
    Rule(
        "interpretation",
        PRAISE,
        _rx(
            r"\bi (?:can |do )?(?:understand|see|get) (?:why|how) (?:you|that|this|it)\b|\bi (?:know|understand) "
            r"how (?:you feel|that feels|it feels|hard|frustrating|painful|it is)\b|\bi(?:'ve| have) been "
            r"(?:there|through (?:this|that|it|something))\b|\bi (?:went|have gone|am going) through "
            r"(?:something|the same|a similar|this|that)\b|\b(?:it|that) makes (?:total |complete |perfect )?"
            r"sense (?:that|why) you\b|\bno wonder you\b|\b(?:i'd|i would|anyone would) (?:feel|be|have been)"
            r" (?:the same|upset|frustrated|angry|hurt)\b|\byou (?:must|might) (?:be|have been|feel|have felt)"
            r"\b|\bi imagine (?:you|that|it)\b|\bit (?:sounds|seems) like you\b"
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
        "non_apology": "sorry apologize apologise apologies mistakes",
        "excuse": "fault choice help supposed anyone only busy swamped slammed stressed "
        "overwhelmed tired exhausted",
        "blame_shift": "made fault because started that's if should one",
        "defensive": "nothing see one said meant help blame supposed apologize apologise why",
        "sarcasm": "thanks yeah nice sorry oh wow whatever clearly congratulations",
        "absolute_language": "always never constantly keep every",
        "minimizing": "joke overreacting over dramatic sensitive calm deal fuss drama mountain "
        "big serious proportion lighten",
        "pressure": "asap immediately right hour end today answer reply response decision else "
        "chance warning negotiable nonnegotiable until",
        "vague_commitment": "better harder best again work careful mindful thoughtful considerate",
        "passive_evasion": "dropped missed lost forgotten overlooked deleted left ignored said done "
        "communicated",
        "fake_empathy": "but",
        "closed_question": "?",
        "responsibility_taken": "wrong messed mistake dropped screwed should shouldn't responsibility "
        "own responsible failed fault doing call bad me got",
        "specific_behavior_named": "interrupted dismissed ignored missed forgot criticized criticised "
        "yelled snapped raised took cut talked spoke cancelled canceled reassigned overruled blamed "
        "embarrassed undermined excluded left changed rewrote went presented shared sent didn't",
        "impact_acknowledged": "made left put leaving putting making front cost hurt undermined "
        "embarrassed affected impacted set frustrated impact extra",
        "regret_expressed": "sorry apologize apologise regret feel wish",
        "repair_offered": "fix right up repair correct redo record credit tell send help",
        "future_commitment": "now forward future next here",
        "open_question": "?",
        "reflection": "hearing sounds seems understand saying feeling felt feel make check see",
        "emotional_reaction": "sorry sounds must seems feel heart glad happy relieved sad worried "
        "concerned care hugs sucks imagine",
        "interpretation": "understand see get know been went gone going sense wonder feel be have "
        "must might imagine sounds seems",
    }.items()
}
