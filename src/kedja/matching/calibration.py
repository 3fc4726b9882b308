"""Score weights calibrated on outcomes: who had work or studies 180 days after the step.

Method: a logistic regression of the outcome (1: working or studying 180 days after the step
ended) on the six factors of the step's score breakdown, L2-regularised, the penalty chosen by
cross-validation with folds by group (the person's municipality, so no place is both fitted and
judged), scikit-learn's ``LogisticRegressionCV``. The fitted coefficients of factors that help
(those ≤ 0 get weight 0) are scaled to sum to 1: the score stays ``100 × Σ weight × factor``.
The figures are the held-out log-loss and AUC of the fitted model beside the best simple
alternative measured in the same run: the current score as the single predictor.

A calibration is accepted only if it does not worsen the equal-treatment audit
(:func:`audit_verdict`), and only a person with the right role approves it (the services layer).

Examples:
    >>> normalised_weights({"skills": 2.0, "step": 1.0, "travel": -0.5})
    {'skills': 0.6667, 'step': 0.3333, 'travel': 0.0}
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = ["MIN_SAMPLE", "Calibration", "audit_verdict", "fit_weights", "normalised_weights"]

MIN_SAMPLE = 200
"""Fewest outcomes a calibration is fitted on: with six factors that is over 30 per parameter,
well above the 10–20 events per variable rule of thumb for logistic regression (Peduzzi et al.,
J Clin Epidemiol 49(12), 1996)."""
FOUR_FIFTHS = 0.8
AUDIT_TOLERANCE = 0.01
"""A group's ratio may fall by at most this much (rounding noise of one or two placements)."""


def normalised_weights(coefficients: Mapping[str, float]) -> dict[str, float]:
    """Positive coefficients scaled to sum to 1 (non-positive ones get 0)."""
    positive = {k: max(float(v), 0.0) for k, v in coefficients.items()}
    total = sum(positive.values())
    if total <= 0:
        return {k: round(1.0 / len(positive), 4) for k in positive}
    return {k: round(v / total, 4) for k, v in positive.items()}


@dataclass
class Calibration:
    """Fitted weights and the figures that judge them."""

    factors: tuple[str, ...]
    coefficients: dict[str, float]
    intercept: float
    weights: dict[str, float]
    sample: int
    positives: int
    penalty_c: float
    cv_log_loss: float
    cv_auc: float
    baseline_cv_log_loss: float
    baseline_cv_auc: float
    folds: int

    def as_dict(self) -> dict[str, Any]:
        """Plain figures for the register."""
        return {k: getattr(self, k) for k in ("coefficients", "intercept", "weights", "sample", "positives",
                                             "penalty_c", "cv_log_loss", "cv_auc", "baseline_cv_log_loss",
                                             "baseline_cv_auc", "folds")}


def fit_weights(x: np.ndarray, y: np.ndarray, groups: Sequence[str], factors: Sequence[str], *,
                current: Mapping[str, float], min_sample: int = MIN_SAMPLE, folds: int = 5,
                seed: int = 42) -> Calibration:
    """Fit the weights on factor rows ``x`` (n × f) and outcomes ``y`` (0/1), CV folds by ``groups``.

    Cost: a few L-BFGS fits per penalty and fold, O(n · f) each.

    Raises:
        InvalidInput: when fewer than ``min_sample`` outcomes, or only one kind of outcome, are given.
    """
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.metrics import log_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold

    if len(y) < min_sample or len(set(np.asarray(y).tolist())) < 2:
        raise InvalidInput(f"{len(y)} outcomes ({int(np.sum(y))} working or studying) are too few to "
                           f"calibrate on", field="outcomes", value=len(y),
                           hint=f"record at least {min_sample} outcomes 180 days after exit, of both kinds")
    labels = np.asarray(groups)
    k = min(folds, len(set(labels.tolist())))
    split = list(GroupKFold(n_splits=k).split(x, y, labels))
    with warnings.catch_warnings():  # parameter renames announced for scikit-learn 1.10; L2 is the default
        warnings.simplefilter("ignore", FutureWarning)
        model = LogisticRegressionCV(Cs=np.logspace(-3, 3, 13), cv=split, scoring="neg_log_loss",
                                     max_iter=2000).fit(x, y)
        c_best = float(np.ravel(model.C_)[0])
    score = x @ np.array([current[f] for f in factors])
    held, base = np.zeros(len(y)), np.zeros(len(y))
    for train, test in split:
        held[test] = LogisticRegression(C=c_best, max_iter=2000).fit(x[train], y[train]) \
            .predict_proba(x[test])[:, 1]
        base[test] = LogisticRegression(max_iter=2000).fit(score[train, None], y[train]) \
            .predict_proba(score[test, None])[:, 1]
    coefficients = {f: round(float(c), 4) for f, c in zip(factors, model.coef_[0], strict=True)}
    return Calibration(
        factors=tuple(factors), coefficients=coefficients, intercept=round(float(model.intercept_[0]), 4),
        weights=normalised_weights(coefficients), sample=len(y), positives=int(np.sum(y)),
        penalty_c=round(c_best, 4),
        cv_log_loss=round(float(log_loss(y, held)), 4), cv_auc=round(float(roc_auc_score(y, held)), 4),
        baseline_cv_log_loss=round(float(log_loss(y, base)), 4),
        baseline_cv_auc=round(float(roc_auc_score(y, base)), 4), folds=k)


def audit_verdict(before: Mapping[str, Mapping[str, float]], after: Mapping[str, Mapping[str, float]],
                  tolerance: float = AUDIT_TOLERANCE) -> dict[str, Any]:
    """Whether new weights keep the equal-treatment audit at least as good as the current ones.

    ``before`` and ``after`` map dimension → group → ratio to the best-off group. The audit is
    worse when a group falls below four fifths that was not below before, or when a group already
    below four fifths falls further by more than ``tolerance``; moves above four fifths are noise
    the audit does not flag.

    Examples:
        >>> audit_verdict({"d": {"a": 1.0, "b": 0.5}}, {"d": {"a": 1.0, "b": 0.45}})["accepted"]
        False
        >>> audit_verdict({"d": {"a": 1.0, "b": 0.5}}, {"d": {"a": 1.0, "b": 0.6}})["accepted"]
        True
        >>> audit_verdict({"d": {"a": 1.0, "b": 0.9}}, {"d": {"a": 1.0, "b": 0.79}})["accepted"]
        False
    """
    worse: list[dict[str, Any]] = []
    for dimension, ratios in before.items():
        for group, ratio in after.get(dimension, {}).items():
            old = ratios.get(group, 1.0)
            if ratio < FOUR_FIFTHS <= old:
                worse.append({"dimension": dimension, "group": group, "before": old, "after": ratio,
                              "why": "newly below four fifths"})
            elif old < FOUR_FIFTHS and ratio < old - tolerance:
                worse.append({"dimension": dimension, "group": group, "before": old, "after": ratio,
                              "why": "a flagged group falls further"})
    return {"accepted": not worse, "worse": worse}
