"""How well the coach's detectors generalize to writers they have never seen.

    .venv/bin/python benchmarks/coach_writers.py [--families logistic,svm,nbsvm]
        [--gold-only] [--groups g1,g2] [--out results.json] [--show a.json b.json]

Training on all the data takes about ten minutes per held-out group on one core, so
groups can be run in separate processes (``--groups``, ``--out``) and the results
shown together (``--show``). ``--gold-only`` trains on the gold drafts alone (no
supplement, no Enron units): the cheaper setting the model families are compared in.

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
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mend.coach.detect import CODES, PROBLEM_CODES, STRENGTH_CODES, Detectors, shipped  # noqa: E402
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


Results = tuple[dict[str, dict[str, list[float]]], dict[str, list[float]]]


def evaluate(
    gold: list[corpus.Doc], extra: list[corpus.Doc], family: str, groups: Sequence[str] = GROUPS
) -> Results:
    per_code: dict[str, dict[str, list[float]]] = {c: {"p": [], "r": [], "f": []} for c in CODES}
    per_draft: dict[str, list[float]] = {"poor": [], "mixed": [], "good": []}
    for g in groups:
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


def enron_test(test: list[corpus.Doc]) -> None:
    """The shipped detectors (trained on every gold group but the frozen one, the
    supplement and the Enron training half) on the Enron test units."""
    detectors = shipped()
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


def merged(paths: Sequence[str]) -> dict[str, Results]:
    """Per family, the results of several ``--out`` files (each some of the groups)."""
    out: dict[str, Results] = {}
    for path in paths:
        for family, (per_code, per_draft) in json.loads(Path(path).read_text()).items():
            codes, drafts = out.setdefault(family, ({}, {}))
            for code, values in per_code.items():
                for k, v in values.items():
                    codes.setdefault(code, {}).setdefault(k, []).extend(v)
            for quality, v in per_draft.items():
                drafts.setdefault(quality, []).extend(v)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", default=det.FAMILY)
    parser.add_argument("--groups", default=",".join(GROUPS))
    parser.add_argument("--gold-only", action="store_true")
    parser.add_argument("--no-enron", action="store_true")
    parser.add_argument("--enron-only", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--show", nargs="*")
    args = parser.parse_args()
    if args.show:
        for family, (per_code, per_draft) in merged(args.show).items():
            print(f"\n{family}: writer-held-out, {len(per_draft['poor'])} groups of 2 writers")
            show(per_code, per_draft)
        return
    root = datasets.resolve(None)
    gold = corpus.drafts()
    enron = corpus.enron(root)
    extra = [] if args.gold_only else corpus.supplement()
    extra += [] if args.gold_only else [d for d in enron if d.split == "train"]
    groups = [] if args.enron_only else args.groups.split(",")
    results: dict[str, Results] = {}
    for family in args.families.split(",") if groups else []:
        start = time.perf_counter()
        print(f"\n{family}: writer-held-out, groups {', '.join(groups)}", flush=True)
        results[family] = evaluate(gold, extra, family, groups)
        show(*results[family])
        print(f"({time.perf_counter() - start:.0f} s)", flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results))
    if not args.no_enron:
        enron_test([d for d in enron if d.split == "test"])


if __name__ == "__main__":
    main()
