"""The coach's labelled corpus: drafts by independent writers, and real Enron email units.

``data/coach/drafts.jsonl`` holds each draft with its text; ``data/coach/enron.jsonl``
holds each Enron unit's labels and a reference to its email, whose text is read from the
shared datasets folder (:mod:`.enron`), where it stays. See ``data/coach/DATASHEET.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from mend.coach.training import enron as enron_units

#: The corpus folder in the repository.
CORPUS_DIR = Path(__file__).resolve().parents[4] / "data" / "coach"
#: The writer group kept out of the shipped model: the frozen slice tests check it on.
FROZEN_GROUP = "g7"


@dataclass(frozen=True)
class Doc:
    """One labelled text: a draft (``step`` given) or an Enron unit (``step`` None)."""

    id: str
    text: str
    step: str | None
    group: str  # the writer group, or "enron"
    labels: dict[str, list[tuple[int, int]]]
    quality: str | None = None
    split: str = "train"  # Enron units: "train" or "test"
    writer: str = field(default="")
    #: Labelled by its writer only (the supplement): trained on, never measured on.
    silver: bool = False

    @property
    def is_draft(self) -> bool:
        return self.group != "enron"


def _labels(raw: dict[str, list[list[int]]]) -> dict[str, list[tuple[int, int]]]:
    return {code: [(int(s), int(e)) for s, e in spans] for code, spans in raw.items()}


def drafts(folder: Path = CORPUS_DIR) -> list[Doc]:
    """The gold drafts (``drafts.jsonl``), labelled blind twice."""
    return _read_drafts(folder / "drafts.jsonl", silver=False)


def supplement(folder: Path = CORPUS_DIR) -> list[Doc]:
    """Extra training drafts labelled by their writers alone (``supplement.jsonl``)."""
    path = folder / "supplement.jsonl"
    return _read_drafts(path, silver=True) if path.exists() else []


def _read_drafts(path: Path, *, silver: bool) -> list[Doc]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.append(
            Doc(
                id=row["id"],
                text=row["text"],
                step=row["step"],
                # a supplement writer is a group of their own (never held out)
                group=row.get("group") or row["writer"],
                labels=_labels(row["labels"]),
                quality=row["quality"],
                writer=row["writer"],
                silver=silver,
            )
        )
    return out


def enron(datasets: Path, folder: Path = CORPUS_DIR) -> list[Doc]:
    """The labelled Enron units, their text read from ``datasets`` (the shared folder)."""
    text_of = {u.id: u.text for u in enron_units.units(datasets)}
    out = []
    for line in (folder / "enron.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = text_of.get(row["id"])
        if text is None:
            raise ValueError(f"{row['id']} is not in the Enron emails at {datasets}")
        out.append(
            Doc(
                id=row["id"],
                text=text,
                step=None,
                group="enron",
                labels=_labels(row["labels"]),
                split=row["split"],
            )
        )
    return out
