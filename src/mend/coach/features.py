"""The sparse features every graded score is computed from.

One function, :func:`features`, turns a draft into a small ``{name: value}`` dict:
word unigrams and bigrams, sentence openers, counts of politeness and receptiveness
strategies (after Danescu-Niculescu-Mizil et al. 2013 and Yeomans et al. 2020), and
sentiment sums from VADER's own lexicon. Training calls the very same function, so the
cross-validated figures in the benchmark measure exactly what ships.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Final

from mend.coach._text import tokens

# Each strategy is a list of phrases of one to three tokens, looked up in the same pass
# that builds the n-grams (a dict lookup per token instead of a regex scan per strategy).
# "Opener" strategies count only as the first word of a sentence. Names are part of the
# model files: rename only with a retrain.
_PHRASES: Final[dict[str, str]] = {
    # Danescu-Niculescu-Mizil et al. 2013, politeness strategies
    "gratitude": "thanks|thank|thx|appreciate|appreciated|appreciates|grateful",
    "apologizing": "sorry|apologize|apologise|apologies|forgive me|excuse me|my bad|pardon",
    "please": "please",
    "indirect_btw": "by the way|btw|incidentally",
    "counterfactual": "could you|would you",
    "indicative": "can you|will you",
    "first_plural": "we|our|us|ourselves|let's",
    "hedge": "i think|i believe|i guess|i suppose|maybe|perhaps|possibly|probably|might|somewhat|"
    "seem|seems|suggest|wonder|wondering|it appears|kind of|sort of|not sure|in my view|"
    "in my opinion|in my experience|as far as",
    "factuality": "in fact|actually|really|the point is|the reality is|the truth is|the fact is|"
    "obviously|clearly",
    "subjunctive_ask": "would it be|would you mind|if you could|if you would|you don't mind|"
    "is it possible",
    "greeting": "good morning|good afternoon|good evening",
    # Yeomans et al. 2020, receptiveness markers
    "acknowledge": "i understand|i see|i hear|i get|i recognize|i recognise|i respect|"
    "i appreciate|good point|fair point|valid point|good question|fair question|makes sense|"
    "you're right|you are right|can see why|can see how|see what you",
    "agreement": "i agree|i concede|agreed|exactly|absolutely|true|both|common ground",
    "negation": "not|no|never|nothing|nobody|none|cannot|can't|don't|doesn't|didn't|isn't|"
    "aren't|won't|wouldn't|shouldn't",
    "contradiction": "but|however|although|though|whereas|nevertheless|on the contrary",
    "disagreement": "you're wrong|you are wrong|you're mistaken|are mistaken|you're ignoring|"
    "you're missing|that's wrong|that's false|that's ridiculous|that's absurd|that's nonsense|"
    "i disagree|no sense",
    "you_absolute": "you always|you never|you constantly|you keep",
    # hostility
    "profanity": "suck|sucks|sucked|sucky|crap|crappy|dammit|bullshit|wtf|stfu|ffs|ass|asses|"
    "asshole|assholes|dumbass|"
    "jackass|arse|arsehole|piss|pissed|dick|dicks|dickhead|cock|prick|twat|cunt|wanker|bollocks|"
    "hell|bloody|screw you|screw this|screw it|screw that|shut up",
    "insult": "stupid|stupidity|idiot|idiots|idiotic|dumb|moron|morons|moronic|imbecile|"
    "incompetent|pathetic|clueless|loser|losers|brainless|braindead|jerk|jerks|clown|clowns|"
    "amateurish|lazy",
    "harsh": "useless|garbage|trash|ridiculous|lame|terrible|awful|horrible|"
    "worst|nonsense|insane|crazy|silly|ugly|disgusting|shameful|lousy|absurd|embarrassing|bogus|"
    "yucky|gross|nasty|evil|hate|hideous|atrocious|darn|heck|screwed|damned|idiocy|braindead|"
    "wtf|dumbest|stupidest|pointless|worthless|shitty|sloppy|messy|insulting|rubbish",
    # Sharma et al. 2020, empathy mechanisms: emotional reactions (warmth, compassion,
    # concern), interpretations (showing an understanding of feelings and experiences,
    # often by sharing one's own), explorations (asking about what was not said).
    "er_cue": "so sorry|sorry to hear|sorry that|sorry you|that sucks|that's awful|that's terrible|"
    "that's rough|that's horrible|that's sad|that's tough|that's hard|how awful|how terrible|"
    "hugs|hug|hang in there|i feel for you|feel bad for|my heart|heartbreaking|i'm sad|"
    "i'm glad|glad you|glad to hear|happy for you|proud of you|i care|i'm worried|"
    "worried about you|sending love|sending you|love you|good luck|best of luck|take care|"
    "i'm here for you|here for you|you deserve|so happy|i hope you|hope you|wish you|"
    # encouragement and offers of company are warmth too
    "you got this|you've got this|you can do it|stay strong|be strong|don't give up|"
    "keep going|rooting for you|you matter|you're worth|you are worth|i feel you|"
    "feel free to|message me|reach out|here to talk|not a burden|not a bother|"
    "you're doing great|so sad|big hug|sending hugs|be kind to yourself|be gentle with",
    "ip_cue": "i understand|i know how|i know what|i know the feeling|i can relate|i relate|"
    "i've been|i have been|been there|been through|same here|me too|same thing|i went through|"
    "i had the same|i had a|happened to me|i used to|i was in|when i was|i felt|i feel the same|"
    "i've had|i've felt|i've gone|i get it|i get that|i see why|i can imagine|can understand|"
    "sounds like|must be|must have been|must feel|you're not alone|you are not alone|"
    "it's normal|it's okay to|it's ok to|natural to|understandable|makes sense|you feel like|"
    "you might be|you may be|seems like|"
    # saying it is common and they are not alone in it
    "i know|i hear you|many people|a lot of people|lots of people|so many people|"
    "not the only|it's common|happens to|same boat|same situation|relate to|it's hard|"
    "it can be hard|it's tough|can be tough",
}
_OPENERS: Final[dict[str, str]] = {
    "deference": "great|good|nice|interesting|cool|excellent|awesome|wonderful",
    "greeting": "hi|hello|hey|dear",
    "please_start": "please",
    "direct_question": "what|why|who|how|where|when",
    "direct_start": "so|then|and|but|or",
    "first_person_start": "i|my|mine|myself|i'm|i've|i'll|i'd",
    "second_person_start": "you|your|yours|yourself|you're",
    "ip_cue": "same|likewise",  # "Same, my grandpa was ...": me too
}
# An insult aimed at oneself ("my stupid typo", "dumb question, but ...") is not hostility
# toward the reader: it counts as self_deprecation instead.
_SELF_BEFORE: Final = frozenset(["i", "i'm", "my", "me", "myself", "i've", "i'd"])
_SELF_AFTER: Final = frozenset(
    [
        "question",
        "questions",
        "mistake",
        "mistakes",
        "typo",
        "typos",
        "error",
        "oversight",
        "of",
        "me",
        "remark",
        "nit",
    ]
)
# Telling of one's own past ("I went through", "I lost mine", "I also felt"): in a reply
# to someone's trouble, sharing a similar experience is how people show they understand
# (Sharma et al. 2020 count it as an interpretation).
_PAST: Final = frozenset(
    [
        "was",
        "had",
        "went",
        "got",
        "felt",
        "lost",
        "did",
        "made",
        "saw",
        "found",
        "took",
        "thought",
        "knew",
        "left",
        "came",
        "became",
        "spent",
        "gave",
        "fell",
        "broke",
        "ran",
        "kept",
        "began",
        "quit",
        "been",
        "gone",
        "done",
        "seen",
        "known",
        "taken",
    ]
)
# ... and of how one is now ("I struggle with that", "I feel the same").
_FEEL: Final = frozenset(["feel", "struggle", "suffer", "cry", "worry"])
_I: Final = frozenset(["i", "i've"])
_SELF_ADVERBS: Final = frozenset(["also", "once", "too", "just", "recently", "actually", "finally"])
_YOU: Final = frozenset(["you", "your", "you're", "yours", "yourself", "you've", "you'd", "u"])
_PROFANE_PREFIXES: Final = (
    "fuck",
    "motherf",
    "shit",
    "bitch",
    "bastard",
    "douche",
    "goddamn",
    "damn",
)
_STARRED: Final = re.compile(r"\b(?:f\*+k|f\*+ck|sh\*+t|f\*{3,}|s\*{3,})")


def _table(spec: dict[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, phrases in spec.items():
        for phrase in phrases.split("|"):
            table.setdefault(phrase, name)
    return table


_PHRASE_OF: Final = _table(_PHRASES)
# A phrase in two strategies ("i understand": acknowledgement and interpretation) counts
# for both; harsh words need no second entry, since every insult and profanity is harsh.
_ALSO: Final = {
    phrase: name
    for name, phrases in _PHRASES.items()
    for phrase in phrases.split("|")
    if _PHRASE_OF[phrase] != name and name != "harsh"
}
_ALSO_AFTER: Final = frozenset(_PHRASE_OF[p] for p in _ALSO)
_OPENER_OF: Final = _table(_OPENERS)
# The first two words of every three-word phrase: only after these is a trigram looked up.
_TRIGRAM_HEADS: Final = frozenset(p.rsplit(" ", 1)[0] for p in _PHRASE_OF if p.count(" ") == 2)
_PROFANE_INITIALS: Final = frozenset(p[0] for p in _PROFANE_PREFIXES)
_SENTENCE_END: Final = frozenset(".?!")
_LETTER: Final = re.compile(r"[A-Za-z]")
_UPPER: Final = re.compile(r"[A-Z]")


@lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """VADER's word valences (loaded once; about 10 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    lex: dict[str, float] = SentimentIntensityAnalyzer().lexicon
    return lex


