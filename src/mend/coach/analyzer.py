"""``analyze``: one pass over a draft that yields scores, findings and commitments.

Pure: no clock (``now`` is an argument), no I/O beyond the model file loaded once,
no network. The hot path is one tokenization, one feature dict, three dictionary
dot products and the precompiled rule table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from mend.coach import detect
from mend.coach._text import MAX_CHARS, language_supported, sentences
from mend.coach.commitments import Commitment, extract_commitments, mentions_when
from mend.coach.detections import detector_findings
from mend.coach.features import features, vader_lexicon
from mend.coach.models import mechanisms, shipped, sigmoid
from mend.coach.report import SCORE_NAMES, Finding, Report
from mend.coach.rules import FOLD, PRAISE, PROBLEM, RULES, STEPS, SUGGESTION, WARNING
from mend.errors import InvalidInput, TooLarge

# Praise that a problem covering the same words takes back ("I understand, but").
_CANCELLED_BY = {
    "non_apology": frozenset(
        {"regret_expressed", "empathy_emotional_reaction", "responsibility_taken"}
    ),
    "fake_empathy": frozenset(
        {"empathy_interpretation", "reflection", "empathy_emotional_reaction"}
    ),
    "sarcasm": frozenset(
        {
            "empathy_emotional_reaction",
            "regret_expressed",
            "responsibility_taken",
            "specific_behavior_named",
        }
    ),
    "excuse": frozenset({"responsibility_taken"}),
    "vague_commitment": frozenset({"future_commitment"}),
    # "How was I supposed to know that?" asks nothing: LABELS.md counts a rhetorical
    # question as no question at all.
    "defensive": frozenset({"open_question", "empathy_exploration"}),
}
# First words of a promise that commit to nothing anyone could see happen ...
_NEVER_CONCRETE = frozenset(
    "be assume guess think see hope wait feel know have need bet admit fit".split()  # noqa: SIM905
)
# ... and of promises that are only concrete with a date or a rhythm ("do X every Friday").
_CONCRETE_WHEN_DATED = frozenset(
    "try consider look keep work get just stay let do make treat".split()  # noqa: SIM905
)
# A sentence boundary before or after a match, for the rules' vetoes.
_BOUNDARY = re.compile(r"[.!?\n]")
# Someone is named as doing something, even with no promise the extractor can track:
# "I'll try harder", "you report to me daily", "Jake owns the rota", "I can redo it",
# "you need to sign off", "let me take over the report".
_OWNER_NAMED = re.compile(
    r"\b(?:i|we|you)(?:'ll| will|'m going to| am going to|'re going to| are going to)\b"
    r"|\byou (?:own|handle|lead|take|do|report|send|run|write|review|have until)\b"
    r"|\b[a-z]+ (?:owns|handles|leads|takes over|will own|will handle|will lead|will take)\b"
    r"|\b(?:i|we) (?:can|could|offer to|volunteer to|(?:am|'m|are|'re) happy to|(?:would|'d) like to)"  # noqa: E501
    r" (?!(?:all|both|just|maybe|probably|hopefully|try|see|think|hope|feel|be)\b)\w+"
    r"|\blet me (?!know\b)\w+|\byou (?:need|have|agreed|offered) to \w+"
    r"|\b(?:the|our|your|their) (?:\w+ )?(?:team|manager|lead|owner|client|vendor|agency|department"
    r"|committee|board|office|desk) (?:will|'ll|is going to|agreed to|owns|handles)\b"
    r"|\b(?:i|we)(?:'m| am|'re| are) (?:now |already )?(?:taking|handling|putting|setting|writing"
    r"|drafting|sending|booking|running|owning|leading|moving|covering|starting|picking)\b"
    r"|\b(?:i|we)(?:'ve| have) (?:already |now |just )?(?:booked|set up|scheduled|started|moved|sent"  # noqa: E501
    r"|drafted|written|created|added|blocked|assigned|asked|opened|raised)\b"
    r"|(?:^|[.!?\n:]\s*)please (?!(?:be|try|don't|do not|stop|keep|note|remember|understand|consider"  # noqa: E501
    r"|accept|bear|know|feel)\b)[a-z]+"
    r"|\b(?:each|both|all|one) of us (?:will|'ll|can|agreed to|takes?)\b|\bwe (?:each|both) (?:will|take)\b"  # noqa: E501
    r"|\bi(?:'d| would)? (?:suggest|propose)(?: that)? (?:i|we) \w+|\b(?:my|your|our) (?:part|job|task|action|bit)s?\s*:"  # noqa: E501
    r"|\bowners?\s*:"
)
# A person named at the start of a clause who will do something: "Priya will send ...".
_NAMED_OWNER = re.compile(
    r"\b(?!(?:It|This|That|These|Those|There|Things|Nothing|Everything|Something|Someone|Somebody"
    r"|Anyone|Anybody|Everyone|Everybody|Nobody|What|Which|Who|Where|When|How|Why|If|Then|So|And"
    r"|But|Hopefully|Maybe|Perhaps|Ideally|Surely)\b)[A-Z][a-z]+"
    r"(?:['\u2019]ll| will| is going to| has agreed to| agreed to| offered to| can take)\s+[a-z]"
)
# A date, a time or a rhythm anywhere in the draft, beyond what the promise extractor
# resolves: "14/03", "3pm", "next sprint", "end of the quarter", "within 48 hours".
_WHEN = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri)\b"
    r"|\b\d{1,2}(?::\d{2})? ?(?:am|pm)\b|\bnoon\b|\bmidday\b"
    r"|\b(?:next|this|the following|each|every|coming) (?:sprint|quarter|year|morning|afternoon|evening"  # noqa: E501
    r"|cycle|release|fortnight|standup|retro|1:1|one-on-one)\b"
    r"|\b(?:end|start|beginning|middle) of (?:the |this |next )?(?:day|week|month|quarter|year|sprint)\b"  # noqa: E501
    r"|\bwithin (?:the )?(?:\d+|a|an|one|two|three|four|five|24|48) (?:hours?|days?|weeks?|months?)\b"  # noqa: E501
    r"|\b(?:tomorrow|tonight|today|weekend|eod|eow|fortnightly|q[1-4])\b|\bnext (?:morning|day)\b"
    r"|\bafter (?:the |our |each |every )?(?:standup|retro|meeting|call|launch|release|demo)\b"
)
_INTENSIFIER = (
    r"(?:so |really |very |incredibly |pretty |quite |truly |deeply |such an? |a bit |a little )*"
)
# Validation and imagining their experience are empathy even when no praise rule names
# the words: "that must have been so disheartening", "it's completely reasonable to feel
# frustrated", "no wonder you ...", "I can imagine ...". A "how it felt" word after
# "sounds" / "must have been" counts when VADER rates it negative (or it is a known sting).
_EMPATHY_FRAME = re.compile(
    r"\b(?:sounds?|sounded|must (?:have been|be|feel|have felt)|would have (?:been|felt)"
    r"|(?:must|would) have (?:stung|hurt)|must sting) " + _INTENSIFIER + r"([a-z'-]+)"
)
_EMPATHY_WORDS = frozenset(
    {
        *("stung", "hurt", "demoralizing", "demoralising", "isolating", "draining", "gutting"),
        *("lonely", "exhausting", "heavy", "tough", "rough", "hard", "unsettling", "jarring"),
        "invalidating",
    }
)
_EMPATHY_CUE = re.compile(
    r"\byou must (?:have been|be|feel|have felt)\b|\bi (?:totally |completely )?get it\b"
    r"|\b(?:must have been|must be|sounds like|sounded like|that was|that's|it's been|that's been"
    r"|has been|have been) (?:such |so |really )?a lot\b"
    r"|\b(?:must|would|might|will) have (?:stung|hurt|felt)\b"
    r"|\b(?:it|that|this) (?:makes|made) (?:total |complete |perfect |so much )?sense (?:that you|why you"  # noqa: E501
    r"|you(?:'d| would| were| are|'re| feel| felt)|to (?:feel|be))\b|\bno wonder\b"
    r"|\bi (?:can |could )?(?:only )?imagine\b|\bi can(?:'t| not|not) imagine\b"
    r"|\b(?:it's|it is|that's|that is|it was|that was|it'd be|it would be) (?:\w+ )?(?:understandable"  # noqa: E501
    r"|reasonable|natural|normal|fair|okay|ok|valid|human|only human) (?:to (?:feel|be)|that you|you"  # noqa: E501
    r"|if you)\b"
    r"|\byour (?:feelings?|frustration|anger|reaction|disappointment|hurt) (?:is|are|was|were|makes?"  # noqa: E501
    r"|feels?) (?:\w+ )?(?:valid|understandable|reasonable|fair|justified|sense)\b"
    r"|\bof course you(?:'re| are| were| feel| felt| would)\b|\byou have every right to\b"
    r"|\bi(?:'d| would) (?:have )?(?:feel|felt|be|been) (?:\w+ )?(?:\w+ )?(?:too|as well)\b"
    r"|\bi can (?:see|tell|hear) (?:how|that|why|this|it)\b|\bi hear (?:you|how|that)\b(?!,? but)"
    r"|\b(?:sorry|sad|gutted) (?:that )?you (?:had to|went|were|have been|'ve been|got)\b"
)
# An open invitation to say more, beyond the ``open_question`` praise: any wh-question
# that starts a clause ("Where would you like to start?"), and "tell me more", "walk me
# through", "help me understand", "I'd love to hear ...", "what would help".
_INVITATION = re.compile(
    r"(?:^|[.!?\n,;:(\u2014-]\s*[\"']?|\b(?:so|and|but|then|now|okay|ok|also|honestly|genuinely)\s+)"
    r"(?:what|how|where|when|who|which|why)\b"
    r"(?! (?:(?:else )?(?:was|am|were) i (?:supposed|meant|expected)|were you thinking|the hell|on earth"  # noqa: E501
    r"|(?:is|'s) (?:wrong with|your problem)|could you|dare you)\b"
    r"|(?:'s| is| was| were| are|'re)? ?(?:didn't|don't|won't|can't|wouldn't|haven't|couldn't|not)\b)"  # noqa: E501
    r"[^.!?\n]{0,200}\?"
    r"|\b(?:tell me (?:more|about|what|how|everything)|walk me through|help me understand|say more"
    r"|i(?:'d| would) (?:really )?(?:love|like|want|be glad) to (?:hear|know|understand|listen)"
    r"|i(?:'m| am) (?:curious|wondering) (?:about|what|how|where|whether)|what would (?:help|make|be|you)"  # noqa: E501
    r"|(?:can|could|would) you (?:tell|walk|help|share|describe|say more|explain)"
    r"|i want to (?:hear|understand|know) (?:what|how|more|your|about)"
    r"|anything else (?:on your mind|you(?:'d| would)? (?:like|want)|i should know))\b"
)
# Owning the act in plain words, beyond the ``responsibility_taken`` praise: the writer
# did something and it was wrong ("I entered the wrong rate", "I forgot", "I didn't
# check", "that was a breach of your trust", "I should have asked").
_OWNS_ACT = re.compile(
    r"\bi (?:\w+ed|sent|put|gave|made|took|wrote|said|let|left|broke|lost|ran|told|set|chose|did|used"  # noqa: E501
    r"|quoted|read|paid|built|brought|picked|bought|sold|shared|showed|hit) (?:[a-z',-]+ ){0,6}?"
    r"(?:the |an? )?(?:wrong|incorrect|mistaken|outdated|out-of-date|old|unfinished|broken|faulty)\b"  # noqa: E501
    r"|\bi (?:forgot|missed|ignored|overlooked|neglected|skipped|misread|misquoted|misspoke|misjudged"  # noqa: E501
    r"|misunderstood|mislabell?ed|miscalculated|mixed up|dropped|lost|broke|leaked|interrupted"
    r"|dismissed|embarrassed|excluded|undermined|talked over|cut you off|snapped|yelled)\b"
    r"|\bi (?:didn't|did not|never|failed to|neglected to|forgot to) (?:even )?(?:check|double-check|verify"  # noqa: E501
    r"|read|test|tell|ask|confirm|follow up|reply|respond|warn|include|invite|credit|review|listen"
    r"|call|send|update|let you know|thank|consult|loop you in|give you|show up|turn up|proofread)\b"  # noqa: E501
    r"|\bi should(?:n't| not)? have\b|\bi was (?:\w+ )?(?:careless|sloppy|rude|dismissive|out of line"  # noqa: E501
    r"|short with you|unkind|unfair|thoughtless|disrespectful|wrong)\b"
    r"|\b(?:that|it|this|which|what i did) was (?:a |an )?(?:\w+ )?(?:breach|betrayal|unkind|unfair|wrong"  # noqa: E501
    r"|careless|thoughtless|disrespectful|rude|out of line|uncalled for|inexcusable|unacceptable"
    r"|unprofessional|hurtful|mistake|error|lapse|not okay|not ok|not fair|not right)\b"
)
# Words in the same clause before a phrase that take back an admission or an apology:
# "I refuse to apologise for ...", "I'm not going to say I was wrong".
_REFUSAL = re.compile(
    r"\b(?:refuse|refused|refusing|won't|will not|not going to|never going to"
    r"|don't need to|do not need to|no need to|nothing to|not about to|why should i|shouldn't have to"  # noqa: E501
    r"|don't have to|do not have to|not gonna|don't think|do not think)\b"
)
_TAKES_BACK = frozenset({"non_apology", "excuse", "blame_shift", "defensive"})
_HYPOTHETICAL = re.compile(r"\b(?:if|whether|in case|as if)\s+$")
_CLAUSE_START = re.compile(r"[.!?\n;]")
_REFUSABLE = frozenset(
    {
        "responsibility_taken",
        "specific_behavior_named",
        "regret_expressed",
        "impact_acknowledged",
        "repair_offered",
        "future_commitment",
    }
)
_APOLOGY_CODES = frozenset({"regret_expressed", "non_apology"})
_OWN_DOING = frozenset(
    {
        "responsibility_taken",
        "specific_behavior_named",
        "excuse",
        "blame_shift",
        "defensive",
        "passive_evasion",
    }
)


def _missing(code: str, explanation: str, suggestion: str) -> Finding:
    return Finding(code, WARNING, 0, 0, "", explanation, suggestion)


def _validate(text: object, step: str | None) -> str:
    if not isinstance(text, str):
        raise InvalidInput("the draft must be text", field="text")
    if not text.strip():
        raise InvalidInput("the draft is empty: write something to check", field="text")
    if len(text) > MAX_CHARS:
        raise TooLarge(
            f"the draft is {len(text):,} characters; the coach checks at most {MAX_CHARS:,}",
            field="text",
        )
    if step is not None and step not in STEPS:
        raise InvalidInput(f"unknown step {step!r}; use one of: {', '.join(STEPS)}", field="step")
    return text


def _ranges(
    triggers: frozenset[str] | None, parts: list[tuple[int, int, frozenset[str]]], size: int
) -> list[tuple[int, int]]:
    """The stretches of text a rule must read: the runs of sentences with a trigger word."""
    if triggers is None:
        return [(0, size)]
    out: list[tuple[int, int]] = []
    for start, end, words in parts:
        if triggers.isdisjoint(words):
            continue
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _rule_findings(
    text: str,
    folded: str,
    step: str | None,
    parts: list[tuple[int, int, frozenset[str]]] | None = None,
    skip: frozenset[str] = frozenset(),
) -> list[Finding]:
    """What the rule table finds; ``parts`` (sentences and their tokens) narrows each rule
    to the sentences holding one of its trigger words (None: every rule reads everything);
    rules for the codes in ``skip`` are not run."""
    found: list[Finding] = []
    for rule in RULES:
        if (rule.steps and step not in rule.steps) or rule.code in skip:
            continue
        ranges = [(0, len(text))] if parts is None else _ranges(rule.triggers, parts, len(text))
        last_end = -1
        for m in (
            m
            for lo, hi in ranges
            for m in rule.pattern.finditer(text if rule.raw else folded, lo, hi)
        ):
            start, end = m.span()
            if rule.accept is not None and not rule.accept(m.string, start, end):
                continue
            if rule.veto is not None and rule.veto.search(folded, *_sentence(folded, start, end)):
                continue
            # Trim the whitespace some alternations swallow so the span hugs the words.
            quote = m.group()
            stripped = quote.lstrip()
            start += len(quote) - len(stripped)
            end = start + len(stripped.rstrip())
            if end <= start or start < last_end:
                continue
            last_end = end
            found.append(
                Finding(
                    rule.code,
                    rule.severity,
                    start,
                    end,
                    text[start:end],
                    rule.explanation,
                    rule.suggestion,
                )
            )
    # A refusal or a denial takes back the praise that follows it in the same clause:
    # "I refuse to apologise for something I didn't do" owns nothing.
    found = [
        f
        for f in found
        if f.severity != PRAISE or f.code not in _REFUSABLE or not _refused(folded, f.start)
    ]
    problems = [f for f in found if f.severity == PROBLEM]
    if not problems:
        return found
    kept = []
    for f in found:
        if f.severity == PRAISE and any(
            f.code in _CANCELLED_BY.get(p.code, ()) and f.start < p.end and p.start < f.end
            for p in problems
        ):
            continue
        kept.append(f)
    return kept


@lru_cache(maxsize=1)
def _precise_rules() -> frozenset[str]:
    """Codes whose rules proved precise on the labelled corpus (``precise_rules`` in the
    detector file): their findings are shown beside the detectors'."""
    return frozenset(detect.shipped().meta.get("precise_rules", ()))


