"""Turn the learned detectors' decisions into findings that point at words.

For each sentence a detector flags, the finding's span is the clause that carries the
code most, its focus the (up to four) words that pushed the score up most, and its
explanation names those words. A problem gets a rewrite only when the coach has checked
it: with the span left out, the detectors no longer find the problem in the draft, nor
any other problem that was not there before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import numpy as np

from mend.coach import detect
from mend.coach.explain import WORDINGS, words_phrase
from mend.coach.report import Finding
from mend.coach.rules import PROBLEM

_TOKEN: Final = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+|[?!.]")
# Where a clause ends inside a sentence: punctuation, or before a linking word.
_CLAUSE_BREAK: Final = re.compile(
    r"[,;:\u2014\u2013]\s*|\s+-\s+|\s+(?=(?:but|because|since|although|though|so|and then|"
    r"while|whereas|unless|especially|honestly|frankly|anyway)\b)",
    re.IGNORECASE,
)


# A sentence that disowns the fault or refuses to apologize never takes responsibility
# nor expresses regret, whatever words it shares with one that does ("it wasn't my
# fault"; "I refuse to apologise"): the detectors read words, not what negation does.
_DISOWNS: Final = re.compile(
    r"\b(?:not|never|wasn't|isn't|weren't|was\s+not|is\s+not|no\s+way)\b[^.?!]{0,25}?"
    r"\b(?:my|our)\s+(?:fault|mistake|doing|problem|responsibility|call)\b"
    r"|\b(?:refuse|decline)\s+to\s+apologi[sz]e|\bnothing\s+to\s+(?:apologi[sz]e|be\s+sorry)\b"
    r"|\b(?:won't|will\s+not|not\s+going\s+to)\s+apologi[sz]e",
    re.IGNORECASE,
)
_DISOWNED: Final = ("responsibility_taken", "regret_expressed")


@dataclass
class _Draft:
    """A draft as the detectors read it, kept so a rewrite can be checked cheaply.

    Each sentence's own score and its share of the shared draft features are kept apart:
    leaving words out of one sentence re-reads that sentence alone and adjusts the shared
    part by the features that disappear or appear.
    """

    text: str
    folded: str
    step: str | None
    sentences: list[tuple[int, int, list[str]]]
    #: Each sentence's features' rows in ``sentence_keys`` order (None: not a feature).
    lookups: list[list[int | None]]
    sums: np.ndarray[Any, Any]  # (sentences, codes): each sentence's own features
    shares: list[set[str]]  # each sentence's share of the shared features
    counts: dict[str, int]  # in how many sentences each shared feature occurs
    shared: np.ndarray[Any, Any]  # (codes,): the shared features' weights

    @classmethod
    def read(
        cls,
        text: str,
        folded: str,
        parts: Sequence[tuple[int, int, list[str]]],
        step: str | None,
        detectors: detect.Detectors,
    ) -> _Draft:
        sentences = [p for p in parts if p[2]]
        count = len(sentences)
        get = detectors.index.get
        lookups = [
            [
                get(key)
                for key in detect.sentence_keys(
                    words, step=step, position=detect.position_of(i, count)
                )
            ]
            for i, (_, _, words) in enumerate(sentences)
        ]
        rows = [[r for r in found if r is not None] for found in lookups]
        sums = detectors.scores(rows) - detectors.intercepts
        shares = [detect.shared_keys(words) for _, _, words in sentences]
        counts: dict[str, int] = {}
        for keys in shares:
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        shared = detectors.total(detectors.rows(counts))
        return cls(text, folded, step, sentences, lookups, sums, shares, counts, shared)

    def scores(self, detectors: detect.Detectors) -> np.ndarray[Any, Any]:
        total: np.ndarray[Any, Any] = self.sums + (detectors.intercepts + self.shared)
        return total

    def decisions_without(
        self, index: int, span: tuple[int, int], detectors: detect.Detectors
    ) -> np.ndarray[Any, Any]:
        """Which codes the draft carries anywhere once ``span`` (inside sentence
        ``index``) is left out."""
        start, end, _ = self.sentences[index]
        words = _TOKEN.findall(self.folded[start : span[0]] + " " + self.folded[span[1] : end])
        old, new = self.shares[index], detect.shared_keys(words)
        gone = [k for k in old - new if self.counts[k] == 1]
        came = [k for k in new - old if k not in self.counts]
        shared = (
            self.shared
            - detectors.total(detectors.rows(gone))
            + detectors.total(detectors.rows(came))
        )
        sums = np.delete(self.sums, index, axis=0)
        if words:
            position = detect.position_of(index, len(self.sentences))
            keys = detect.sentence_keys(words, step=self.step, position=position)
            sums = np.vstack([sums, detectors.total(detectors.rows(keys))])
        if not len(sums):
            return np.zeros(len(detectors.codes), dtype=bool)
        return np.asarray(detectors.decide(sums + (detectors.intercepts + shared)).any(axis=0))


def detector_findings(
    text: str, folded: str, parts: Sequence[tuple[int, int, list[str]]], step: str | None
) -> tuple[list[Finding], set[str]]:
    """Findings for every code a detector sees in the draft, and the set of codes seen.

    ``parts`` are the draft's sentences with their tokens (``_text.sentences``).
    """
    detectors = detect.shipped()
    draft = _Draft.read(text, folded, parts, step, detectors)
    if not draft.sentences:
        return [], set()
    scores = draft.scores(detectors)
    hits = detectors.decide(scores)
    for index, (start, end, _) in enumerate(draft.sentences):
        if _DISOWNS.search(folded, start, end):
            for code in _DISOWNED:
                hits[index, detectors.codes.index(code)] = False
    everywhere = np.asarray(hits.any(axis=0))
    findings: list[Finding] = []
    pieces: dict[int, _Pieces] = {}
    for column in np.nonzero(everywhere)[0].tolist():
        code = detectors.codes[column]
        # Each problem where it is; what works, once, where it shows most.
        where = (
            np.nonzero(hits[:, column])[0].tolist()
            if code in detect.PROBLEM_CODES
            else [int(np.argmax(scores[:, column]))]
        )
        for index in where:
            if index not in pieces:
                pieces[index] = _Pieces.of(draft, index)
            findings.append(
                _finding(draft, index, pieces[index], code, column, detectors, everywhere)
            )
    return findings, {detectors.codes[c] for c in np.nonzero(everywhere)[0].tolist()}


@dataclass
class _Pieces:
    """A flagged sentence's tokens, its word n-gram features, and its clauses."""

    spans: list[tuple[int, int]]
    rows: list[int]  # the n-gram features found in the model
    covers: list[tuple[int, int]]  # the first and last token each of them covers
    clauses: list[tuple[int, int]]

    @classmethod
    def of(cls, draft: _Draft, index: int) -> _Pieces:
        start, end, words = draft.sentences[index]
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(draft.folded, start, end)]
        found = draft.lookups[index][3:]  # after the three markers of sentence_keys
        rows, covers = [], []
        for row, cover in zip(found, _covers(len(words)), strict=True):
            if row is not None:
                rows.append(row)
                covers.append(cover)
        sentence = _trim(draft.text, start, end)
        return cls(spans, rows, covers, _clauses(draft.text, *sentence))

    def focus(self, column: int, detectors: detect.Detectors) -> tuple[int, int] | None:
        """The words of the single feature that pushes the code up most."""
        if not self.rows:
            return None
        pushes = detectors.weights[self.rows, column]
        best = int(np.argmax(pushes))
        if pushes[best] <= 0:
            return None
        first, last = self.covers[best]
        return self.spans[first][0], self.spans[last][1]


