"""Assemble the coach's labelled corpus (``data/coach/``) from the writers' and labellers' files.

    .venv/bin/python scripts/coach_corpus.py WORK_DIR

WORK_DIR holds what the independent writers and labellers produced (see
``data/coach/DATASHEET.md``): ``items.jsonl`` (every draft and Enron unit as the labellers
saw it), ``labels/A``, ``labels/B`` (two blind passes over everything) and ``labels/C``
(a third blind pass over every item the first two disagreed on), and ``writers.json``.

It writes, deterministically:

- ``drafts.jsonl``: each draft with its writer, writer group, step, text, adjudicated
  quality and labels, each label with the character spans it rests on;
- ``enron.jsonl``: each Enron unit's reference (email file and unit number), its split
  and its labels with spans (offsets only: the text stays in ``../shared``);
- ``passes/{A,B,C}.jsonl``: every pass as labelled, quotes turned into offsets;
- ``writers.json`` and ``kappa.md`` (Cohen's kappa of passes A and B, per label).

Adjudication: a label is kept when passes A and B agree; where they disagree, pass C
decides (the majority of three). Its spans are those of the passes that voted for it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "coach"
sys.path.insert(0, str(ROOT / "src"))

from mend.coach.detect import CODES  # noqa: E402

#: Writer groups for the writer-held-out evaluation; ``g7`` is also kept out of the
#: shipped model, as the frozen slice `make test` checks it against.
GROUPS = {
    "g1": ("w01", "w10"),
    "g2": ("w02", "w09"),
    "g3": ("w03", "w13"),
    "g4": ("w04", "w12"),
    "g5": ("w05", "w06"),
    "g6": ("w07", "w11"),
    "g7": ("w08", "w14"),
}
GROUP_OF = {w: g for g, ws in GROUPS.items() for w in ws}


def read_pass(folder: Path) -> dict[str, dict[str, Any]]:
    """A labelling pass: the first record of each id (repeats of a chunk are dropped)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            out.setdefault(record["id"], record)
    return out


def spans_of(text: str, quotes: list[str]) -> list[list[int]]:
    """Character spans of the quoted words (exact, else ignoring case and spacing)."""
    found = []
    for quote in quotes:
        quote = quote.strip()
        if not quote:
            continue
        start = text.find(quote)
        if start >= 0:
            found.append([start, start + len(quote)])
            continue
        loose = re.compile(r"\s+".join(map(re.escape, quote.split())), re.IGNORECASE)
        match = loose.search(text)
        if match:
            found.append([match.start(), match.end()])
    return sorted(found)


def as_offsets(record: dict[str, Any], text: str) -> dict[str, Any]:
    labels = {
        code: spans_of(text, quotes if isinstance(quotes, list) else [str(quotes)])
        for code, quotes in record.get("labels", {}).items()
        if code in CODES
    }
    return {"id": record["id"], "quality": record.get("quality"), "labels": labels}


