"""Train the learned detectors (:mod:`mend.coach.detect`) and measure them by writer.

Each labelled text becomes sentences; a sentence carries a code when one of the spans the
labellers marked for it overlaps the sentence. Features are exactly those the coach
computes at run time (:func:`mend.coach.detect.sentence_keys`, with the coach's own rules
run first). Models are per code; a text carries a code when any of its sentences does.

Model families compared (``benchmarks/coach_writers.py``): logistic regression,
a linear support-vector machine, NB-SVM (logistic regression over naive-Bayes-weighted
features) and a one-hidden-layer network. Thresholds are set per code on writers the
model did not see (inner cross-validation by writer group), at the lowest score whose
precision there is at least :data:`TARGET_PRECISION`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mend.coach._text import FOLD, sentences
from mend.coach.detect import CODES, Detectors, draft_keys, position_of, sentence_keys
from mend.coach.training.corpus import Doc

#: Precision aimed for on unseen writers when setting a threshold (the target is 0.85;
#: the margin absorbs the difference between writer groups).
TARGET_PRECISION = 0.88
#: Features seen fewer times than this in training are left out.
MIN_COUNT = 2
#: The shipped detectors keep the features that matter most to some code (by their
#: largest weight): loading then takes tens of milliseconds, at a cost of under 0.01 of
#: average precision on held-out writers (measured in benchmarks/coach_writers.py).
MAX_FEATURES = 80_000


@dataclass
class Sentences:
    """Every sentence of a set of texts: its features, labels and which text it is from."""

    keys: list[list[str]]
    labels: np.ndarray[Any, Any]  # (sentences, codes) 0/1
    doc: np.ndarray[Any, Any]  # index of the text each sentence belongs to
    spans: list[tuple[int, int]]


def rule_codes(text: str, step: str | None) -> list[tuple[int, int, str]]:
    """The coach's rules on ``text`` (its rule table, and the actions its promise finder
    sees): ``(start, end, code)`` of each finding."""
    from mend.coach.analyzer import _commitment_findings, _rule_findings
    from mend.coach.commitments import extract_commitments

    folded = text.translate(FOLD)
    parts = [(s, e, frozenset(w)) for s, e, w in sentences(folded)]
    found = _rule_findings(text, folded, step, parts)
    found += _commitment_findings(extract_commitments(text, now=None), step, text, folded)
    return [(f.start, f.end, f.code) for f in found]


def split_doc(doc: Doc) -> list[tuple[int, int, list[str], set[str]]]:
    """``(start, end, keys, codes)`` for each sentence of ``doc``."""
    folded = doc.text.translate(FOLD)
    parts = [p for p in sentences(folded) if p[2]]
    out = []
    shared = draft_keys(words for _, _, words in parts)
    for index, (start, end, words) in enumerate(parts):
        keys = shared + sentence_keys(words, step=doc.step, position=position_of(index, len(parts)))
        codes = {
            code for code, spans in doc.labels.items() for s, e in spans if s < end and start < e
        }
        out.append((start, end, keys, codes))
    return out


def build(docs: Sequence[Doc]) -> Sentences:
    keys: list[list[str]] = []
    rows: list[list[int]] = []
    owner: list[int] = []
    spans: list[tuple[int, int]] = []
    for i, doc in enumerate(docs):
        for start, end, k, codes in split_doc(doc):
            keys.append(k)
            rows.append([int(c in codes) for c in CODES])
            owner.append(i)
            spans.append((start, end))
    return Sentences(
        keys=keys,
        labels=np.asarray(rows, dtype=np.int8).reshape(len(rows), len(CODES)),
        doc=np.asarray(owner, dtype=np.int32),
        spans=spans,
    )


def doc_labels(docs: Sequence[Doc]) -> np.ndarray[Any, Any]:
    """(texts, codes) 0/1: what the labellers said of each whole text."""
    return np.asarray([[int(c in d.labels) for c in CODES] for d in docs], dtype=np.int8)


def vocabulary(keys: Sequence[list[str]], min_count: int = MIN_COUNT) -> dict[str, int]:
    """Features seen in at least ``min_count`` sentences, sorted; row 0 is ``=none``."""
    counts: dict[str, int] = {}
    for ks in keys:
        for k in set(ks):
            counts[k] = counts.get(k, 0) + 1
    kept = sorted(k for k, n in counts.items() if n >= min_count and k != "=none")
    return {"=none": 0, **{k: i + 1 for i, k in enumerate(kept)}}


def matrix(keys: Sequence[list[str]], vocab: dict[str, int]) -> Any:
    """Sentences by features, each cell how often the feature occurs (as scored)."""
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    for ks in keys:
        indices.extend(vocab[k] for k in ks if k in vocab)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    x = csr_matrix((data, indices, indptr), shape=(len(keys), len(vocab)))
    x.sum_duplicates()
    return x


# --- model families ---------------------------------------------------------------------

#: A fitted linear model per code: (weights over the vocabulary, intercept).
Linear = tuple[np.ndarray[Any, Any], float]
Fitter = Callable[[Any, np.ndarray[Any, Any], int], Linear]


def fit_logistic(x: Any, y: np.ndarray[Any, Any], seed: int, c: float = 1.0) -> Linear:
    from sklearn.linear_model import LogisticRegression

    if y.sum() == 0:
        return np.zeros(x.shape[1]), -10.0
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=seed)
    model.fit(x, y)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def fit_svm(x: Any, y: np.ndarray[Any, Any], seed: int, c: float = 0.1) -> Linear:
    from sklearn.svm import LinearSVC

    if y.sum() == 0:
        return np.zeros(x.shape[1]), -10.0
    model = LinearSVC(C=c, random_state=seed, max_iter=5000)
    model.fit(x, y)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def fit_nbsvm(x: Any, y: np.ndarray[Any, Any], seed: int, c: float = 1.0) -> Linear:
    """Wang & Manning 2012: logistic regression on features scaled by their log-count
    ratio; the scaling folds into the weights, so it scores like any linear model."""
    from sklearn.linear_model import LogisticRegression

    if y.sum() == 0:
        return np.zeros(x.shape[1]), -10.0
    pos = np.asarray(x[y == 1].sum(axis=0)).ravel() + 1.0
    neg = np.asarray(x[y == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.log((pos / pos.sum()) / (neg / neg.sum()))
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=seed)
    model.fit(x.multiply(ratio).tocsr(), y)
    return (model.coef_[0] * ratio).astype(np.float64), float(model.intercept_[0])


FAMILIES: dict[str, Fitter] = {
    "logistic": fit_logistic,
    "svm": fit_svm,
    "nbsvm": fit_nbsvm,
}


def fit_all(x: Any, y: np.ndarray[Any, Any], fitter: Fitter, seed: int) -> list[Linear]:
    return [fitter(x, y[:, j], seed) for j in range(y.shape[1])]


def sentence_scores(x: Any, models: Sequence[Linear]) -> np.ndarray[Any, Any]:
    w = np.column_stack([m[0] for m in models])
    b = np.asarray([m[1] for m in models])
    return np.asarray(x @ w) + b  # type: ignore[no-any-return]


def doc_scores(
    sent: np.ndarray[Any, Any], owner: np.ndarray[Any, Any], n_docs: int
) -> np.ndarray[Any, Any]:
    """A text's score per code: the highest of its sentences' (-inf for no sentence)."""
    out = np.full((n_docs, sent.shape[1]), -np.inf)
    np.maximum.at(out, owner, sent)
    return out


def threshold_for(scores: np.ndarray[Any, Any], truth: np.ndarray[Any, Any]) -> float:
    """The lowest score whose texts above it are at least TARGET_PRECISION right.

    Scans thresholds from high to low and keeps the lowest one at which precision still
    holds; with no such point (or no positives) the code never fires (``inf``).
    """
    if truth.sum() == 0:
        return float("inf")
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], truth[order]
    tp = np.cumsum(t)
    fp = np.cumsum(1 - t)
    precision = tp / np.maximum(tp + fp, 1)
    ok = np.nonzero((precision >= TARGET_PRECISION) & (tp >= 3))[0]
    if len(ok) == 0:
        return float("inf")
    i = int(ok.max())
    # Never split equal scores: the threshold is the score itself.
    return float(s[i])


def detectors_from(
    models: Sequence[Linear],
    vocab: dict[str, int],
    thresholds: Sequence[float],
    meta: dict[str, Any],
) -> Detectors:
    weights = np.column_stack([m[0] for m in models]).astype(np.float32)
    weights[0, :] = 0.0
    strength = np.abs(weights).max(axis=1)
    strength[0] = np.inf  # "=none" stays, as row 0
    kept = np.sort(np.argsort(-strength, kind="stable")[:MAX_FEATURES])
    names = sorted(vocab, key=vocab.__getitem__)
    vocab = {names[row]: i for i, row in enumerate(kept)}
    weights = weights[kept]
    limit = np.float32(60000.0)  # float16 range; an "inf" threshold means "never"
    return Detectors(
        codes=CODES,
        index=dict(vocab),
        weights=weights,
        intercepts=np.asarray([m[1] for m in models], dtype=np.float32),
        thresholds=np.minimum(np.asarray(thresholds, dtype=np.float32), limit),
        meta=meta,
    )


# --- the shipped detectors --------------------------------------------------------------

#: The model family and its regularization, chosen by ``benchmarks/coach_writers.py``.
FAMILY = "nbsvm"


def _fold_of(doc: Doc, folds: Sequence[str]) -> str | None:
    """Which inner fold a text is held out in: its writer group; Enron units by email."""
    if doc.silver:
        return None
    if doc.is_draft:
        return doc.group if doc.group in folds else None
    email = doc.id.split(":")[1]
    return folds[sum(map(ord, email)) % len(folds)]


def oof_scores(
    docs: Sequence[Doc], sents: Sentences, fitter: Fitter, seed: int, folds: Sequence[str]
) -> np.ndarray[Any, Any]:
    """Each text's scores from detectors trained without its fold (-inf: never held out)."""
    fold = np.asarray([_fold_of(d, folds) or "" for d in docs])
    out = np.full((len(docs), len(CODES)), -np.inf)
    for g in folds:
        held_doc = fold == g
        held = held_doc[sents.doc]
        train_keys = [k for k, h in zip(sents.keys, held, strict=True) if not h]
        vocab = vocabulary(train_keys)
        models = fit_all(matrix(train_keys, vocab), sents.labels[~held], fitter, seed)
        test_keys = [k for k, h in zip(sents.keys, held, strict=True) if h]
        scores = sentence_scores(matrix(test_keys, vocab), models)
        index = np.nonzero(held_doc)[0]
        local = {d: i for i, d in enumerate(index)}
        owner = np.asarray([local[d] for d in sents.doc[held]], dtype=np.int64)
        out[index] = doc_scores(scores, owner, len(index))
    return out


