"""The shipped linear models: small JSON weight tables scored with plain Python.

Each model is ``intercept + sum(weight[name] * value)`` over the sparse features of
:func:`mend.coach.features.features`; a logistic model then applies the sigmoid.
The files live in ``mend/coach/data/`` and are written by ``mend coach train``.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from mend.errors import Unsupported

DATA_DIR: Final = Path(__file__).with_name("data")
MODEL_FILE: Final = DATA_DIR / "models.json.gz"
MODEL_NAMES: Final = ("politeness", "receptiveness", "hostility")


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A sparse linear model. ``link`` is ``identity`` (a rating) or ``logistic``."""

    name: str
    intercept: float
    weights: dict[str, float]
    link: str = "identity"

    def raw(self, feats: dict[str, float]) -> float:
        """The linear score before the link function."""
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

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "intercept": self.intercept,
            "link": self.link,
            "weights": self.weights,
        }


def sigmoid(z: float) -> float:
    """A numerically safe logistic function."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def save_models(models: dict[str, LinearModel], meta: dict[str, object], path: Path) -> None:
    """Write the models (weights rounded to 5 significant digits) as gzipped JSON."""
    doc = {"format": 1, "meta": meta, "models": {n: m.to_json() for n, m in models.items()}}
    data = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical across retrains with the same seed.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(data)


def read_models(path: Path) -> tuple[dict[str, LinearModel], dict[str, object]]:
    """Read a model file written by :func:`save_models`."""
    try:
        doc = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError as exc:
        raise Unsupported(f"coach model file missing: {path}; run `mend coach train`") from exc
    models = {
        name: LinearModel(
            name=name,
            intercept=float(m["intercept"]),
            weights=m["weights"],
            link=str(m["link"]),
        )
        for name, m in doc["models"].items()
    }
    return models, dict(doc.get("meta", {}))


@lru_cache(maxsize=1)
def shipped() -> dict[str, LinearModel]:
    """The models shipped in the package, loaded once per process."""
    return read_models(MODEL_FILE)[0]