def merge(spans: list[list[int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


def adjudicate(
    a: dict[str, Any], b: dict[str, Any], c: dict[str, Any] | None
) -> tuple[str | None, dict[str, list[list[int]]], bool]:
    """Final quality and labels of one item, and whether pass C was needed."""
    votes = [a, b] + ([c] if c is not None else [])
    labels: dict[str, list[list[int]]] = {}
    needed = False
    for code in CODES:
        yes = [v for v in votes[:2] if code in v["labels"]]
        if len(yes) == 1:
            needed = True
            if c is None:
                continue  # not adjudicated (should not happen): left out
            yes = [v for v in votes if code in v["labels"]]
            if len(yes) < 2:
                continue
        if len(yes) >= 2:
            labels[code] = merge([s for v in yes for s in v["labels"][code]])
    qualities = [v["quality"] for v in votes if v.get("quality")]
    quality = None
    if a.get("quality") == b.get("quality"):
        quality = a.get("quality")
    else:
        needed = True
        common = Counter(qualities).most_common()
        quality = common[0][0] if common and common[0][1] >= 2 else "mixed"
    return quality, labels, needed


def kappa(x: list[int], y: list[int]) -> float:
    n = len(x)
    po = sum(p == q for p, q in zip(x, y, strict=True)) / n
    px, py = sum(x) / n, sum(y) / n
    pe = px * py + (1 - px) * (1 - py)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def enron_split(email: str) -> str:
    """Half the emails train (teaching the coach what clean text looks like), half test."""
    return "test" if int(hashlib.sha256(email.encode()).hexdigest(), 16) % 2 else "train"


def main(work: Path, *, partial: bool = False) -> None:
    items = {
        d["id"]: d
        for d in map(json.loads, (work / "items.jsonl").read_text(encoding="utf-8").splitlines())
    }
    writers = json.loads((work / "writers.json").read_text(encoding="utf-8"))
    passes = {p: read_pass(work / "labels" / p) for p in ("A", "B", "C")}
    offsets = {
        p: {i: as_offsets(r, items[i]["text"]) for i, r in records.items() if i in items}
        for p, records in passes.items()
    }
    missing = [i for i in items if i not in offsets["A"] or i not in offsets["B"]]
    if missing and not partial:
        raise SystemExit(f"{len(missing)} items lack pass A or B, e.g. {missing[:3]}")
    items = {i: d for i, d in items.items() if i not in missing}
    (OUT / "passes").mkdir(parents=True, exist_ok=True)
    for p, records in offsets.items():
        with (OUT / "passes" / f"{p}.jsonl").open("w", encoding="utf-8") as fh:
            for i in items:
                if i in records:
                    fh.write(json.dumps(records[i], ensure_ascii=False, sort_keys=True) + "\n")
    drafts, enron = [], []
    adjudicated = 0
    for i, item in items.items():
        quality, labels, needed = adjudicate(
            offsets["A"][i], offsets["B"][i], offsets["C"].get(i)
        )
        adjudicated += needed
        if i.startswith("enron:"):
            _, email, unit = i.split(":")
            enron.append(
                {
                    "id": i,
                    "email": email,
                    "unit": int(unit),
                    "split": enron_split(email),
                    "labels": labels,
                }
            )
        else:
            writer = i.split("-")[0]
            drafts.append(
                {
                    "id": i,
                    "writer": writer,
                    "group": GROUP_OF[writer],
                    "step": item["step"],
                    "text": item["text"],
                    "quality": quality,
                    "labels": labels,
                }
            )
    for name, rows in (("drafts.jsonl", drafts), ("enron.jsonl", enron)):
        with (OUT / name).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    write_supplement(work)
    meta = {w: {**info, "group": GROUP_OF[w]} for w, info in sorted(writers.items())}
    (OUT / "writers.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    write_kappa(items, offsets, adjudicated)


def write_supplement(work: Path) -> None:
    """The writer-labelled supplement (training only): ``supp/s*.jsonl`` with quotes
    turned into spans; a label whose quotes cannot be found in its draft is left out."""
    rows = []
    for path in sorted((work / "supp").glob("s*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            text = d["text"]
            labels = {}
            for code, quotes in (d.get("labels") or {}).items():
                spans = spans_of(text, quotes if isinstance(quotes, list) else [str(quotes)])
                if code in CODES and spans:
                    labels[code] = merge(spans)
            rows.append(
                {
                    "id": f"{d['writer']}-{int(d['n']):04d}",
                    "writer": d["writer"],
                    "step": d["step"],
                    "text": text,
                    "quality": d.get("quality"),
                    "labels": labels,
                }
            )
    with (OUT / "supplement.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def write_kappa(
    items: dict[str, Any], offsets: dict[str, dict[str, Any]], adjudicated: int
) -> None:
    ids = [i for i in items if i in offsets["A"] and i in offsets["B"]]
    lines = [
        "# Agreement between the two blind labelling passes",
        "",
        f"Cohen's kappa of passes A and B over all {len(ids):,} items "
        f"({sum(not i.startswith('enron:') for i in ids):,} drafts, "
        f"{sum(i.startswith('enron:') for i in ids):,} Enron units), per label, and how "
        "often each pass said yes. Items where A and B disagreed on anything "
        f"({adjudicated:,}) went to pass C, whose vote decided each disputed label.",
        "",
        "| label | kappa | A yes | B yes | both |",
        "|---|---|---|---|---|",
    ]
    for code in CODES:
        x = [int(code in offsets["A"][i]["labels"]) for i in ids]
        y = [int(code in offsets["B"][i]["labels"]) for i in ids]
        both = sum(p & q for p, q in zip(x, y, strict=True))
        lines.append(f"| {code} | {kappa(x, y):.2f} | {sum(x)} | {sum(y)} | {both} |")
    drafts = [i for i in ids if not i.startswith("enron:")]
    same = sum(offsets["A"][i]["quality"] == offsets["B"][i]["quality"] for i in drafts)
    lines += [
        "",
        f"Quality (good / mixed / poor) agreed on {same / len(drafts):.1%} of drafts.",
        "",
    ]
    (OUT / "kappa.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    # --partial: build from what is labelled so far (for development, never for a commit)
    main(Path(sys.argv[1]), partial="--partial" in sys.argv[2:])
