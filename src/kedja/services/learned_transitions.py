"""The learned transitions model: one cache, one function for every caller.

The model reads the shipped occupation facts pack (all 400 SSYK 2012 groups) and the shipped
ranker (``kedja/taxonomy/data/transitions_ranker.json``), so it answers on any database,
with or without imports. ``learned_transitions()`` is the one entry point: the CLI, the web
API, pathways and chains all read the same cached object. ``fit_transitions`` refits it on a
folder of observed moves (an organisation's own, or the training half shipped with Kedja).
Public data only: no access check or audit entry.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kedja import __version__
from kedja.core.errors import InvalidInput, NotFound
from kedja.demo.packs import load_occupation_facts
from kedja.taxonomy.evaluation import Metrics, cross_validate, out_of_fold_scores, read_truth
from kedja.taxonomy.pairs import group_facts, name_to_group, pair_features
from kedja.taxonomy.ranker import LEARNERS, Ranker, fit_ranker, labels_for
from kedja.taxonomy.recommend import LearnedTransitions, recommended
from kedja.taxonomy.transitions import Transition

__all__ = [
    "EvaluationReport",
    "evaluate_transitions",
    "fit_transitions",
    "learned_recommendations",
    "learned_table",
    "learned_transitions",
    "transition_probabilities",
]

RANKER_FILE = "transitions_ranker.json"
MODEL_ENV = "KEDJA_TRANSITIONS_MODEL"


def _ranker_text(path: str | None) -> str:
    if path:
        return Path(path).read_text(encoding="utf-8")
    return resources.files("kedja.taxonomy").joinpath("data", RANKER_FILE).read_text(
        encoding="utf-8")


@cache
def _pairs() -> tuple[Any, Any, dict[str, str]]:
    raw = load_occupation_facts()
    facts = group_facts(raw)
    return facts, pair_features(facts), raw.get("skill_names", {})


def learned_transitions(model_path: str | None = None) -> LearnedTransitions:
    """The facts, features, scores and calibrated probabilities of every pair (cached).

    ``model_path`` (else ``$KEDJA_TRANSITIONS_MODEL``) replaces the shipped ranker by one an
    organisation fitted on its own moves with ``kedja transitions fit``.
    """
    return _learned(model_path or os.environ.get(MODEL_ENV) or None)


@cache
def _learned(model_path: str | None) -> LearnedTransitions:
    facts, pairs, skill_names = _pairs()
    try:
        ranker = Ranker.from_json(_ranker_text(model_path))
    except (OSError, ValueError, KeyError) as error:
        raise InvalidInput(f"cannot read the transitions model {model_path!r}: {error}",
                           field=MODEL_ENV, value=model_path,
                           hint="give a file written by 'kedja transitions fit'") from None
    scores = ranker.scores(pairs)
    calibration = ranker.provenance.get("calibration", {"a": 1.0, "b": 0.0, "threshold": 0.5})
    probability = 1.0 / (1.0 + np.exp(-(calibration["a"] * scores + calibration["b"])))
    return LearnedTransitions(tuple(facts), pairs, scores, probability,
                              float(calibration["threshold"]), skill_names)


def learned_table(k: int = 10, model_path: str | None = None
                  ) -> list[tuple[str, int, str, float]]:
    """``(from_code, rank, to_code, score)``: every SSYK group's ``k`` best destinations."""
    return learned_transitions(model_path).table(k)


def learned_recommendations(origin: str, *, k: int = 10, shortage: Iterable[str] | None = None,
                            no_education_only: bool = False,
                            model_path: str | None = None) -> list[Transition]:
    """An origin's best destinations, viable and desirable, with reasons and skill gaps.

    Raises:
        NotFound: ``origin`` is not one of the 400 SSYK 2012 unit groups.

    """
    try:
        return recommended(learned_transitions(model_path), origin, k=k,
                           shortage=None if shortage is None else set(shortage),
                           no_education_only=no_education_only)
    except KeyError:
        raise NotFound(f"no SSYK 2012 unit group {origin!r}", field="from", value=origin,
                       hint="give a four-digit code such as '5321'; 'kedja occupations search "
                            "TEXT' finds codes") from None


def transition_probabilities(codes: Sequence[str]) -> np.ndarray:
    """Calibrated probability of a move between ``codes`` (0 where a code is unknown).

    Pathways and chains read occupation-to-occupation moves from here.
    """
    model = learned_transitions()
    at = {f.code: i for i, f in enumerate(model.facts)}
    rows = np.array([at.get(c, -1) for c in codes])
    result = np.zeros((len(codes), len(codes)))
    known = rows >= 0
    result[np.ix_(known, known)] = model.probability[np.ix_(rows[known], rows[known])]
    np.fill_diagonal(result, 1.0)
    return result


class EvaluationReport(dict[str, dict[str, Metrics]]):
    """``{truth file: {method: Metrics}}`` with notes on how each file was read."""

    notes: list[str]


