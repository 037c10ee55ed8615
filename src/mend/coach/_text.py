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
    """
    a about after again against all also am an and another any anyone anything are as at
    be because been before being between both but by can can't could couldn't did didn't
    do does doesn't don't down during each else every for from had hadn't has hasn't have
    haven't he her here him his how i i'd i'll i'm i've if in into is isn't it it's its
    just let let's me might more most much must my no not now of off on once one only or
    other our out over please same she should shouldn't so some such than thanks that
    that's the their them then there these they they're this those through to too under
    until up us very was wasn't we we'd we'll we're we've were weren't what what's when
    where which while who why will with within without won't would wouldn't yes you
    you'd you'll you're you've your
    """.split()  # noqa: SIM905 (one word list, easier to read)
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (plus ``?``, ``!`` and ``.``) of ``text``, in order."""
    return _TOKEN.findall(text.translate(FOLD))


# A sentence with the punctuation and line breaks that end it; no token crosses one.
#: A line break inside a sentence (text wrapped by hand or by an email client), as opposed
#: to one that ends it: a blank line, or a new line that starts a list item.
SOFT_BREAK = r"\n(?![ \t]*(?:\n|[-*•>]|\d+[.)]\s))"
_SENTENCE = re.compile(rf"(?:[^.!?\n]|{SOFT_BREAK})+[.!?\n]*|[.!?\n]+")


def sentences(folded: str) -> list[tuple[int, int, list[str]]]:
    """``(start, end, tokens)`` of each sentence of an already folded text.

    The tokens of all sentences, in order, are exactly :func:`tokens` of the text, so
    one pass serves both the rules (which look only at the sentences holding their
    trigger words) and the models.
    """
    return [(m.start(), m.end(), _TOKEN.findall(m.group())) for m in _SENTENCE.finditer(folded)]


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
    # Short notes ("Right, understood. Anything else?") need one function word; longer
    # texts a rate far above the few English-looking words of French or Spanish.
    return hits >= 1 if len(words) < 8 else hits / len(words) >= 0.15


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def json_text(text: str) -> str:
    """``text`` with lone surrogates (from a bad decoder) as U+FFFD, one for one.

    JSON joins an escaped high+low pair into one character and UTF-8 cannot carry them
    at all, so quoted text would not survive a round trip; spans stay valid because each
    code point is replaced by exactly one.
    """
    return _SURROGATE.sub("\ufffd", text)