@lru_cache(maxsize=1)
def _imprecise_rules() -> frozenset[str]:
    """Codes the detectors decide whose rules proved imprecise: not worth running,
    but for the empathy cues the graded scores read (:data:`_CUES`)."""
    return frozenset(detect.CODES) - _precise_rules() - _CUES


#: Rules whose hits feed the empathy mechanisms' scores even where they are not precise
#: enough to be shown as findings: a graded reading may count a cue a finding may not.
_CUES: Final = frozenset({"empathy_emotional_reaction", "empathy_interpretation", "reflection"})


def _merge(ruled: list[Finding], learned: list[Finding]) -> list[Finding]:
    """The rules' findings where they are precise, the detectors' everywhere else.

    For a code the detectors decide, a rule's finding stays only when that rule proved
    precise on the labelled corpus (``precise_rules`` in the detector file); it then
    replaces a detector finding of the same code on the same words, its span being
    narrower. Codes only the rules know (``passive_evasion``, ``shouting`` ...) stay.
    """
    precise = _precise_rules()
    kept = [f for f in ruled if f.code not in detect.CODES or f.code in precise]
    out = list(kept)
    for f in learned:
        if not any(k.code == f.code and k.start < f.end and f.start < k.end for k in kept):
            out.append(f)
    return _cancel(out)


