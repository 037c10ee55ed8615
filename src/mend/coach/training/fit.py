"""Fit the coach's linear models with scikit-learn and export them as weight tables.

``train_all`` is what ``mend coach train`` runs; the ``fit_*`` functions are also
used fold by fold by ``benchmarks/coach_quality.py`` so its cross-validated figures
measure the shipped method. Only sets marked *train* in the datasets README are read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mend.coach.features import features
from mend.coach.models import MODEL_FILE, LinearModel, save_models
from mend.coach.training import datasets

# Strategy (s|), sentiment (v|) and length (n|) features are few and dense; scaling
# them up before the L2 penalty regularizes them less than the many sparse n-grams.
DENSE_SCALE = 3.0
MIN_DF = 2  # an n-gram seen in one training text only carries no signal worth shipping
HOSTILE_EMOTIONS = frozenset({"anger", "annoyance", "disgust"})
CARING_EMOTIONS = frozenset({"caring"})
POLITENESS_ALPHA = 100.0
RECEPTIVENESS_ALPHA = 300.0
HOSTILITY_C = 0.3
CARING_C = 0.3


def _scaled(feats: dict[str, float]) -> dict[str, float]:
    return {k: (v * DENSE_SCALE if k[0] in "svn" else v) for k, v in feats.items()}


def featurize(texts: Sequence[str]) -> list[dict[str, float]]:
    """The shipped feature dicts of ``texts`` (unscaled)."""
    return [features(t) for t in texts]


def _vectorize(feats: Sequence[dict[str, float]]) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer

    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.keys())
    kept = [{k: v for k, v in _scaled(f).items() if df[k] >= MIN_DF} for f in feats]
    vec = DictVectorizer()
    return vec, vec.fit_transform(kept)


def _export(name: str, vec: Any, coef: Any, intercept: float, link: str) -> LinearModel:
    weights: dict[str, float] = {}
    for key, w in zip(vec.get_feature_names_out(), coef, strict=True):
        w = float(w)
        if abs(w) < 1e-4:
            continue
        if key[0] in "svn":
            w *= DENSE_SCALE  # fold the training-time scaling into the weight
        weights[str(key)] = float(f"{w:.5g}")
    return LinearModel(name=name, intercept=float(f"{intercept:.6g}"), weights=weights, link=link)


def fit_ridge(
    feats: Sequence[dict[str, float]], y: Sequence[float], alpha: float, name: str
) -> LinearModel:
    """A ridge regression on the features (politeness and receptiveness ratings)."""
    from sklearn.linear_model import Ridge

    vec, x = _vectorize(feats)
    model = Ridge(alpha=alpha).fit(x, list(y))
    return _export(name, vec, model.coef_, float(model.intercept_), "identity")


def fit_logistic(
    feats: Sequence[dict[str, float]],
    y: Sequence[int],
    c: float,
    name: str,
    seed: int,
    *,
    balanced: bool = False,
) -> LinearModel:
    """A logistic regression on the features (hostility, caring).

    With ``balanced`` the classes are weighted equally, so a probability over 0.5 means
    "more likely than not" as if both were equally common, whatever their share in the
    corpus (caring is rare in GoEmotions but common in a supportive reply).
    """
    from sklearn.linear_model import LogisticRegression

    vec, x = _vectorize(feats)
    model = LogisticRegression(
        C=c, max_iter=3000, random_state=seed, class_weight="balanced" if balanced else None
    ).fit(x, list(y))
    return _export(name, vec, model.coef_[0], float(model.intercept_[0]), "logistic")


def politeness_rows(root: Path) -> tuple[list[str], list[float]]:
    """All Stanford politeness requests (both sites) with their normalized scores."""
    texts: list[str] = []
    scores: list[float] = []
    for domain in ("wikipedia", "stack-exchange"):
        t, s = datasets.politeness_scores(root, domain)
        texts += t
        scores += s
    return texts, scores


def train_all(root: Path, seed: int = 13, out: Path = MODEL_FILE) -> dict[str, object]:
    """Train every shipped model on all *train* data and write the model file.

    Returns a summary (rows used, features kept) that is also stored in the file.
    """
    texts, scores = politeness_rows(root)
    politeness = fit_ridge(featurize(texts), scores, POLITENESS_ALPHA, "politeness")
    rtexts, rscores = datasets.receptiveness(root)
    receptiveness = fit_ridge(featurize(rtexts), rscores, RECEPTIVENESS_ALPHA, "receptiveness")
    gtexts, glabels = datasets.goemotions(root)
    hostile = [1 if labels & HOSTILE_EMOTIONS else 0 for labels in glabels]
    gfeats = featurize(gtexts)
    hostility = fit_logistic(gfeats, hostile, HOSTILITY_C, "hostility", seed)
    caring_labels = [1 if labels & CARING_EMOTIONS else 0 for labels in glabels]
    caring = fit_logistic(gfeats, caring_labels, CARING_C, "caring", seed, balanced=True)
    models = {m.name: m for m in (politeness, receptiveness, hostility, caring)}
    meta: dict[str, object] = {
        "seed": seed,
        "rows": {
            "politeness": len(texts),
            "receptiveness": len(rtexts),
            "hostility": len(gtexts),
            "caring": len(gtexts),
        },
        "features": {m.name: len(m.weights) for m in models.values()},
        "sources": ["stanford-politeness", "yeomans-receptiveness", "goemotions"],
    }
    save_models(models, meta, out)
    return meta
