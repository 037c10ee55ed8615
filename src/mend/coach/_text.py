"""Text helpers shared by the rules, the models and training: one tokenization pass.

Everything here is pure and cheap: it runs on every draft.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

#: The documented limit on the length of a draft, in characters.
MAX_CHARS: Final = 50_000

# Words are ASCII letters with inner apostrophes; numbers; and the three punctuation
# marks that end sentences and carry tone. Curly apostrophes are folded to straight ones first.
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+|[?!.]")
#: Folds ASCII capitals and curly apostrophes one character for one character, so a
#: match on the folded text has the same span in the original (unlike ``str.lower``).
FOLD: Final = str.maketrans(
    {**{chr(c): chr(c + 32) for c in range(65, 91)}, "\u2019": "'", "\u2018": "'", "\u02bc": "'"}
)

# Common English function words: a text written in English uses them densely.
_ENGLISH_FUNCTION_WORDS: Final = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "don't",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "i'll",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "me",
        "more",
        "my",
        "no",
        "not",
        "now",
        "of",
        "on",
        "or",
        "our",
        "out",
        "she",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "you're",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (plus ``?``, ``!`` and ``.``) of ``text``, in order."""
    return _TOKEN.findall(text.translate(FOLD))


def language_supported(text: str, toks: list[str]) -> bool:
    """A cheap guess whether ``text`` is English enough for the coach to judge.

    Two signals: most letters must be Latin, and a text of more than a few words must
    use English function words at a rate far above what other Latin-script languages do.
    """
    letters = 0
    latin = 0
    for ch in "" if text.isascii() else text:
        if ch.isalpha():
            letters += 1
            if ch < "\u0250" or unicodedata.name(ch, "").startswith("LATIN"):
                latin += 1
    if letters and latin / letters < 0.6:
        return False
    words = [t for t in toks if t[0].isalpha()]
    if len(words) < 4:
        return True
    hits = sum(1 for w in words if w in _ENGLISH_FUNCTION_WORDS)
    return hits / len(words) >= 0.18
