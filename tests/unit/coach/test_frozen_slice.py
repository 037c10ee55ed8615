"""The shipped coach against the frozen slice: writers and emails it never learned from.

Writer group g7 (writers w08 and w14, 900 gold drafts) and the Enron test half are kept
out of the shipped detectors (``mend coach train``). The floors sit a little under what
was measured when the detectors were trained (docs/coach.md), so a regression fails
while the retraining noise does not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import pytest
from tests.conftest import skip_or_fail

from mend.coach import analyze
from mend.coach.detect import CODES, PROBLEM_CODES, STRENGTH_CODES
from mend.coach.training import corpus, datasets

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)

#: Per problem code: (precision floor, recall floor) on the frozen writers' drafts.
#: Measured (benchmarks/coach_frozen.py, docs/coach.md): the floors sit about 0.05-0.07
#: under. The issue's target is precision 0.85 and recall 0.70 for every code; the codes
#: whose floor is lower are the ones that still miss it, and docs/coach.md says so.
PROBLEM_FLOORS: dict[str, tuple[float, float]] = {
    "non_apology": (0.80, 0.85),  # measured 0.87 / 0.91
    "excuse": (0.74, 0.41),  # 0.81 / 0.47
    "blame_shift": (0.78, 0.21),  # 0.85 / 0.27
    "defensive": (0.79, 0.35),  # 0.86 / 0.41
    "sarcasm": (0.82, 0.53),  # 0.89 / 0.59
    "absolute_language": (0.82, 0.64),  # 0.89 / 0.70
    "minimizing": (0.82, 0.46),  # 0.89 / 0.52
    "pressure": (0.79, 0.75),  # 0.86 / 0.81
    "vague_commitment": (0.84, 0.78),  # 0.91 / 0.84
}
#: Macro F1 of the strength codes on the frozen writers' drafts (measured 0.82).
STRENGTH_MACRO_F1_FLOOR = 0.78
#: At most this share of clean Enron test units may get a problem finding (measured
#: 0.6%; the issue's target is 2%).
ENRON_FALSE_ALARMS_CEILING = 0.02
#: Drafts the labellers judged poor that get at least one problem finding, at least
#: (measured 89.5%; target 90%); drafts judged good, at most (measured 3.0%; target 5%).
POOR_FLAGGED_FLOOR = 0.85
GOOD_FLAGGED_CEILING = 0.05


def _found(doc: corpus.Doc) -> set[str]:
    return {f.code for f in analyze(doc.text, doc.step, now=NOW).findings}


@lru_cache(maxsize=1)
def _frozen() -> tuple[list[corpus.Doc], list[set[str]]]:
    docs = [d for d in corpus.drafts() if d.group == corpus.FROZEN_GROUP]
    return docs, [_found(d) for d in docs]


def _prf(code: str, docs: list[corpus.Doc], found: list[set[str]]) -> tuple[float, float, float]:
    truth = np.asarray([code in d.labels for d in docs])
    pred = np.asarray([code in f for f in found])
    tp = int((truth & pred).sum())
    precision = tp / max(int(pred.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_each_problem_code_on_writers_never_seen(code: str) -> None:
    docs, found = _frozen()
    precision, recall, _ = _prf(code, docs, found)
    floor_p, floor_r = PROBLEM_FLOORS[code]
    assert precision >= floor_p, (code, precision)
    assert recall >= floor_r, (code, recall)


def test_strengths_on_writers_never_seen() -> None:
    docs, found = _frozen()
    macro = np.mean([_prf(c, docs, found)[2] for c in STRENGTH_CODES])
    assert macro >= STRENGTH_MACRO_F1_FLOOR, macro


def test_per_draft_poor_drafts_are_flagged_and_good_ones_left_alone() -> None:
    docs, found = _frozen()
    flagged = [bool(f & PROBLEM_CODES) for f in found]
    poor = [x for d, x in zip(docs, flagged, strict=True) if d.quality == "poor"]
    good = [x for d, x in zip(docs, flagged, strict=True) if d.quality == "good"]
    assert np.mean(poor) >= POOR_FLAGGED_FLOOR, np.mean(poor)
    assert np.mean(good) <= GOOD_FLAGGED_CEILING, np.mean(good)


def test_clean_real_email_is_left_alone() -> None:
    root = datasets.default_dir()
    if not (root / corpus.enron_units.FOLDER).is_dir():
        skip_or_fail(f"the shared datasets folder is not at {root}")
    units = [u for u in corpus.enron(root) if u.split == "test"]
    clean = [u for u in units if not set(u.labels) & PROBLEM_CODES]
    alarms = [u for u in clean if _found(u) & PROBLEM_CODES]
    assert len(clean) > 500
    assert len(alarms) / len(clean) <= ENRON_FALSE_ALARMS_CEILING, [a.text for a in alarms[:5]]


def test_every_code_is_measured() -> None:
    assert set(PROBLEM_FLOORS) == PROBLEM_CODES
    assert set(CODES) == PROBLEM_CODES | set(STRENGTH_CODES) | {"closed_question"}
