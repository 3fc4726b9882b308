"""Judging transition rankings against observed moves: truth files, metrics, grouped CV.

Two kinds of observed Swedish transitions are read (``read_truth``):

* SCB's switch destinations: ``{"5321": ["5330", "9111", ...], ...}`` — for an origin SSYK
  group, the most frequent groups people moved to (duplicates collapse; codes that are not
  four digits, such as ``"Nej"``, are dropped).
* Arbetsförmedlingen's substitutability, JobTech's ``{"data": {"concepts": [...]}}`` with an
  occupation name and its ``substitutes`` (occupation names): names map to SSYK groups through
  the JobTech taxonomy, and the pair (group of the name, group of a substitute) is a
  destination of the origin group, pairs inside one group left out.

Metrics per origin, averaged over origins (Manning, Raghavan & Schütze, *Introduction to
Information Retrieval*, ch. 8): recall@k = |top-k ∩ truth| / |truth|; MRR = 1 / rank of the
first true destination (0 if none in the ranking); nDCG@k with binary gains.

Cross-validation is grouped by origin: every origin's pairs fall in one fold, so the model is
always judged on origins it never saw (``grouped_folds``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kedja.core.errors import InvalidInput

__all__ = [
    "BASELINES",
    "Metrics",
    "Truth",
    "baseline_scores",
    "cross_validate",
    "grouped_folds",
    "metrics_of",
    "out_of_fold_scores",
    "ranked_from_scores",
    "read_truth",
]


@dataclass(frozen=True)
class Truth:
    """Observed destinations per origin SSYK group, and what the file was."""

    kind: str
    destinations: dict[str, set[str]]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metrics:
    """Mean recall@k, MRR and nDCG@k over ``origins`` origins."""

    recall: float
    mrr: float
    ndcg: float
    origins: int


def read_truth(raw: Any, *, name_to_group: Mapping[str, str], source: str = "truth"
               ) -> Truth:
    """Observed destinations from a parsed truth file of either format.

    Args:
        raw: the parsed JSON.
        name_to_group: JobTech occupation-name id or name → SSYK group (substitutability).
        source: the file name, for messages.

    Raises:
        InvalidInput: the JSON is neither format.

    Examples:
        >>> read_truth({"5321": ["5330", "Nej", "5330"]}, name_to_group={}).destinations
        {'5321': {'5330'}}

    """
    if isinstance(raw, dict) and "data" in raw:
        return _substitutability(raw, name_to_group, source)
    if isinstance(raw, dict) and all(isinstance(v, list) for v in raw.values()):
        dest = {str(o): {str(d) for d in v if _is_code(str(d)) and str(d) != str(o)}
                for o, v in raw.items() if _is_code(str(o))}
        return Truth("scb-switch", {o: d for o, d in dest.items() if d})
    raise InvalidInput(f"{source} is neither SCB switch destinations nor JobTech "
                       "substitutability", field="--truth", value=source,
                       hint='give {"5321": ["5330", ...]} or {"data": {"concepts": [...]}}')


def _is_code(text: str) -> bool:
    return len(text) == 4 and text.isdigit()


def _substitutability(raw: Any, name_to_group: Mapping[str, str], source: str) -> Truth:
    try:
        items = raw["data"]["concepts"]
    except (KeyError, TypeError):
        raise InvalidInput(f"{source}: no data.concepts list", field="--truth", value=source,
                           hint="give the JobTech export with substitutes") from None
    dest: dict[str, set[str]] = defaultdict(set)
    unknown = 0
    for concept in items:
        origin = _group(concept, name_to_group)
        if origin is None:
            unknown += 1
            continue
        for other in concept.get("substitutes") or []:
            group = _group(other, name_to_group)
            if group is None:
                unknown += 1
            elif group != origin:
                dest[origin].add(group)
    notes = (f"{unknown} occupation names not found in the JobTech taxonomy",) if unknown else ()
    return Truth("af-substitutability", dict(dest), notes)


def _group(concept: Mapping[str, Any], name_to_group: Mapping[str, str]) -> str | None:
    return name_to_group.get(concept.get("id", "")) or name_to_group.get(
        str(concept.get("preferred_label", "")).strip().casefold())


def metrics_of(ranked: Mapping[str, Sequence[str]], truth: Mapping[str, set[str]], k: int
               ) -> Metrics:
    """Mean recall@k, MRR and nDCG@k of ``ranked`` (origin → destinations, best first).

    Examples:
        >>> m = metrics_of({"a": ["x", "y", "z"]}, {"a": {"y", "q"}}, k=2)
        >>> m.recall, m.mrr, round(m.ndcg, 3)
        (0.5, 0.5, 0.387)

    """
    recall, mrr, ndcg = [], [], []
    for origin, wanted in truth.items():
        got = list(ranked.get(origin, ()))
        hits = [i for i, d in enumerate(got) if d in wanted]
        recall.append(sum(1 for i in hits if i < k) / len(wanted))
        mrr.append(1.0 / (hits[0] + 1) if hits else 0.0)
        dcg = sum(1.0 / math.log2(i + 2) for i in hits if i < k)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(wanted))))
        ndcg.append(dcg / ideal)
    n = len(recall)
    return Metrics(float(np.mean(recall)) if n else 0.0, float(np.mean(mrr)) if n else 0.0,
                   float(np.mean(ndcg)) if n else 0.0, n)


def grouped_folds(origins: Sequence[str], folds: int, seed: int = 0) -> list[list[str]]:
    """Origins shuffled with ``seed`` and dealt into ``folds`` groups.

    Examples:
        >>> [len(f) for f in grouped_folds([str(i) for i in range(10)], 3)]
        [4, 3, 3]

    """
    if folds < 2 or folds > len(origins):
        raise InvalidInput(f"cannot make {folds} folds of {len(origins)} origins",
                           field="--folds", value=folds, hint="give 2 to the number of origins")
    order = sorted(origins)
    np.random.default_rng(seed).shuffle(order)
    return [order[i::folds] for i in range(folds)]


def ranked_from_scores(codes: Sequence[str], scores: np.ndarray, rows: Sequence[int],
                       k: int) -> dict[str, list[str]]:
    """Origin → its ``k`` best destinations (itself excluded) from an n × n score matrix."""
    result = {}
    for i in rows:
        row = scores[i].astype(float).copy()
        row[i] = -np.inf
        best = np.argsort(-row, kind="stable")[:k]
        result[codes[i]] = [codes[int(j)] for j in best]
    return result


Scorer = Callable[[Sequence[int]], np.ndarray]


BASELINES = ("random", "same SSYK-3 group", "popularity (size)", "IDF cosine (JobTech skills)")


def baseline_scores(pairs: Any, name: str, seed: int = 0) -> np.ndarray:
    """The n × n scores of a simple baseline (ties broken at random with ``seed``).

    ``random``: uniform; ``same SSYK-3 group``: same minor group, then sub-major, then major;
    ``popularity (size)``: the destination's SCB head count; ``IDF cosine (JobTech skills)``.
    """
    v = pairs.values
    noise = np.random.default_rng(seed).random(v["cos"].shape) * 1e-6
    if name == "random":
        return noise * 1e6
    if name == "same SSYK-3 group":
        return 4 * v["same3"] + 2 * v["same2"] + v["same1"] + noise
    if name == "popularity (size)":
        return v["size"] + noise
    if name == "IDF cosine (JobTech skills)":
        return v["cos"] + noise
    raise InvalidInput(f"unknown baseline {name!r}", field="baseline", value=name,
                       hint=f"choose one of {', '.join(BASELINES)}")


def out_of_fold_scores(pairs: Any, truths: Mapping[str, Mapping[str, set[str]]], *,
                       folds: int = 5, seed: int = 0, learner: str = "lambdarank",
                       features: Sequence[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Scores of every origin's pairs by a model fitted without that origin's fold.

    The folds split the union of all origins, so an origin is never seen in training when it
    is judged on any truth; in each fold the model is fitted on every truth's training-fold
    origins together. Rows of origins without truth stay ``-inf``.
    """
    from kedja.taxonomy.ranker import ALL_FEATURES, fit_ranker

    at = {c: i for i, c in enumerate(pairs.codes)}
    origins = sorted({o for t in truths.values() for o in t if o in at})
    scores = np.full((len(pairs.codes), len(pairs.codes)), -np.inf)
    for test in grouped_folds(origins, folds, seed):
        held = set(test)
        model = fit_ranker(pairs, list(truths.values()), [o for o in origins if o not in held],
                           learner=learner, features=features or ALL_FEATURES)
        rows = [at[o] for o in test]
        scores[rows] = model.scores(pairs, rows)
    return scores, origins


def cross_validate(pairs: Any, truths: Mapping[str, Mapping[str, set[str]]], *, k: int = 10,
                   folds: int = 5, seed: int = 0, learner: str = "lambdarank",
                   features: Sequence[str] | None = None, baselines: bool = True,
                   oof: tuple[np.ndarray, list[str]] | None = None
                   ) -> dict[str, dict[str, Metrics]]:
    """Grouped k-fold CV: ``{truth name: {"model" | baseline: Metrics}}`` (same origins).

    ``oof`` passes out-of-fold scores already computed by :func:`out_of_fold_scores`.
    """
    at = {c: i for i, c in enumerate(pairs.codes)}
    scores, origins = oof or out_of_fold_scores(pairs, truths, folds=folds, seed=seed,
                                                learner=learner, features=features)
    rows = [at[o] for o in origins]
    ranked = {"model": ranked_from_scores(pairs.codes, scores, rows, k)}
    if baselines:
        for name in BASELINES:
            ranked[name] = ranked_from_scores(pairs.codes, baseline_scores(pairs, name, seed),
                                              rows, k)
    return {t: {name: metrics_of(r, {o: d for o, d in truth.items() if o in at}, k)
                for name, r in ranked.items()} for t, truth in truths.items()}