def _truths(paths: Sequence[Path]) -> dict[str, dict[str, set[str]]]:
    names = name_to_group(load_occupation_facts())
    truths = {}
    for path in paths:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InvalidInput(f"no file {str(path)!r}", field="--truth", value=str(path),
                               hint="give a path to a truth JSON file") from None
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{path} is not JSON: {error.msg}", field="--truth",
                               value=str(path), location=f"{path}, line {error.lineno}",
                               hint="give SCB switch destinations or JobTech substitutability"
                               ) from None
        truths[path.name] = read_truth(raw, name_to_group=names, source=str(path)).destinations
    return truths


def evaluate_transitions(paths: Sequence[Path | str], *, k: int = 10, folds: int = 5,
                         learner: str = "lambdarank", seed: int = 0) -> EvaluationReport:
    """Grouped k-fold CV of the learned model against the four baselines, in one run."""
    _check_learner(learner)
    truths = _truths([Path(p) for p in paths])
    _, pairs, _ = _pairs()
    report = EvaluationReport(cross_validate(pairs, truths, k=k, folds=folds, seed=seed,
                                             learner=learner))
    report.notes = [f"{name}: {len(t)} origins" for name, t in truths.items()]
    return report


def _check_learner(learner: str) -> None:
    if learner not in LEARNERS:
        raise InvalidInput(f"unknown learner {learner!r}", field="--learner", value=learner,
                           hint=f"choose one of {', '.join(LEARNERS)}")


def _platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e6, max_iter=1000).fit(scores[:, None], labels)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def _threshold(probability: np.ndarray, labels: np.ndarray) -> float:
    """The probability cut with the best F1 on out-of-fold pairs."""
    order = np.argsort(-probability)
    hits = np.cumsum(labels[order])
    precision = hits / np.arange(1, len(order) + 1)
    recall = hits / max(1, labels.sum())
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(probability[order][int(np.argmax(f1))])


def fit_transitions(train: Path | str, out: Path | str, *, learner: str = "lambdarank",
                    folds: int = 5, k: int = 10, seed: int = 0) -> dict[str, Any]:
    """Fit the ranker on every truth file in ``train``; write it with provenance to ``out``.

    The provenance holds the files (with SHA-256), date, versions, the grouped-CV figures of
    the model and the baselines, and the calibration (Platt scaling of out-of-fold scores and
    the viability threshold with the best out-of-fold F1).

    Raises:
        InvalidInput: ``train`` holds no JSON truth file.

    """
    _check_learner(learner)
    paths = sorted(Path(train).glob("*.json"))
    if not paths:
        raise InvalidInput(f"no truth files (*.json) in {str(train)!r}", field="--train",
                           value=str(train), hint="give the folder with the observed moves")
    truths = _truths(paths)
    _, pairs, _ = _pairs()
    oof, origins = out_of_fold_scores(pairs, truths, folds=folds, seed=seed, learner=learner)
    cv = cross_validate(pairs, truths, k=k, folds=folds, seed=seed, oof=(oof, origins))
    at = {c: i for i, c in enumerate(pairs.codes)}
    rows = [at[o] for o in origins]
    labels = (labels_for(pairs, list(truths.values()), origins) > 0).astype(int)
    mask = np.ones_like(labels, dtype=bool)
    mask[np.arange(len(rows)), rows] = False
    flat_scores, flat_labels = oof[rows][mask], labels[mask]
    a, b = _platt(flat_scores, flat_labels)
    threshold = _threshold(1.0 / (1.0 + np.exp(-(a * flat_scores + b))), flat_labels)
    ranker = fit_ranker(pairs, list(truths.values()), origins, learner=learner)
    ranker.provenance = _provenance(paths, learner, folds, k, cv, a, b, threshold)
    Path(out).write_text(ranker.to_json() + "\n", encoding="utf-8")
    return ranker.provenance


def _provenance(paths: Sequence[Path], learner: str, folds: int, k: int,
                cv: dict[str, dict[str, Metrics]], a: float, b: float,
                threshold: float) -> dict[str, Any]:
    import lightgbm
    import sklearn

    return {
        "data": [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
                 for p in paths],
        "facts": "kedja/demo/data/occupation_facts.json (scripts/build_occupation_facts.py)",
        "fitted_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kedja": __version__, "lightgbm": lightgbm.__version__, "scikit-learn": sklearn.__version__,
        "learner": learner,
        "cv": {"folds": folds, "k": k, "grouped_by": "origin SSYK group",
               "figures": {t: {m: {"recall": round(x.recall, 4), "mrr": round(x.mrr, 4),
                                   "ndcg": round(x.ndcg, 4), "origins": x.origins}
                               for m, x in res.items()} for t, res in cv.items()}},
        "calibration": {"a": a, "b": b, "threshold": round(threshold, 4),
                        "method": "Platt scaling of out-of-fold scores; threshold = best F1"},
    }

