"""Learned detectors: which labelled codes each sentence of a draft carries, and why.

The codes are those of ``LABELS.md`` (the coach's label definitions): nine ways a repair
draft goes wrong and thirteen things it can do well. Each sentence becomes a list of
features (its words, word pairs and triples, the step, where the sentence sits) plus
the words and pairs of the whole draft, and each code has a linear model over them,
trained by ``mend coach train`` on a corpus of drafts by
fourteen independent writers labelled blind twice (``data/coach/``). A sentence carries a
code when its score passes that code's threshold, set on writers the model had not seen
so that at least 85 in 100 of its findings are right.

Scoring a draft is one dictionary lookup per feature and one NumPy gather and sum for all
its sentences and codes at once. The file ``data/detectors.bin`` holds the feature
index, a float16 weight table (a row per feature, a column per code), the intercepts and
the thresholds; it is read once, on first use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

import numpy as np

from mend.errors import Unsupported

#: Every code a detector decides, in the order of ``LABELS.md`` section 4.
CODES: Final = (
    "responsibility_taken",
    "specific_behavior_named",
    "impact_acknowledged",
    "regret_expressed",
    "repair_offered",
    "future_commitment",
    "non_apology",
    "excuse",
    "blame_shift",
    "defensive",
    "sarcasm",
    "absolute_language",
    "minimizing",
    "pressure",
    "vague_commitment",
    "empathy_emotional_reaction",
    "empathy_interpretation",
    "empathy_exploration",
    "open_question",
    "closed_question",
    "reflection",
    "concrete_action",
)
#: The failure modes of ``LABELS.md`` section 3 (its codes 4.7 to 4.15): what a good draft
#: carries none of.
PROBLEM_CODES: Final = frozenset(
    CODES[CODES.index("non_apology") : CODES.index("vague_commitment") + 1]
)
#: What a draft can do well (``closed_question`` is neither: a suggestion at most).
STRENGTH_CODES: Final = tuple(c for c in CODES if c not in PROBLEM_CODES | {"closed_question"})

DETECTOR_FILE: Final = Path(__file__).with_name("data") / "detectors.bin"
FORMAT: Final = 1


def sentence_keys(words: Sequence[str], *, step: str | None, position: str) -> list[str]:
    """The features of one sentence (``words`` are its folded tokens), as a list: a
    feature that occurs twice counts twice, in training as at run time.

    Words stand for themselves; pairs and triples are words joined by spaces, with
    ``<s>``/``</s>`` at the sentence's edges; ``=<step>|word`` is a word in a draft for
    that step (the same words weigh differently in an apology and in an agreement); ``=``
    also marks the step and where the sentence sits. No word token holds a space, ``=``
    or ``:``, so the kinds never collide.
    """
    step_name = step or "none"
    at_step = f"={step_name}|"
    keys = ["=bias", f"=step {step_name}", f"=pos {position}"]
    keys += words
    keys += [at_step + w for w in words]
    edged = ["<s>", "<s>", *words, "</s>"]
    keys += [f"{a} {b}" for a, b in pairwise(edged[1:])]
    keys += [f"{a} {b} {c}" for a, b, c in zip(edged, edged[1:], edged[2:], strict=False)]
    return keys


def shared_keys(words: Sequence[str]) -> set[str]:
    """One sentence's share of the draft's features: its words (``d:word``) and word
    pairs (``D:a b``)."""
    keys = {"d:" + w for w in words}
    keys.update(f"D:{a} {b}" for a, b in pairwise(words))
    return keys


def draft_keys(sentences: Iterable[Sequence[str]]) -> list[str]:
    """Features of the whole draft, shared by its sentences: every word and word pair
    of any sentence, once each (see :func:`shared_keys`). They carry what the rest of the
    draft says ("sorry" two sentences before a "but"); for a linear model they add the
    same amount to every sentence, so they are scored once per draft."""
    keys: set[str] = set()
    for words in sentences:
        keys |= shared_keys(words)
    return sorted(keys)


def position_of(index: int, count: int) -> str:
    """Where a sentence sits: ``only``, ``first``, ``last`` or ``middle``."""
    if count == 1:
        return "only"
    if index == 0:
        return "first"
    return "last" if index == count - 1 else "middle"


@dataclass(frozen=True)
class Detectors:
    """The shipped linear detectors: a feature index, weights, intercepts, thresholds."""

    codes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray[Any, Any]  # (features, codes), float32
    intercepts: np.ndarray[Any, Any]  # (codes,)
    thresholds: np.ndarray[Any, Any]  # (codes,), on the linear score
    meta: dict[str, Any]

    def rows(self, keys: Iterable[str]) -> list[int]:
        return [row for row in map(self.index.get, keys) if row is not None]

    def scores(
        self, row_lists: Sequence[list[int]], draft_rows: Sequence[int] = ()
    ) -> np.ndarray[Any, Any]:
        """Linear scores, one row per sentence and one column per code; ``draft_rows``
        (the draft's shared features) add the same to every sentence."""
        if not row_lists:
            return np.zeros((0, len(self.codes)))
        flat: list[int] = []
        starts: list[int] = []
        for rows in row_lists:
            starts.append(len(flat))
            flat.extend(rows or (0,))  # row 0 is the all-zero "=none" row
        sums = np.add.reduceat(self.weights[flat], starts, axis=0)
        shared = self.weights[list(draft_rows)].sum(axis=0) if draft_rows else 0.0
        total: np.ndarray[Any, Any] = sums + (self.intercepts + shared)
        return total

    def total(self, rows: Sequence[int]) -> np.ndarray[Any, Any]:
        """The summed weights of ``rows``, one value per code."""
        if not rows:
            return np.zeros(len(self.codes), dtype=np.float32)
        summed: np.ndarray[Any, Any] = self.weights[list(rows)].sum(axis=0)
        return summed

    def decide(self, scores: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Which codes each sentence carries (scores over the thresholds)."""
        return scores >= self.thresholds

    def strongest(self, rows: list[int], code: int, keys: dict[int, str]) -> list[str]:
        """The features of a sentence that pushed ``code`` up most, strongest first."""
        weights = self.weights[rows, code]
        order = np.argsort(-weights)
        return [keys[rows[i]] for i in order if weights[i] > 0][:4]


_MAGIC: Final = b"MENDDET" + bytes([FORMAT])


def save(detectors: Detectors, path: Path) -> None:
    """Write the detectors (byte-identical for the same detectors).

    Layout: a magic number; a length-prefixed JSON header (codes, intercepts,
    thresholds, meta); the features, newline-separated; the float16 weight table, row by
    row. Not compressed: reading it is then a few milliseconds, not a tenth of a second.
    """
    keys = sorted(detectors.index, key=detectors.index.__getitem__)
    header = json.dumps(
        {
            "codes": list(detectors.codes),
            "features": len(keys),
            "intercepts": [round(float(x), 6) for x in detectors.intercepts],
            "thresholds": [round(float(x), 6) for x in detectors.thresholds],
            "meta": detectors.meta,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    names = "\n".join(keys).encode("utf-8")
    weights = np.asarray(detectors.weights, dtype="<f2").tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        _MAGIC
        + len(header).to_bytes(4, "little")
        + header
        + len(names).to_bytes(4, "little")
        + names
        + weights
    )


def read(path: Path) -> Detectors:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise Unsupported(f"coach detector file missing: {path}; run `mend coach train`") from exc
    if not raw.startswith(_MAGIC):
        raise Unsupported(f"coach detector file {path} has an unknown format; retrain it")
    at = len(_MAGIC)
    size = int.from_bytes(raw[at : at + 4], "little")
    header = json.loads(raw[at + 4 : at + 4 + size])
    at += 4 + size
    size = int.from_bytes(raw[at : at + 4], "little")
    keys = raw[at + 4 : at + 4 + size].decode("utf-8").split("\n")
    at += 4 + size
    codes = tuple(header["codes"])
    flat = np.frombuffer(raw, dtype="<f2", offset=at, count=len(keys) * len(codes))
    return Detectors(
        codes=codes,
        index=dict(zip(keys, range(len(keys)), strict=True)),
        weights=flat.reshape(len(keys), len(codes)).astype(np.float32),
        intercepts=np.asarray(header["intercepts"], dtype=np.float32),
        thresholds=np.asarray(header["thresholds"], dtype=np.float32),
        meta=dict(header.get("meta", {})),
    )


@lru_cache(maxsize=1)
def shipped() -> Detectors:
    """The detectors shipped in the package, loaded once per process."""
    return read(DETECTOR_FILE)
