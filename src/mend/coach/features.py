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

# Each strategy is one alternation, matched on the lower-cased text with curly
# apostrophes folded. Names are part of the model files: rename only with a retrain.
_STRATEGIES: Final[dict[str, str]] = {
    # Danescu-Niculescu-Mizil et al. 2013, politeness strategies
    "gratitude": r"\b(?:thanks?|thank you|thx|appreciate[ds]?|grateful)\b",
    "deference": r"^(?:great|good|nice|interesting|cool|excellent|awesome|wonderful)\b",
    "greeting": r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b",
    "apologizing": r"\b(?:sorry|apologi[sz]e|apologies|forgive me|excuse me|my bad|pardon)\b",
    "please": r"(?<!^)\bplease\b",
    "please_start": r"^please\b",
    "indirect_btw": r"\b(?:by the way|btw|incidentally)\b",
    "direct_question": r"(?:^|[.!?]\s+)(?:what|why|who|how|where|when)\b",
    "direct_start": r"(?:^|[.!?]\s+)(?:so|then|and|but|or)\b",
    "counterfactual": r"\b(?:could|would) you\b",
    "indicative": r"\b(?:can|will) you\b",
    "first_person_start": r"(?:^|[.!?]\s+)(?:i|my|mine|myself)\b",
    "first_plural": r"\b(?:we|our|us|ourselves|let's)\b",
    "second_person_start": r"(?:^|[.!?]\s+)(?:you|your|yours|yourself)\b",
    "hedge": (
        r"\b(?:i think|i believe|i guess|i suppose|maybe|perhaps|possibly|probably|might|"
        r"somewhat|seems?|suggest|wonder(?:ing)?|it appears|kind of|sort of|not sure|"
        r"in my (?:view|opinion|experience)|as far as i)\b"
    ),
    "factuality": r"\b(?:in fact|actually|really|the (?:point|reality|truth|fact) is|obviously|clearly)\b",
    "subjunctive_ask": r"\b(?:would it be|would you mind|if you (?:could|would|don't mind)|is it possible)\b",
    # Yeomans et al. 2020, receptiveness markers
    "acknowledge": (
        r"\b(?:i (?:understand|see|hear|get|recogni[sz]e|respect|appreciate)|"
        r"(?:good|fair|valid) (?:point|question)|that makes sense|you(?:'re| are) right|"
        r"i can see (?:why|how|that)|i see what you mean)\b"
    ),
    "agreement": r"\b(?:i (?:agree|concede)|agreed|exactly|absolutely|true|both|common ground)\b",
    "negation": r"\b(?:not|no|never|nothing|nobody|none|cannot|can't|don't|doesn't|didn't|isn't|aren't|won't|wouldn't|shouldn't)\b",
    "contradiction": r"\b(?:but|however|although|though|whereas|nevertheless|on the contrary)\b",
    "disagreement": (
        r"\b(?:you(?:'re| are) (?:wrong|mistaken|ignoring|missing)|that(?:'s| is) (?:wrong|false|"
        r"ridiculous|absurd|nonsense)|i disagree|makes no sense|no sense)\b"
    ),
    "you_absolute": r"\byou (?:always|never|constantly|keep)\b",
    "profanity": (
        r"\b(?:fuck\w*|f\*+k\w*|fck\w*|motherf\w*|shit\w*|sh\*t\w*|crap(?:py)?|damn\w*|dammit|"
        r"goddamn\w*|bullshit|wtf|stfu|ffs|ass(?:hole)?s?|dumbass|jackass|arse(?:hole)?s?|bitch\w*|"
        r"bastard\w*|piss(?:ed)?|dick\w*|cock|prick|twat|cunt|wanker|bollocks|douche\w*|hell|"
        r"bloody|screw (?:you|this|it|that)|shut up)\b"
    ),
    "insult": (
        r"\b(?:stupid\w*|idiot\w*|dumb|moron\w*|retard\w*|imbecile\w*|incompetent|pathetic|"
        r"clueless|loser\w*|brainless|braindead|jerk\w*|clown\w*|amateurish|lazy)\b"
    ),
    "harsh": (
        r"\b(?:useless|garbage|trash|ridiculous|lame|sucks?|terrible|awful|horrible|worst|"
        r"nonsense|insane|crazy|silly|ugly|disgusting|shameful|lousy|absurd|embarrassing)\b"
    ),
    "exclaim_multi": r"[!?]{2,}",
}

_STRATEGY_RES: Final = tuple((name, re.compile(rx, re.M)) for name, rx in _STRATEGIES.items())
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
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
    lex = vader_lexicon()
    pos = neg = 0.0
    prev = "<s>"
    start = True
    for tok in toks:
        feats["w|" + tok] = 1.0
        feats["b|" + prev + " " + tok] = 1.0
        if start and tok not in _SENTENCE_END:
            feats["f|" + tok] = 1.0
            start = False
        if tok in _SENTENCE_END:
            start = True
        val = lex.get(tok)
        if val is not None:
            if val > 0:
                pos += val
            else:
                neg -= val
        prev = tok
    n = len(toks)
    scale = 1.0 / math.sqrt(n) if n else 0.0
    feats["v|pos"] = pos * scale
    feats["v|neg"] = neg * scale
    feats["n|len"] = math.log1p(n) / 5.0
    low = text.lower().translate(_APOSTROPHES)
    for name, rx in _STRATEGY_RES:
        count = len(rx.findall(low))
        if count:
            feats["s|" + name] = min(count, 3) / 3.0 + 0.5
    letters = len(_LETTER.findall(text))
    if letters >= 12 and len(_UPPER.findall(text)) / letters > 0.5:
        feats["s|caps"] = 1.0
    return feats
