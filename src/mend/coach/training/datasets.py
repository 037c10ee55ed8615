"""Readers for the public corpora in the shared datasets folder.

Only the sets marked *train* in the datasets README feed :mod:`.fit`; the
evaluate-only readers exist for ``benchmarks/coach_quality.py``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from mend.errors import NotFound

ENV_VAR = "MEND_DATASETS"


def default_dir() -> Path:
    """``$MEND_DATASETS``, else ``../shared/datasets`` beside the project root."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[4]  # src/mend/coach/training -> project root
    return root.parent / "shared" / "datasets"


def resolve(directory: str | Path | None) -> Path:
    """The datasets folder to use; raises :class:`NotFound` with a clear message if absent."""
    path = Path(directory) if directory else default_dir()
    if not (path / "stanford-politeness").is_dir():
        raise NotFound(
            f"datasets folder not found at {path}: pass --datasets DIR or set {ENV_VAR}",
            field="datasets",
        )
    return path


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def politeness(root: Path, domain: str) -> tuple[list[str], list[int]]:
    """Stanford politeness requests of ``domain`` (``wikipedia`` or ``stack-exchange``),
    top quartile (1) vs bottom quartile (0) of the normalized score, middle half dropped."""
    rows = _rows(root / "stanford-politeness" / f"{domain}.annotated.csv")
    scores = sorted(float(r["Normalized Score"]) for r in rows)
    q1 = scores[len(scores) // 4]
    q3 = scores[(3 * len(scores)) // 4]
    texts: list[str] = []
    labels: list[int] = []
    for r in rows:
        s = float(r["Normalized Score"])
        if s >= q3:
            texts.append(r["Request"])
            labels.append(1)
        elif s <= q1:
            texts.append(r["Request"])
            labels.append(0)
    return texts, labels


def receptiveness(root: Path) -> tuple[list[str], list[float]]:
    """Yeomans et al. replies with their standardized receptiveness rating."""
    rows = _rows(root / "yeomans-receptiveness-and-offers" / "receptive_train.csv")
    return [r["text"] for r in rows], [float(r["receptive"]) for r in rows]


def offers(root: Path) -> tuple[list[str], list[int]]:
    """Negotiation offers written warm (1) or tough (0), both files together."""
    texts: list[str] = []
    labels: list[int] = []
    for name in ("bowl_offers.csv", "phone_offers.csv"):
        for r in _rows(root / "yeomans-receptiveness-and-offers" / name):
            texts.append(r["message"])
            labels.append(int(float(r["condition"])))
    return texts, labels


def goemotions(root: Path) -> tuple[list[str], list[set[str]]]:
    """GoEmotions train + dev comments with their emotion names."""
    names = (root / "goemotions" / "emotions.txt").read_text().split()
    texts: list[str] = []
    labels: list[set[str]] = []
    for split in ("train.tsv", "dev.tsv"):
        with (root / "goemotions" / split).open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2:
                    continue
                texts.append(parts[0])
                labels.append({names[int(i)] for i in parts[1].split(",") if i})
    return texts, labels


# ---- evaluate only -------------------------------------------------------------


def epitome(root: Path, mechanism: str) -> tuple[list[str], list[int]]:
    """EPITOME responses and their level (0/1/2) for one mechanism. Evaluate only."""
    rows = _rows(root / "epitome-empathy" / f"{mechanism}-reddit.csv")
    return [r["response_post"] for r in rows], [int(r["level"]) for r in rows]


def toxicr(root: Path) -> tuple[list[str], list[int]]:
    """ToxiCR code-review comments and ``is_toxic``. Evaluate only."""
    rows = _rows(root / "toxicr-code-review-toxicity" / "code-review-dataset-full.csv")
    return [r["message"] for r in rows], [int(r["is_toxic"]) for r in rows]


def politeness_scores(root: Path, domain: str) -> tuple[list[str], list[float]]:
    """Every Stanford politeness request of ``domain`` with its normalized score."""
    rows = _rows(root / "stanford-politeness" / f"{domain}.annotated.csv")
    return [r["Request"] for r in rows], [float(r["Normalized Score"]) for r in rows]