def features(text: str, toks: list[str] | None = None) -> dict[str, float]:
    """Sparse features of ``text``; ``toks`` may pass an already computed :func:`tokens`."""
    if toks is None:
        toks = tokens(text)
    feats: dict[str, float] = {}
    counts: dict[str, int] = {}
    lex = vader_lexicon()
    phrase_of = _PHRASE_OF
    heads = _TRIGRAM_HEADS
    profane_initials = _PROFANE_INITIALS
    pos = neg = 0.0
    prev3 = prev2 = prev = "<s>"
    bigram = "<s> <s>"
    start = True
    provisional_insult = False  # the last token was an insult that may yet prove self-aimed
    addressed = False  # the current sentence speaks to the reader ("you", "your")
    for tok in toks:
        last_bigram = bigram
        bigram = prev + " " + tok
        feats["w|" + tok] = 1.0
        feats["b|" + bigram] = 1.0
        if tok in _SENTENCE_END:
            start = True
            if prev in _SENTENCE_END and tok != ".":
                counts["exclaim_multi"] = counts.get("exclaim_multi", 0) + 1
            elif tok == "?":
                key = "you_question" if addressed else "question"
                counts[key] = counts.get(key, 0) + 1
            addressed = False
        else:
            if start:
                feats["f|" + tok] = 1.0
                opener = _OPENER_OF.get(tok)
                if opener is not None:
                    counts[opener] = counts.get(opener, 0) + 1
                start = False
            elif tok == "please":
                counts["please"] = counts.get("please", 0) + 1
            if provisional_insult and tok in _SELF_AFTER:
                counts["insult"] -= 1
                counts["self_deprecation"] = counts.get("self_deprecation", 0) + 1
            provisional_insult = False
            keys = (tok, bigram, prev2 + " " + bigram) if last_bigram in heads else (tok, bigram)
            for key in keys:
                name = phrase_of.get(key)
                if name is None or name == "please":
                    continue
                if name == "insult":
                    if prev in _SELF_BEFORE or prev2 in _SELF_BEFORE or prev3 in _SELF_BEFORE:
                        name = "self_deprecation"
                    else:
                        provisional_insult = True
                counts[name] = counts.get(name, 0) + 1
                if name in _ALSO_AFTER and key in _ALSO:
                    also = _ALSO[key]
                    counts[also] = counts.get(also, 0) + 1
            if tok in _YOU:
                addressed = True
            elif (prev in _I or (prev2 in _I and prev in _SELF_ADVERBS)) and (
                tok in _PAST or tok in _FEEL or (len(tok) > 4 and tok.endswith("ed"))
            ):
                counts["self_disclosure"] = counts.get("self_disclosure", 0) + 1
            if tok[0] in profane_initials and tok.startswith(_PROFANE_PREFIXES):
                counts["profanity"] = counts.get("profanity", 0) + 1
            val = lex.get(tok)
            if val is not None:
                if val > 0:
                    pos += val
                else:
                    neg -= val
        prev3, prev2, prev = prev2, prev, tok
    if "*" in text and _STARRED.search(text.lower()):
        counts["profanity"] = counts.get("profanity", 0) + 1
    n = len(toks)
    scale = 1.0 / math.sqrt(n) if n else 0.0
    feats["v|pos"] = pos * scale
    feats["v|neg"] = neg * scale
    feats["n|len"] = math.log1p(n) / 5.0
    # Profanity and insults are harsh language too (not only a category of their own).
    harsh = counts.get("harsh", 0) + counts.get("profanity", 0) + counts.get("insult", 0)
    if harsh:
        counts["harsh"] = harsh
    for name, count in counts.items():
        if count > 0:
            feats["s|" + name] = min(count, 3) / 3.0 + 0.5
    letters = len(_LETTER.findall(text))
    if letters >= 12 and len(_UPPER.findall(text)) / letters > 0.5:
        feats["s|caps"] = 1.0
    return feats