#: A rule's findings are kept beside the detectors' when at least this share of them is
#: right on the labelled drafts (and it fired at least RULE_MIN_FIRED times).
RULE_PRECISION = 0.9
RULE_MIN_FIRED = 20


def precise_rules(docs: Sequence[Doc]) -> list[str]:
    """The codes whose rules are precise on ``docs`` (labelled drafts)."""
    fired = dict.fromkeys(CODES, 0)
    right = dict.fromkeys(CODES, 0)
    for doc in docs:
        for code in {c for _, _, c in rule_codes(doc.text, doc.step) if c in fired}:
            fired[code] += 1
            right[code] += code in doc.labels
    return [
        c for c in CODES if fired[c] >= RULE_MIN_FIRED and right[c] / fired[c] >= RULE_PRECISION
    ]


def train_detectors(
    docs: Sequence[Doc], *, seed: int = 13, family: str = FAMILY
) -> tuple[Detectors, dict[str, Any]]:
    """Detectors trained on ``docs``, thresholds set on writers held out in turn."""
    fitter = FAMILIES[family]
    sents = build(docs)
    folds = sorted({d.group for d in docs if d.is_draft and not d.silver})
    gold = np.asarray([not d.silver for d in docs])
    oof = oof_scores(docs, sents, fitter, seed, folds)
    truth = doc_labels(docs)
    seen = gold & np.isfinite(oof).all(axis=1)
    thresholds = [threshold_for(oof[seen, j], truth[seen, j]) for j in range(len(CODES))]
    vocab = vocabulary(sents.keys)
    models = fit_all(matrix(sents.keys, vocab), sents.labels, fitter, seed)
    precise = precise_rules([d for d in docs if d.is_draft and not d.silver])
    meta = {
        "precise_rules": precise,
        "seed": seed,
        "family": family,
        "texts": len(docs),
        "sentences": len(sents.keys),
        "features": len(vocab),
        "target_precision": TARGET_PRECISION,
        "folds": list(folds),
    }
    return detectors_from(models, vocab, thresholds, meta), meta


def train_shipped(
    datasets_root: Any, *, seed: int = 13, out: Any = None, corpus_dir: Any = None
) -> dict[str, Any]:
    """Train the shipped detectors and write them (``out``, default the package file).

    Trained on every labelled draft but the frozen writer group's (kept for the tests),
    the writer-labelled supplement, and the Enron units of the training half.
    """
    from mend.coach.detect import DETECTOR_FILE, save
    from mend.coach.training import corpus

    folder = corpus_dir or corpus.CORPUS_DIR
    gold = [d for d in corpus.drafts(folder) if d.group != corpus.FROZEN_GROUP]
    enron = [d for d in corpus.enron(datasets_root, folder) if d.split == "train"]
    docs = gold + corpus.supplement(folder) + enron
    detectors, meta = train_detectors(docs, seed=seed)
    save(detectors, out or DETECTOR_FILE)
    return meta
