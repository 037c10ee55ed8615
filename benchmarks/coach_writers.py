"""How well the coach's detectors generalize to writers they have never seen.

    .venv/bin/python benchmarks/coach_writers.py [--families logistic,svm,nbsvm]

Writer-held-out evaluation on ``data/coach/``: the fourteen writers form seven groups of
two; each group in turn is held out, detectors are trained on the rest exactly as
``mend coach train`` trains the shipped ones (thresholds set by inner cross-validation
over the other groups, never on the held-out one), and the held-out drafts are scored.
Reported per code: precision and recall, the mean over the seven held-out groups and the
worst group; strengths' macro F1; for the Enron test units (real email, never trained
on), how many clean units get a problem flagged; and per draft, how often a draft the
labellers judged poor, mixed or good gets any problem finding.

Needs scikit-learn and the shared datasets (for the Enron text).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mend.coach.detect import CODES, PROBLEM_CODES, STRENGTH_CODES, Detectors  # noqa: E402
from mend.coach.training import corpus, datasets  # noqa: E402
from mend.coach.training import detectors as det  # noqa: E402

GROUPS = ("g1", "g2", "g3", "g4", "g5", "g6", "g7")
PROBLEMS = [c for c in CODES if c in PROBLEM_CODES]


def predict(docs: Sequence[corpus.Doc], detectors: Detectors) -> np.ndarray[Any, Any]:
    """Which codes each text carries, as the coach decides: the detectors, or a rule
    that proved precise on the training writers (the same rule as at run time)."""
    sents = det.build(docs)
    rows = [detectors.rows(k) for k in sents.keys]
    scores = det.doc_scores(detectors.scores(rows), sents.doc, len(docs))
    decided = scores >= detectors.thresholds
    precise = [CODES.index(c) for c in detectors.meta.get("precise_rules", [])]
    for i, doc in enumerate(docs):
        fired = {c for _, _, c in det.rule_codes(doc.text, doc.step)}
        for j in precise:
            decided[i, j] |= CODES[j] in fired
    return decided


def prf(pred: np.ndarray[Any, Any], truth: np.ndarray[Any, Any]) -> tuple[float, float, float]:
    tp = int((pred & (truth == 1)).sum())
    fp = int((pred & (truth == 0)).sum())
    fn = int((~pred & (truth == 1)).sum())
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp else 0.0
    return p, r, f


def evaluate(
    gold: list[corpus.Doc], extra: list[corpus.Doc], family: str
) -> tuple[dict[str, dict[str, list[float]]], dict[str, list[float]]]:
    per_code: dict[str, dict[str, list[float]]] = {c: {"p": [], "r": [], "f": []} for c in CODES}
    per_draft: dict[str, list[float]] = {"poor": [], "mixed": [], "good": []}
    for g in GROUPS:
        start = time.perf_counter()
        train = [d for d in gold if d.group != g] + extra
        test = [d for d in gold if d.group == g]
        detectors, _ = det.train_detectors(train, family=family)
        pred = predict(test, detectors)
        truth = det.doc_labels(test)
        for j, code in enumerate(CODES):
            p, r, f = prf(pred[:, j], truth[:, j])
            per_code[code]["p"].append(p)
            per_code[code]["r"].append(r)
            per_code[code]["f"].append(f)
        flagged = pred[:, [CODES.index(c) for c in PROBLEMS]].any(axis=1)
        for quality in per_draft:
            mask = np.asarray([d.quality == quality for d in test])
            per_draft[quality].append(float(flagged[mask].mean()) if mask.any() else float("nan"))
        print(f"  held out {g}: {time.perf_counter() - start:.0f} s", flush=True)
    return per_code, per_draft


def show(per_code: dict[str, dict[str, list[float]]], per_draft: dict[str, list[float]]) -> None:
    print(f"{'code':28s} {'P mean':>7s} {'P worst':>7s} {'R mean':>7s} {'R worst':>7s}")
    for code in CODES:
        p = np.asarray(per_code[code]["p"], dtype=float)
        r = np.asarray(per_code[code]["r"], dtype=float)
        print(
            f"{code:28s} {np.nanmean(p):7.2f} {np.nanmin(p):7.2f} "
            f"{np.nanmean(r):7.2f} {np.nanmin(r):7.2f}"
        )
    mean_p = np.nanmean([np.nanmean(per_code[c]["p"]) for c in PROBLEMS])
    mean_r = np.nanmean([np.nanmean(per_code[c]["r"]) for c in PROBLEMS])
    macro_f = np.mean([np.mean(per_code[c]["f"]) for c in STRENGTH_CODES])
    print(f"problems: mean precision {mean_p:.2f}, mean recall {mean_r:.2f}")
    print(f"strengths: macro F1 {macro_f:.2f}")
    for quality, rates in per_draft.items():
        print(
            f"drafts judged {quality}: any problem flagged on {np.nanmean(rates):.0%} "
            f"(worst group {np.nanmax(rates) if quality == 'good' else np.nanmin(rates):.0%})"
        )


def enron_test(gold: list[corpus.Doc], extra: list[corpus.Doc], test: list[corpus.Doc]) -> None:
    """The shipped recipe (every gold group but the frozen one) on the Enron test units."""
    train = [d for d in gold if d.group != corpus.FROZEN_GROUP] + extra
    detectors, _ = det.train_detectors(train)
    pred = predict(test, detectors)
    truth = det.doc_labels(test)
    problems = [CODES.index(c) for c in PROBLEMS]
    clean = ~truth[:, problems].any(axis=1)
    flagged = pred[:, problems].any(axis=1)
    print(
        f"Enron test units: {len(test)}; clean {int(clean.sum())}; "
        f"clean units with a problem flagged: {flagged[clean].mean():.1%}"
    )
    for j, code in enumerate(CODES):
        if truth[:, j].sum() or pred[:, j].sum():
            p, r, _ = prf(pred[:, j], truth[:, j])
            print(f"  {code:28s} labelled {int(truth[:, j].sum()):3d}  P {p:.2f}  R {r:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", default=det.FAMILY)
    parser.add_argument("--no-enron", action="store_true")
    args = parser.parse_args()
    root = datasets.resolve(None)
    gold = corpus.drafts()
    enron = corpus.enron(root)
    extra = corpus.supplement() + [d for d in enron if d.split == "train"]
    for family in args.families.split(","):
        start = time.perf_counter()
        print(f"\n{family}: writer-held-out, 7 groups of 2 writers")
        per_code, per_draft = evaluate(gold, extra, family)
        show(per_code, per_draft)
        print(f"({time.perf_counter() - start:.0f} s)")
    if not args.no_enron:
        enron_test(gold, extra, [d for d in enron if d.split == "test"])


if __name__ == "__main__":
    main()