@lru_cache(maxsize=256)
def _covers(n: int) -> tuple[tuple[int, int], ...]:
    """For a sentence of ``n`` words: the words each n-gram feature covers, in
    ``sentence_keys`` order after its markers (words, step words, pairs, triples)."""
    covers = [(k, k) for k in range(n)] * 2
    covers += [(max(0, j - 1), min(n - 1, j)) for j in range(n + 1)]
    covers += [(max(0, j - 2), min(n - 1, j)) for j in range(n + 1)]
    return tuple(covers)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    at = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() > at:
            out.append((at, m.start()))
        at = m.end()
    if at < end:
        out.append((at, end))
    return [_trim(text, *_unlinked(text, a, b)) for a, b in out if text[a:b].strip()]


# A clause quoted on its own reads better without the word that linked it to the last.
_LINK: Final = re.compile(r"\s*(?:but|and|so|and then)\s+", re.IGNORECASE)


def _unlinked(text: str, start: int, end: int) -> tuple[int, int]:
    m = _LINK.match(text, start, end)
    return (m.end(), end) if m and m.end() < end else (start, end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"'“‘("):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?,;:\"'”’)"):
        end -= 1
    return start, end


def _finding(
    draft: _Draft,
    index: int,
    pieces: _Pieces,
    code: str,
    column: int,
    detectors: detect.Detectors,
    before: np.ndarray[Any, Any],
) -> Finding:
    text = draft.text
    start, end, _ = draft.sentences[index]
    focus = pieces.focus(column, detectors)
    sentence = _trim(text, start, end)
    clause = sentence
    if focus is not None:
        for a, b in pieces.clauses:
            if a <= focus[0] < b:
                clause = (a, max(b, focus[1]))
                break
    wording = WORDINGS[code]
    phrase = words_phrase([" ".join(text[focus[0] : focus[1]].split())] if focus else [])
    span, replacement = clause, None
    if wording.severity == PROBLEM:
        span, replacement = _checked_removal(
            draft, index, sentence, clause, column, detectors, before
        )
    return Finding(
        code,
        wording.severity,
        span[0],
        span[1],
        text[span[0] : span[1]],
        wording.explanation.format(words=phrase),
        wording.suggestion,
        focus=focus,
        replacement=replacement,
    )


def _checked_removal(
    draft: _Draft,
    index: int,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    column: int,
    detectors: detect.Detectors,
    before: np.ndarray[Any, Any],
) -> tuple[tuple[int, int], str | None]:
    """The span to leave out (the clause, else the whole sentence) and "" when the draft
    without it no longer has this problem nor any problem it did not have before; the
    clause and None when neither works (or nothing would be left)."""
    problems = [detectors.codes.index(c) for c in detect.PROBLEM_CODES]
    for span in dict.fromkeys((clause, sentence)):
        if not (draft.text[: span[0]] + draft.text[span[1] :]).strip():
            continue
        after = draft.decisions_without(index, span, detectors)
        if not after[column] and not any(after[p] and not before[p] for p in problems):
            return span, ""
    return clause, None
