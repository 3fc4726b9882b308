"""Features of an (origin, destination) pair of SSYK 2012 groups, for the learned ranker.

Every feature is a property of the two occupations, never of a training pair, so a model
fitted on some origins scores any other origin (``kedja.taxonomy.ranker``). Groups of
features (the ablation in ``docs/taxonomy.md`` removes one group at a time):

============  ==========================================================================
group         features
============  ==========================================================================
skills        IDF cosine of JobTech skills; coverage of the destination's skills by the
              origin and the reverse (asymmetric); log shared skills; the destination's
              rank among the origin's neighbours by cosine and the origin's rank among
              the destination's (log), which makes the cosine comparable across origins
hierarchy     same SSYK major, sub-major, minor group; shared ISCO-08 unit or minor group
field         same occupation field (Arbetsförmedlingen)
education     education level of the employed (SCB): destination − origin, its step up and
              step down separately, the ISCO-08 skill-level difference, no requirement
size          log employees of the destination (SCB)
wage          log wage ratio destination / origin (SCB)
outlook       the destination's job opportunities now and its five-year outlook
              (Yrkesbarometer)
ai            AI exposure of the destination and its difference from the origin (DAIOE)
titles        cosine of character 3-grams of the Swedish group and occupation names
============  ==========================================================================

Complexity: O(n²·f) memory and time for n groups and f features, plus sparse products over
skills; 400 groups × 30 features take well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "FEATURE_GROUPS",
    "GroupFacts",
    "PairFeatures",
    "group_facts",
    "name_to_group",
    "pair_features",
]


@dataclass(frozen=True)
class GroupFacts:
    """What the transitions model knows about one SSYK 2012 unit group (None: unknown)."""

    code: str
    name_sv: str
    skills: tuple[str, ...] = ()
    isco: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    no_education: bool = False
    employees: float | None = None
    wage: float | None = None
    occupation_field: str | None = None
    education: float | None = None
    opportunities: float | None = None
    outlook: float | None = None
    ai_exposure: float | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "skills": ("cos", "cov_to", "cov_from", "shared", "cos_rank", "cos_rank_rev"),
    "hierarchy": ("same1", "same2", "same3", "isco4", "isco3"),
    "field": ("same_field",),
    "education": ("edu_diff", "edu_up", "edu_down", "isco_level_diff", "no_education"),
    "size": ("size", "size_missing"),
    "wage": ("wage_ratio",),
    "outlook": ("opportunities", "outlook"),
    "ai": ("ai", "ai_diff"),
    "titles": ("title_cos",),
}
LEVELS_BY_MAJOR = {"0": 2, "1": 3, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}


@dataclass(frozen=True)
class PairFeatures:
    """``values[name]`` is an n × n array: row = origin, column = destination."""

    codes: tuple[str, ...]
    values: dict[str, np.ndarray]

    def stacked(self, names: Sequence[str], rows: Sequence[int] | None = None) -> np.ndarray:
        """Features ``names`` of the pairs of origins ``rows`` as (len(rows)·n) × f."""
        picked = slice(None) if rows is None else np.asarray(rows)
        return np.stack([self.values[name][picked].reshape(-1) for name in names], axis=1)


def _binary(rows: Sequence[Iterable[str]]) -> sp.csr_matrix:
    vocabulary: dict[str, int] = {}
    indices, indptr = [], [0]
    for items in rows:
        cols = sorted({vocabulary.setdefault(item, len(vocabulary)) for item in items})
        indices += cols
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), max(1, len(vocabulary))))


def _idf_cosine(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """IDF-weighted cosine and the idf-weighted overlap ``Σ_s a_is a_js idf_s`` (dense)."""
    n = matrix.shape[0]
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    idf = np.log((n + 1) / (df + 1)) + 1.0
    weighted = matrix.multiply(idf[None, :]).tocsr()
    dot = (weighted @ weighted.T).toarray()
    norms = np.sqrt(np.diag(dot))
    norms[norms == 0] = 1.0
    overlap = (matrix.multiply(idf[None, :]) @ matrix.T).toarray()
    return dot / norms[:, None] / norms[None, :], overlap


def _skill_features(facts: Sequence[GroupFacts]) -> dict[str, np.ndarray]:
    matrix = _binary([f.skills for f in facts])
    cos, overlap = _idf_cosine(matrix)
    mass = np.diag(overlap).copy()
    mass[mass == 0] = 1.0
    shared = (matrix @ matrix.T).toarray()
    return {"cos": cos, "cov_to": overlap / mass[None, :], "cov_from": overlap / mass[:, None],
            "shared": np.log1p(shared), "cos_rank": _log_rank(cos, axis=1),
            "cos_rank_rev": _log_rank(cos, axis=0)}


def _log_rank(scores: np.ndarray, axis: int) -> np.ndarray:
    """log(1 + rank) of each entry along ``axis`` (0 = best), the diagonal excluded."""
    masked = scores.copy()
    np.fill_diagonal(masked, -np.inf)
    order = np.argsort(-masked, axis=axis, kind="stable")
    ranks = np.empty_like(order)
    grid = np.arange(scores.shape[axis])
    np.put_along_axis(ranks, order, np.broadcast_to(
        grid[:, None] if axis == 0 else grid[None, :], order.shape), axis=axis)
    return np.log1p(ranks.astype(float))


def _same(keys: Sequence[object]) -> np.ndarray:
    arr = np.array([str(k) if k is not None else f"\0{i}" for i, k in enumerate(keys)])
    return (arr[:, None] == arr[None, :]).astype(float)


def _shared_any(sets: Sequence[set[str]]) -> np.ndarray:
    matrix = _binary(sets)
    return ((matrix @ matrix.T).toarray() > 0).astype(float)


def _filled(values: Sequence[float | None], default: float) -> np.ndarray:
    return np.array([default if v is None else float(v) for v in values])


def _trigrams(text: str) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {f" {w} "[i:i + 3] for w in words for i in range(len(w)) if len(w) > 2}


def _title_cosine(facts: Sequence[GroupFacts]) -> np.ndarray:
    matrix = _binary([_trigrams(" ".join((f.name_sv, *f.names))) for f in facts])
    return _idf_cosine(matrix)[0]


def _structure(facts: Sequence[GroupFacts]) -> dict[str, np.ndarray]:
    codes = [f.code for f in facts]
    levels = np.array([LEVELS_BY_MAJOR.get(c[:1], 2) for c in codes], dtype=float)
    edu = _filled([f.education for f in facts], float(np.nanmean(
        [f.education for f in facts if f.education is not None] or [2.5])))
    diff = edu[None, :] - edu[:, None]
    return {
        "same1": _same([c[:1] for c in codes]), "same2": _same([c[:2] for c in codes]),
        "same3": _same([c[:3] for c in codes]),
        "isco4": _shared_any([set(f.isco) for f in facts]),
        "isco3": _shared_any([{i[:3] for i in f.isco} for f in facts]),
        "same_field": _same([f.occupation_field for f in facts]),
        "edu_diff": diff, "edu_up": np.maximum(diff, 0), "edu_down": np.maximum(-diff, 0),
        "isco_level_diff": levels[None, :] - levels[:, None],
    }


def _destination(facts: Sequence[GroupFacts]) -> dict[str, np.ndarray]:
    n = len(facts)
    size = np.log1p(_filled([f.employees for f in facts], 0.0))
    wage = np.log(_filled([f.wage for f in facts], np.nan))
    ratio = wage[None, :] - wage[:, None]
    ai = _filled([f.ai_exposure for f in facts], 0.5)

    def column(values: np.ndarray) -> np.ndarray:
        return np.broadcast_to(values[None, :], (n, n)).copy()

    return {
        "size": column(size), "size_missing": column((size == 0).astype(float)),
        "wage_ratio": np.nan_to_num(ratio, nan=0.0),
        "opportunities": column(_filled([f.opportunities for f in facts], 0.5)),
        "outlook": column(_filled([f.outlook for f in facts], 0.0)),
        "no_education": column(np.array([float(f.no_education) for f in facts])),
        "ai": column(ai), "ai_diff": ai[None, :] - ai[:, None],
    }


def pair_features(facts: Sequence[GroupFacts]) -> PairFeatures:
    """Every feature of :data:`FEATURE_GROUPS` for every ordered pair of ``facts``.

    Examples:
        >>> a = GroupFacts("5321", "Undersköterskor", skills=("x", "y"), employees=1000)
        >>> b = GroupFacts("5322", "Vårdbiträden", skills=("x",), employees=500)
        >>> c = GroupFacts("7212", "Svetsare", skills=("z",), employees=800)
        >>> f = pair_features([a, b, c])
        >>> round(float(f.values["cov_to"][0, 1]), 2), round(float(f.values["cov_from"][0, 1]), 2)
        (1.0, 0.43)
        >>> float(f.values["same3"][0, 1]), float(f.values["same3"][0, 2])
        (1.0, 0.0)

    """
    values = {**_skill_features(facts), **_structure(facts), **_destination(facts),
              "title_cos": _title_cosine(facts)}
    return PairFeatures(tuple(f.code for f in facts), values)


def group_facts(raw: Mapping[str, Any]) -> list[GroupFacts]:
    """The groups of an occupation facts pack (``demo/data/occupation_facts.json``)."""
    names: dict[str, list[str]] = {}
    for label, code in raw.get("occupation_names", {}).values():
        names.setdefault(code, []).append(label)
    return [GroupFacts(
        g["code"], g["name_sv"], tuple(g.get("skills", ())), tuple(g.get("isco", ())),
        tuple(sorted(names.get(g["code"], []))), bool(g.get("no_education")),
        g.get("employees"), g.get("wage"), g.get("field"), g.get("education"),
        g.get("opportunities"), g.get("outlook"), g.get("ai_exposure"),
        {k: g.get(k) for k in ("jobtech_id", "genai_exposure", "opportunities_north")})
        for g in raw["groups"]]


def name_to_group(raw: Mapping[str, Any]) -> dict[str, str]:
    """JobTech occupation-name id and folded name → SSYK group, from a facts pack."""
    result: dict[str, str] = {}
    for concept_id, (label, code) in raw.get("occupation_names", {}).items():
        result[concept_id] = code
        result.setdefault(label.strip().casefold(), code)
    return result
