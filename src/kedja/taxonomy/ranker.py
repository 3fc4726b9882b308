"""A learned ranker of destinations: which occupations people from an origin move to.

The ranker sees only features of pairs (:mod:`kedja.taxonomy.pairs`), so it ranks origins it
was never fitted on; it keeps no training pair. Two learners were compared by grouped
cross-validation (figures in ``docs/taxonomy.md``):

* ``lambdarank``: gradient-boosted trees with the LambdaRank objective (LightGBM; Burges,
  "From RankNet to LambdaRank to LambdaMART", MSR-TR-2010-82), one query per origin;
* ``logistic``: L2-regularised logistic regression on standardised features (scikit-learn).

The fitted model travels as JSON (``Ranker.to_json``): the learner's parameters (LightGBM's
text model, or coefficients), the feature names, and its provenance (data, date, version,
cross-validated figures). Scoring a logistic model needs only NumPy.

Complexity: fitting O(trees · pairs · features); scoring n origins × n destinations.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kedja.taxonomy.pairs import FEATURE_GROUPS, PairFeatures

__all__ = ["LEARNERS", "Ranker", "fit_ranker", "labels_for"]

LEARNERS = ("lambdarank", "logistic")
ALL_FEATURES = tuple(name for names in FEATURE_GROUPS.values() for name in names)
LGBM_PARAMS: dict[str, Any] = {
    "objective": "lambdarank", "metric": "ndcg", "eval_at": [10], "learning_rate": 0.1,
    "num_leaves": 15, "min_data_in_leaf": 40, "feature_fraction": 0.8,
    "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1,
    "num_threads": 1, "deterministic": True, "seed": 7, "lambdarank_truncation_level": 20,
}
ROUNDS = 150


@dataclass
class Ranker:
    """A fitted ranker: learner, features, parameters and provenance."""

    learner: str
    features: tuple[str, ...]
    params: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)
    _booster: Any = field(default=None, repr=False, compare=False)

    def scores(self, pairs: PairFeatures, rows: Sequence[int] | None = None) -> np.ndarray:
        """Scores of the pairs of origins ``rows`` (all when None) as len(rows) × n."""
        n = len(pairs.codes)
        x = pairs.stacked(self.features, rows)
        if self.learner == "logistic":
            z = (x - np.asarray(self.params["mean"])) / np.asarray(self.params["scale"])
            flat = z @ np.asarray(self.params["coef"]) + float(self.params["intercept"])
        else:
            flat = self._lgbm().predict(x, num_threads=1)
        return np.asarray(flat, dtype=float).reshape(-1, n)

    def _lgbm(self) -> Any:
        if self._booster is None:
            import lightgbm

            self._booster = lightgbm.Booster(model_str=self.params["model"])
        return self._booster

    def to_json(self) -> str:
        """The model as JSON text (learner, features, parameters, provenance)."""
        return json.dumps({"learner": self.learner, "features": list(self.features),
                           "params": self.params, "provenance": self.provenance},
                          ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Ranker:
        """The ranker written by :meth:`to_json`."""
        raw = json.loads(text)
        return cls(raw["learner"], tuple(raw["features"]), raw["params"],
                   raw.get("provenance", {}))


def labels_for(pairs: PairFeatures, truths: Sequence[Mapping[str, set[str]]],
               origins: Sequence[str]) -> np.ndarray:
    """Relevance of every (origin, destination) pair: in how many truth sets it appears."""
    at = {c: i for i, c in enumerate(pairs.codes)}
    y = np.zeros((len(origins), len(pairs.codes)))
    for r, origin in enumerate(origins):
        for truth in truths:
            for dest in truth.get(origin, ()):
                if dest in at:
                    y[r, at[dest]] += 1
    return y


def fit_ranker(pairs: PairFeatures, truths: Sequence[Mapping[str, set[str]]],
               origins: Sequence[str], *, learner: str = "lambdarank",
               features: Sequence[str] = ALL_FEATURES, rounds: int = ROUNDS) -> Ranker:
    """Fit a ranker on the observed destinations of ``origins`` (self-pairs left out).

    Args:
        pairs: features of every pair.
        truths: observed destinations per origin, one mapping per source (relevance adds up).
        origins: the origins to fit on (the training fold).
        learner: ``lambdarank`` or ``logistic``.
        features: which features to use (the ablation drops groups).
        rounds: boosting rounds (lambdarank).

    """
    at = {c: i for i, c in enumerate(pairs.codes)}
    origins = [o for o in origins if o in at]
    rows = [at[o] for o in origins]
    n = len(pairs.codes)
    x = pairs.stacked(features, rows)
    y = labels_for(pairs, truths, origins).reshape(-1)
    grid = np.ones((len(rows), n), dtype=bool)
    grid[np.arange(len(rows)), rows] = False
    keep = grid.reshape(-1)
    x, y = x[keep], y[keep]
    if learner == "logistic":
        return _fit_logistic(x, y, tuple(features))
    return _fit_lambdarank(x, y, [n - 1] * len(rows), tuple(features), rounds)


def _fit_logistic(x: np.ndarray, y: np.ndarray, features: tuple[str, ...]) -> Ranker:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    model.fit((x - mean) / scale, (y > 0).astype(int))
    return Ranker("logistic", features, {
        "coef": [round(float(c), 6) for c in model.coef_[0]],
        "intercept": float(model.intercept_[0]),
        "mean": [float(m) for m in mean], "scale": [float(s) for s in scale]})


def _fit_lambdarank(x: np.ndarray, y: np.ndarray, groups: list[int],
                    features: tuple[str, ...], rounds: int) -> Ranker:
    import lightgbm

    data = lightgbm.Dataset(x, label=np.minimum(y, 3).astype(int), group=groups,
                            feature_name=list(features), free_raw_data=True)
    booster = lightgbm.train(LGBM_PARAMS, data, num_boost_round=rounds)
    ranker = Ranker("lambdarank", features, {"model": booster.model_to_string()})
    ranker._booster = booster
    return ranker
