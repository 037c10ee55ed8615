"""The shipped linear models: one weight table, scored with NumPy.

Each model is ``intercept + sum(weight[name] * value)`` over the sparse features of
:func:`mend.coach.features.features`; a logistic model then applies the sigmoid.
The file ``mend/coach/data/models.json.gz`` holds every model's weights in one
table (a row per feature, a column per model), written by ``mend coach train``.
Loaded models share that table, so scoring a draft with all of them is one pass
over its features and one small matrix product.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from mend.errors import Unsupported

DATA_DIR: Final = Path(__file__).with_name("data")
MODEL_FILE: Final = DATA_DIR / "models.json.gz"
MODEL_NAMES: Final = ("politeness", "receptiveness", "hostility", "caring")
FORMAT: Final = 2
#: The level a mechanism score takes when the words show it once, and twice or more
#: (the same 0 / 60 / 100 scale the rule findings use).
WEAK: Final = 60.0
STRONG: Final = 100.0
#: A story of one's own reads as shared experience when it is alike ("the same", "too") or
#: about something hard (any word VADER rates negative); "I tried the new build" is neither.
_ALIKE: Final = frozenset(["w|same", "w|too", "w|also", "w|similar", "w|relate"])


class _Table:
    """Weights of several models over one feature index, with a one-draft memo.

    ``raw(feats)`` returns every model's linear score; asking again for the same
    feature dict (the next model of the same draft) costs nothing.
    """

    __slots__ = ("index", "intercepts", "last", "matrix")

    def __init__(self, keys: list[str], matrix: np.ndarray[Any, Any], intercepts: list[float]):
        self.index: dict[str, int] = {k: i for i, k in enumerate(keys)}
        self.matrix = matrix
        self.intercepts = np.asarray(intercepts, dtype=np.float64)
        self.last: tuple[dict[str, float], list[float]] | None = None

    def raw(self, feats: dict[str, float]) -> list[float]:
        last = self.last  # one read: another thread may replace it meanwhile
        if last is not None and last[0] is feats:
            return last[1]
        get = self.index.get
        rows: list[int] = []
        values: list[float] = []
        for key, value in feats.items():
            row = get(key)
            if row is not None:
                rows.append(row)
                values.append(value)
        totals = self.intercepts.copy()
        if rows:
            totals += np.asarray(values, dtype=np.float64) @ self.matrix[rows]
        result: list[float] = totals.tolist()
        self.last = (feats, result)
        return result


class _Column(Mapping[str, float]):
    """One model's weights as a read-only mapping over the shared table."""

    __slots__ = ("column", "table")

    def __init__(self, table: _Table, column: int) -> None:
        self.table = table
        self.column = column

    def __getitem__(self, key: str) -> float:
        w = float(self.table.matrix[self.table.index[key], self.column])
        if w == 0.0:
            raise KeyError(key)
        return w

    def __iter__(self) -> Iterator[str]:
        col = self.table.matrix[:, self.column]
        return (k for k, i in self.table.index.items() if col[i] != 0.0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self.table.matrix[:, self.column]))


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A sparse linear model. ``link`` is ``identity`` (a rating) or ``logistic``."""

    name: str
    intercept: float
    weights: Mapping[str, float]
    link: str = "identity"
    table: _Table | None = field(default=None, compare=False, repr=False)
    column: int = field(default=0, compare=False, repr=False)

    def raw(self, feats: dict[str, float]) -> float:
        """The linear score before the link function."""
        if self.table is not None:
            return self.table.raw(feats)[self.column]
        w = self.weights
        total = self.intercept
        for key, value in feats.items():
            weight = w.get(key)
            if weight is not None:
                total += weight * value
        return total

    def predict(self, feats: dict[str, float]) -> float:
        """The model's output: a rating (identity) or a probability (logistic)."""
        z = self.raw(feats)
        if self.link == "logistic":
            return sigmoid(z)
        return z


def sigmoid(z: float) -> float:
    """A numerically safe logistic function."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def save_models(models: dict[str, LinearModel], meta: dict[str, object], path: Path) -> None:
    """Write the models as one gzipped JSON document with a float32 weight table.

    Features are sorted and the gzip header carries no time, so the same models always
    give a byte-identical file.
    """
    names = list(models)
    keys = sorted({k for m in models.values() for k in m.weights})
    row = {k: i for i, k in enumerate(keys)}
    matrix = np.zeros((len(keys), len(names)), dtype="<f4")
    for col, name in enumerate(names):
        for key, w in models[name].weights.items():
            matrix[row[key], col] = w
    doc = {
        "format": FORMAT,
        "meta": meta,
        "models": [
            {"name": n, "intercept": models[n].intercept, "link": models[n].link} for n in names
        ],
        "features": keys,
        "weights": base64.b64encode(matrix.tobytes()).decode("ascii"),
    }
    data = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(data)


def read_models(path: Path) -> tuple[dict[str, LinearModel], dict[str, object]]:
    """Read a model file written by :func:`save_models`."""
    try:
        doc = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError as exc:
        raise Unsupported(f"coach model file missing: {path}; run `mend coach train`") from exc
    if doc.get("format") != FORMAT:
        raise Unsupported(f"coach model file {path} has an unknown format; run `mend coach train`")
    specs = doc["models"]
    keys: list[str] = doc["features"]
    flat = np.frombuffer(base64.b64decode(doc["weights"]), dtype="<f4")
    matrix = flat.reshape(len(keys), len(specs)).astype(np.float64)
    table = _Table(keys, matrix, [float(s["intercept"]) for s in specs])
    models = {
        s["name"]: LinearModel(
            name=s["name"],
            intercept=float(s["intercept"]),
            weights=_Column(table, col),
            link=str(s["link"]),
            table=table,
            column=col,
        )
        for col, s in enumerate(specs)
    }
    return models, dict(doc.get("meta", {}))


def _cue_level(feats: dict[str, float], key: str) -> float:
    # Strategy features are min(count, 3) / 3 + 0.5: 0.83 for one, 1.17 for two or more.
    value = feats.get(key)
    if value is None:
        return 0.0
    return WEAK if value < 1.0 else STRONG


def mechanisms(
    feats: dict[str, float], *, own_story_counts: bool = True
) -> tuple[float, float, float]:
    """Emotional reaction, interpretation and exploration (Sharma et al. 2020), 0-100 each.

    Emotional reaction: the caring model (GoEmotions) when it is more sure than not, or
    at least :data:`WEAK` when a phrase of warmth or concern appears. Interpretation:
    phrases that show an understanding of the other's feelings or share a similar
    experience; with ``own_story_counts``, also the writer telling of a similar time of
    their own ("I went through the same", "I lost mine"). Pass False when the draft is
    about the writer's own doing (an apology, an admission), where "I was ..." is no sign
    of understanding. Exploration: a question addressed to the reader. 0 means none seen.
    """
    p = shipped()["caring"].predict(feats)
    er = max(100.0 * p if p >= 0.5 else 0.0, _cue_level(feats, "s|er_cue"))
    ip = _cue_level(feats, "s|ip_cue")
    if own_story_counts and (feats.get("v|neg", 0.0) > 0.0 or not _ALIKE.isdisjoint(feats)):
        ip = max(ip, _cue_level(feats, "s|self_disclosure"))
    ex = _cue_level(feats, "s|you_question")
    return round(er, 1), ip, ex


@lru_cache(maxsize=1)
def shipped() -> dict[str, LinearModel]:
    """The models shipped in the package, loaded once per process."""
    return read_models(MODEL_FILE)[0]
