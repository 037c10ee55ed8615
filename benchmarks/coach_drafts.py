"""The coach's findings against hand-labeled drafts: per-code precision, recall, support.

The drafts live in ``tests/fixtures/drafts/drafts.jsonl``: one JSON object a line with
``id``, ``step`` (a coach step or null), ``split`` (``dev`` or ``heldout``), ``text``,
``codes`` (every finding code a careful reader would expect: problems, strengths and
``missing_*`` warnings) and ``notes``. Rules are tuned on ``dev`` only; ``heldout``
estimates how they do on text nobody tuned them on.

Scoring is per draft and per code: a code the coach reports (at any span) on a draft
labeled with it is a true positive, on a draft not labeled with it a false positive;
a labeled code the coach does not report is a false negative. The issue's target:
every problem code precision >= 0.85 on heldout (a coach that cries wolf gets ignored).

Run: ``.venv/bin/python benchmarks/coach_drafts.py [--errors dev|heldout] [--code CODE]``
Always exits 0: it measures; ``tests/unit/coach/test_findings.py`` holds the gate.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mend.coach import analyze
from mend.coach.rules import RULES_BY_CODE

DRAFTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "drafts" / "drafts.jsonl"
SPLITS = ("dev", "heldout")
#: The precision every problem code must reach on heldout drafts.
PROBLEM_PRECISION_TARGET = 0.85


@dataclass(frozen=True)
class Draft:
    id: str
    step: str | None
    split: str
    text: str
    codes: frozenset[str]
    notes: str


@dataclass(frozen=True)
class CodeScore:
    code: str
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None


def load(path: Path = DRAFTS) -> list[Draft]:
    """Every labeled draft in the fixture file, in file order."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(
                Draft(
                    d["id"],
                    d["step"],
                    d["split"],
                    d["text"],
                    frozenset(d["codes"]),
                    d.get("notes", ""),
                )
            )
    return out


def predicted(draft: Draft) -> frozenset[str]:
    """The codes the coach reports on a draft (each at most once)."""
    return frozenset(f.code for f in analyze(draft.text, draft.step).findings)


def score(drafts: Iterable[Draft]) -> dict[str, CodeScore]:
    """Per-code counts over ``drafts``, for every code labeled or predicted."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for d in drafts:
        got = predicted(d)
        for c in got & d.codes:
            tp[c] += 1
        for c in got - d.codes:
            fp[c] += 1
        for c in d.codes - got:
            fn[c] += 1
    codes = set(tp) | set(fp) | set(fn)
    return {c: CodeScore(c, tp[c], fp[c], fn[c]) for c in sorted(codes)}


def is_problem(code: str) -> bool:
    rule = RULES_BY_CODE.get(code)
    return rule is not None and rule.severity == "problem"


def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:.2f}"


def table(scores: dict[str, CodeScore]) -> str:
    """A fixed-width table: problems first, then strengths, then ``missing_*``."""

    def order(c: str) -> tuple[int, str]:
        return (0 if is_problem(c) else 2 if c.startswith("missing_") else 1, c)

    lines = [f"{'code':<26}{'kind':<9}{'prec':>6}{'recall':>8}{'support':>9}{'tp':>5}{'fp':>5}"]
    for c in sorted(scores, key=order):
        s = scores[c]
        kind = "problem" if is_problem(c) else "missing" if c.startswith("missing_") else "strength"
        lines.append(
            f"{c:<26}{kind:<9}{_fmt(s.precision):>6}{_fmt(s.recall):>8}{s.support:>9}{s.tp:>5}{s.fp:>5}"
        )
    return "\n".join(lines)


def problem_precision_failures(scores: dict[str, CodeScore]) -> list[str]:
    """Problem codes under the precision target (codes never predicted do not fail)."""
    return [
        f"{c}: {s.precision:.2f} ({s.tp} right, {s.fp} wrong)"
        for c, s in scores.items()
        if is_problem(c) and s.precision is not None and s.precision < PROBLEM_PRECISION_TARGET
    ]


def _errors(drafts: list[Draft], code: str | None) -> None:
    for d in drafts:
        got = predicted(d)
        extra, missed = got - d.codes, d.codes - got
        if code:
            extra, missed = extra & {code}, missed & {code}
        if extra or missed:
            print(f"{d.id} [{d.step}] +{sorted(extra)} -{sorted(missed)}\n    {d.text!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", choices=SPLITS, help="also list the drafts a split gets wrong")
    parser.add_argument("--code", help="with --errors: only this code")
    args = parser.parse_args(argv)
    drafts = load()
    for split in SPLITS:
        part = [d for d in drafts if d.split == split]
        scores = score(part)
        print(f"\n== {split}: {len(part)} drafts ==")
        print(table(scores))
        fails = problem_precision_failures(scores)
        print(
            f"problem codes under precision {PROBLEM_PRECISION_TARGET}: "
            + ("; ".join(fails) if fails else "none")
        )
    if args.errors:
        print(f"\n== {args.errors} drafts with a wrong or missing code ==")
        _errors([d for d in drafts if d.split == args.errors], args.code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