# A yes/no question ("Can you send me the notes?") is open only when it asks them to
# tell more ("Can you walk me through it?"; LABELS.md 4.19).
_YES_NO: Final = re.compile(
    r"(?:can|could|would|will|do|does|did|is|are|was|were|have|has|should|shall|may|might)"
    r"\b(?![^.?!]*\b(?:tell|walk|say|talk|explain|describe|share|example|more|what|how|why))"
)
# What makes an apology that owns an act a non-apology after all: a condition, a "but",
# their feelings as its object, or a vague object ("the confusion", "any inconvenience").
_HEDGED: Final = re.compile(
    r"\b(?:if|but|however|though|although|feel|feels|felt|upset|offended|took it|came across"
    r"|confusion|mix-?up|misunderstanding|inconvenience|any)\b"
)
# A time a concrete action can be held to (LABELS.md 4.22), beyond the dates and rhythms
# the promise finder reads: "today", "this morning", "within 24 hours", "straight away".
_A_TIME: Final = re.compile(
    r"\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening)|eod|cob|noon|midday"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|\d{1,2}(?::\d\d)?\s*(?:am|pm)"
    r"|\d{1,2}(?:st|nd|rd|th)|\d{1,2}[:.]\d\d|by \d+|within (?:\d+|an?|one|two|the)\b"
    r"|\d+ (?:hours?|days?|mins?|minutes?)"
    r"|immediately|straight away|right away|end of (?:the )?(?:day|week|month)|same day|day before"
    r"|weekly|daily|fortnightly|monthly|every|each (?:week|day|month|morning)"
    r"|jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
# Condolence is not an apology of any kind: "sorry to hear that", "sorry for your loss".
_CONDOLENCE: Final = re.compile(
    r"\bsorry (?:to (?:hear|read|see|learn)|for (?:your|the) lo(?:ss|se)|for what you(?:'re| are)"
    r" going through|about your (?:loss|dad|mum|mom|father|mother))\b"
)
_TO_THEM: Final = re.compile(r"\b(?:you|your|you're|yours|yourself|u|ur)\b")
_EMPATHY: Final = frozenset({"empathy_interpretation", "empathy_emotional_reaction"})


def _guarded(
    learned: list[Finding],
    ruled: list[Finding],
    folded: str,
    split: Sequence[tuple[int, int, list[str]]],
) -> list[Finding]:
    """The detectors' findings less those LABELS.md rules out on grounds a bag of words
    cannot see, each checked by a precise test:

    - no ``non_apology`` for "I'm sorry[.,] I forgot your review": an apology whose
      sentence (or the next) owns an act and that nothing hedges; nor for condolence
      ("sorry to hear that", "sorry for your loss");
    - no ``open_question`` on a plain yes/no question;
    - no ``concrete_action`` in a draft without a time (LABELS.md 4.22: an owner **and**
      a time);
    - no empathy in a sentence that speaks neither to them nor of a
      feeling ("The contract must have been signed already").
    """
    sentences = [(a, b) for a, b, words in split if words]
    owned = [f.start for f in ruled if f.code == "responsibility_taken"]
    lexicon = vader_lexicon()
    out = []
    for f in learned:
        at = next((i for i, (a, b) in enumerate(sentences) if a <= f.start < b), None)
        if at is None:
            out.append(f)
            continue
        start, end = sentences[at]
        reach = sentences[min(at + 1, len(sentences) - 1)][1]
        if f.code in _REFUSABLE and _refused(folded, f.focus[0] if f.focus else f.start):
            continue
        if f.code == "non_apology":
            if _CONDOLENCE.search(folded, start, end):
                continue
            owns = any(start <= k < reach for k in owned) or _OWNS_ACT.search(folded, start, reach)
            if owns and not _HEDGED.search(folded, start, reach):
                continue
        elif f.code == "open_question":
            if _YES_NO.match(folded, start):
                continue
        elif f.code == "concrete_action":
            if _A_TIME.search(folded) is None and not mentions_when(folded):
                continue
        elif f.code in _EMPATHY:
            sentence = folded[start:end]
            if not _TO_THEM.search(sentence) and not any(
                lexicon.get(w, 0.0) <= -1.0 for w in re.findall(r"[a-z']+", sentence)
            ):
                continue
        out.append(f)
    return out


def _cancel(found: list[Finding]) -> list[Finding]:
    """Praise a problem on the same words takes back ("I'm sorry you feel ...")."""
    problems = [f for f in found if f.severity == PROBLEM]
    return [
        f
        for f in found
        if f.severity != PRAISE
        or not any(
            f.code in _CANCELLED_BY.get(p.code, ()) and f.start < p.end and p.start < f.end
            for p in problems
        )
    ]


def _refused(folded: str, start: int) -> bool:
    """Whether the clause before ``start`` refuses or denies ("I refuse to apologise for")."""
    lo = max(0, start - 80)
    for boundary in _CLAUSE_START.finditer(folded, lo, start):
        lo = boundary.end()
    return _REFUSAL.search(folded, lo, start) is not None


def _found(pattern: re.Pattern[str], folded: str) -> bool:
    """Whether ``pattern`` occurs outside a refusal ("I won't say I should have") and
    outside a hypothetical ("sorry if I ignored you")."""
    return any(
        not _refused(folded, m.start())
        and not _HYPOTHETICAL.search(folded, max(0, m.start() - 12), m.start())
        for m in pattern.finditer(folded)
    )


def _empathic(folded: str) -> bool:
    """Whether the draft validates or imagines their experience in words no praise rule has."""
    if _found(_EMPATHY_CUE, folded):
        return True
    lexicon = vader_lexicon()
    return any(
        m.group(1) in _EMPATHY_WORDS or lexicon.get(m.group(1), 0.0) <= -0.5
        for m in _EMPATHY_FRAME.finditer(folded)
    )


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``folded[start:end]`` and its two neighbours.

    A veto looks one sentence either way: "Every single time I asked, you made time. Thank you."
    """
    before = max(folded.rfind(c, 0, start) for c in ".!?\n")
    before = max(folded.rfind(c, 0, max(before, 0)) for c in ".!?\n") + 1
    after = _BOUNDARY.search(folded, end)
    if after is not None:
        after = _BOUNDARY.search(folded, after.end())
    return before, after.start() if after else len(folded)


def _is_concrete(c: Commitment) -> bool:
    first = c.action.split(" ", 1)[0].lower() if c.action else ""
    if not first or first in _NEVER_CONCRETE:
        return False
    return first not in _CONCRETE_WHEN_DATED or bool(c.due_text or c.recurrence)


def _commitment_findings(
    commitments: list[Commitment], step: str | None, text: str, folded: str
) -> list[Finding]:
    out: list[Finding] = []
    for c in commitments:
        if _is_concrete(c):
            out.append(
                Finding(
                    "concrete_action",
                    PRAISE,
                    c.start,
                    c.end,
                    c.text,
                    "A specific action the other person can see happen.",
                )
            )
    if step in ("solution", "agreement"):
        if not commitments and not _OWNER_NAMED.search(folded) and not _NAMED_OWNER.search(text):
            out.append(
                _missing(
                    "missing_owner",
                    "The proposal does not say who will do what.",
                    'Add an owner: "I\'ll draft the hand-over notes ...".',
                )
            )
        elif (
            not any(c.due_text or c.recurrence for c in commitments)
            and not mentions_when(folded)
            and not _WHEN.search(folded)
        ):
            # Also "I'll try harder": an owner, but nothing to check when.
            out.append(
                _missing(
                    "missing_date",
                    "The proposal has no date or rhythm, so neither of you can tell when it is done.",  # noqa: E501
                    'Add when: "... by Thursday" or "... every Monday".',
                )
            )
    return out


def _step_findings(
    step: str | None, codes: set[str], text_lower: str, folded: str
) -> list[Finding]:
    out: list[Finding] = []
    has_apology = bool(codes & _APOLOGY_CODES) or "sorry" in text_lower or "apolog" in text_lower
    if step == "apology":
        if not has_apology:
            out.append(
                _missing(
                    "missing_apology",
                    "This is meant to be an apology but never says sorry.",
                    'Say it plainly: "I\'m sorry I ...".',
                )
            )
        elif "responsibility_taken" not in codes and (
            # an excuse or "sorry, but you ..." takes back the act it names
            codes & _TAKES_BACK or not _found(_OWNS_ACT, folded)
        ):
            out.append(
                _missing(
                    "missing_responsibility",
                    "The apology does not say what you did wrong; that is what people look for first.",  # noqa: E501
                    'Add "I was wrong to ..." or "That was my mistake."',
                )
            )
    elif step == "acknowledgment" and not codes & {
        "responsibility_taken",
        "specific_behavior_named",
    }:
        out.append(
            _missing(
                "missing_specifics",
                "The acknowledgment does not name what happened or your part in it.",
                'Name the event and your part: "When I moved your slot on Monday, I ...".',
            )
        )
    elif (
        step == "listening"
        and "open_question" not in codes
        and "reflection" not in codes
        and not _INVITATION.search(folded)
    ):
        out.append(
            _missing(
                "missing_open_question",
                "There is no open question or reflection inviting them to say more.",
                'Ask "What was that like for you?" or reflect back what you heard.',
            )
        )
    elif (
        step == "empathy"
        and not codes
        & {
            "empathy_emotional_reaction",
            "empathy_interpretation",
            "reflection",
            "fake_empathy",  # already said: the understanding is cancelled by "but"
        }
        and not _empathic(folded)
    ):
        out.append(
            _missing(
                "missing_empathy",
                "The message does not respond to how they feel.",
                'Name the feeling you heard: "That sounds exhausting."',
            )
        )
    return out


#: A score that matters for the step and is this low gets a finding of its own, saying
#: what would raise it (so the panel never says "nothing to change" beside a poor score):
#: (score, steps, below, code, explanation, suggestion). No sentence to add is offered:
#: none was found that lifts a low score past its bar in every draft (checked over the corpus).
_LOW_SCORES: tuple[tuple[str, frozenset[str], float, str, str, str], ...] = (
    (
        "receptiveness",
        frozenset({"outreach", "listening"}),
        30.0,
        "low_openness",
        "It reads as closed to how they see it (openness {score} of 100).",
        "Say you want to hear their side, and mean it.",
    ),
    (
        "calm",
        frozenset({"outreach", "listening", "empathy", "apology", "acknowledgment"}),
        45.0,
        "low_calm",
        "It reads as heated (calm {score} of 100).",
        "Take out the sharpest words and say what you need plainly.",
    ),
    (
        "apology",
        frozenset({"apology"}),
        45.0,
        "low_apology",
        "As an apology it is thin (apology {score} of 100): it does not yet own the act "
        "and its cost to them.",
        "Say what you did, that it was yours, and what it cost them.",
    ),
    (
        "actionability",
        frozenset({"solution", "agreement"}),
        40.0,
        "low_concreteness",
        "It is hard to see what will actually happen (concreteness {score} of 100).",
        "Name who does what, and by when.",
    ),
)


def _low_score_findings(
    step: str | None, scores: dict[str, float | None], codes: set[str]
) -> list[Finding]:
    out = []
    for name, steps, below, code, explanation, suggestion in _LOW_SCORES:
        score = scores.get(name)
        if step not in steps or score is None or score >= below:
            continue
        if any(c.startswith("missing_") for c in codes) and code != "low_calm":
            continue  # what is missing already says what to add
        out.append(
            Finding(
                code,
                WARNING,
                0,
                0,
                "",
                explanation.format(score=round(score)),
                suggestion,
            )
        )
    return out


def _clamp(x: float) -> float:
    return round(max(0.0, min(100.0, x)), 1)


def _scores(
    feats: dict[str, float],
    codes: list[str],
    commitments: list[Commitment],
    has_apology: bool,
    cues: Sequence[str] = (),
) -> dict[str, float | None]:
    models = shipped()
    n = {c: codes.count(c) for c in set(codes)}
    seen = {c: max(n.get(c, 0), cues.count(c)) for c in _CUES}
    politeness = 100.0 * sigmoid(2.0 * models["politeness"].raw(feats))
    receptiveness = 100.0 * sigmoid(2.0 * models["receptiveness"].raw(feats))
    hostility = models["hostility"].predict(feats)
    # Calm: the GoEmotions hostility model, then fixed penalties for unambiguous signs of
    # hostility (documented in docs/coach.md; a score under 50 means "reads as hostile").
    calm = 100.0 * (1.0 - hostility)
    calm -= 50.0 if "s|profanity" in feats else 0.0
    calm -= 50.0 if "s|insult" in feats else 0.0
    calm -= 10.0 if "s|harsh" in feats else 0.0
    calm -= 30.0 * min(n.get("shouting", 0) + ("s|caps" in feats), 1)
    calm -= 20.0 * n.get("sarcasm", 0) + 10.0 * n.get("absolute_language", 0)
    calm -= 15.0 * n.get("pressure", 0) + 10.0 * ("s|exclaim_multi" in feats)

    owning = n.get("responsibility_taken", 0) + n.get("specific_behavior_named", 0)
    evading = sum(
        n.get(c, 0)
        for c in ("blame_shift", "excuse", "passive_evasion", "non_apology", "defensive")
    )
    ownership = 50.0 + 20.0 * min(owning, 2) + 10.0 * min(n.get("impact_acknowledged", 0), 1)
    ownership -= 30.0 * evading

    def mech(*cs: str) -> float:
        k = sum(n.get(c, 0) if c in taken_back else seen.get(c, n.get(c, 0)) for c in cs)
        return 0.0 if k == 0 else (60.0 if k == 1 else 100.0)

    # The models' reading, where the rules saw nothing. The writer's own story counts as
    # shared experience only when the draft is not about the writer's own doing.
    own_story = not has_apology and _OWN_DOING.isdisjoint(n)
    m_er, m_ip, m_ex = mechanisms(feats, own_story_counts=own_story)
    # A problem that takes back the praise ("I'm sorry you feel that way", "I understand,
    # but ...", "Oh great") takes back the cues' and the models' reading as well.
    taken_back = {x for c in n for x in _CANCELLED_BY.get(c, ())}
    er = max(
        mech("empathy_emotional_reaction"),
        0.0 if "empathy_emotional_reaction" in taken_back else m_er,
    )
    ip = max(
        mech("empathy_interpretation", "reflection"),
        0.0 if "empathy_interpretation" in taken_back else m_ip,
    )
    ex = max(mech("open_question"), m_ex)
    top = sorted((er, ip, ex), reverse=True)
    empathy = (top[0] + top[1]) / 2.0 - 30.0 * (n.get("fake_empathy", 0) + n.get("minimizing", 0))

    apology: float | None = None
    if has_apology:
        # Lewicki, Polin & Lount 2016: responsibility first, then repair; the rest less.
        apology = (
            10.0
            + 35.0 * ("responsibility_taken" in n)
            + 20.0 * ("repair_offered" in n or "concrete_action" in n)
            + 10.0 * ("regret_expressed" in n)
            + 10.0 * ("impact_acknowledged" in n or "specific_behavior_named" in n)
            + 10.0 * ("future_commitment" in n)
            + 5.0 * ("explanation" in n)
            - 35.0 * (n.get("non_apology", 0) + n.get("excuse", 0) + n.get("blame_shift", 0))
        )

    dated = [c for c in commitments if c.due_text or c.recurrence]
    vague = n.get("vague_commitment", 0)
    actionability = 20.0 + 40.0 * min(n.get("concrete_action", 0), 1) + 25.0 * bool(dated)
    actionability += 15.0 * bool(n.get("repair_offered")) - 30.0 * vague
    clarity = 40.0 if not commitments else 60.0 + 40.0 * len(dated) / len(commitments)
    clarity -= 30.0 * vague + 20.0 * n.get("pressure", 0)

    raw: dict[str, float | None] = {
        "politeness": politeness,
        "receptiveness": receptiveness,
        "calm": calm,
        "ownership": ownership,
        "empathy": empathy,
        "apology": apology,
        "actionability": actionability,
        "clarity": clarity,
        "empathy_emotional_reaction": er,
        "empathy_interpretation": ip,
        "empathy_exploration": ex,
    }
    return {k: (None if v is None else _clamp(v)) for k, v in raw.items()}


def analyze(text: str, step: str | None = None, *, now: datetime | None = None) -> Report:
    """Check a draft and say what works, what hurts and how to say it better.

    ``step`` is one of :data:`mend.coach.STEPS` or ``None`` to judge the text generally;
    ``now`` resolves dates in commitments ("by Friday"); without it only the words are kept.
    Raises :class:`~mend.errors.InvalidInput` for empty text or an unknown step and
    :class:`~mend.errors.TooLarge` above :data:`mend.coach.MAX_CHARS` characters.
    """
    text = _validate(text, step)
    folded = text.translate(FOLD)
    split = sentences(folded)
    toks = [t for _, _, words in split for t in words]
    if not language_supported(text, toks):
        return Report(
            step=step,
            length=len(text),
            language_supported=False,
            scores=MappingProxyType(dict.fromkeys(SCORE_NAMES)),
            findings=(
                Finding(
                    "unsupported_language",
                    SUGGESTION,
                    0,
                    0,
                    "",
                    "The coach only understands English, so it cannot judge this draft.",
                    None,
                ),
            ),
        )
    parts = [(start, end, frozenset(words)) for start, end, words in split]
    ruled = _rule_findings(text, folded, step, parts, skip=_imprecise_rules())
    cues = [f.code for f in ruled if f.code in _CUES and f.code not in _precise_rules()]
    commitments = extract_commitments(text, now=now)
    ruled += _commitment_findings(commitments, step, text, folded)
    learned, _ = detector_findings(text, folded, split, step)
    learned = _guarded(learned, ruled, folded, split)
    findings = _merge(ruled, learned)
    # "... or I'll report it to your manager" is a threat, not an action to praise.
    threats = [(f.start, f.end) for f in findings if f.code == "pressure"]
    findings = [
        f
        for f in findings
        if f.code != "concrete_action"
        or not any(f.start < end and start < f.end for start, end in threats)
    ]
    codes = [f.code for f in findings]
    lower = text.lower()
    findings += _step_findings(step, set(codes), lower, folded)
    has_apology = bool(_APOLOGY_CODES & set(codes)) or "sorry" in lower or "apolog" in lower
    scores = _scores(features(text, toks), codes, commitments, has_apology, cues)
    findings += _low_score_findings(step, scores, {f.code for f in findings})
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return Report(
        step=step,
        length=len(text),
        language_supported=True,
        scores=MappingProxyType(scores),
        findings=tuple(findings),
        commitments=tuple(commitments),
    )
