"""The shipped coach, end to end, on text it never learned from.

    .venv/bin/python benchmarks/coach_frozen.py

Writer group g7 (two writers, 900 gold drafts) and the Enron test half are kept out of
the shipped detectors. This runs :func:`mend.coach.analyze` on them, exactly as a user's
draft is coached (rules, detectors, score findings), and prints per problem code the
precision and recall, strengths' macro F1, the per-draft figures (poor / mixed / good
drafts with any problem finding) and the share of clean Enron units with a problem
finding. ``tests/unit/coach/test_frozen_slice.py`` holds floors a little under these.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mend.coach import analyze  # noqa: E402
from mend.coach.detect import CODES, PROBLEM_CODES, STRENGTH_CODES  # noqa: E402
from mend.coach.training import corpus, datasets  # noqa: E402

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def found(doc: corpus.Doc) -> set[str]:
    return {f.code for f in analyze(doc.text, doc.step, now=NOW).findings}


def prf(code: str, docs: list[corpus.Doc], got: list[set[str]]) -> tuple[float, float, float, int]:
    truth = np.asarray([code in d.labels for d in docs])
    pred = np.asarray([code in f for f in got])
    tp = int((truth & pred).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(truth.sum()), 1)
    f = 2 * p * r / (p + r) if tp else 0.0
    return p, r, f, int(truth.sum())


def main() -> None:
    docs = [d for d in corpus.drafts() if d.group == corpus.FROZEN_GROUP]
    got = [found(d) for d in docs]
    print(f"frozen writers ({corpus.FROZEN_GROUP}): {len(docs)} drafts")
    print(f"{'code':28} {'P':>5} {'R':>5} {'F1':>5} {'n':>5}")
    for code in CODES:
        p, r, f, n = prf(code, docs, got)
        kind = "problem" if code in PROBLEM_CODES else "strength"
        print(f"{code:28} {p:5.2f} {r:5.2f} {f:5.2f} {n:5d}  {kind}")
    problems = [prf(c, docs, got) for c in sorted(PROBLEM_CODES)]
    print(
        f"problems mean P {np.mean([x[0] for x in problems]):.2f} "
        f"R {np.mean([x[1] for x in problems]):.2f}"
    )
    print(f"strengths macro F1 {np.mean([prf(c, docs, got)[2] for c in STRENGTH_CODES]):.2f}")
    for quality in ("poor", "mixed", "good"):
        flags = [
            bool(f & PROBLEM_CODES) for d, f in zip(docs, got, strict=True) if d.quality == quality
        ]
        if flags:
            print(
                f"{quality:5} drafts with a problem finding: {np.mean(flags):.1%} of {len(flags)}"
            )
    root = datasets.default_dir()
    if (root / corpus.enron_units.FOLDER).is_dir():
        units = [u for u in corpus.enron(root) if u.split == "test"]
        clean = [u for u in units if not set(u.labels) & PROBLEM_CODES]
        alarms = sum(bool(found(u) & PROBLEM_CODES) for u in clean)
        print(
            f"Enron test units: {len(units)}; clean {len(clean)}; "
            f"with a problem finding {alarms} ({alarms / len(clean):.1%})"
        )


if __name__ == "__main__":
    main()
