"""Occupational transitions: where someone in an occupation, or with these skills, can go next.

Skill overlap alone recommends odd moves; observed Swedish occupational mobility is mostly
within the same field (same SSYK 2012 minor or sub-major group), toward occupations with many
jobs, and rarely across more than one step of education. The score blends four components,
each in [0, 1]:

===========  ======  ====================================================================
component    weight  meaning
===========  ======  ====================================================================
skills       0.50    ``0.6·coverage + 0.4·cosine`` (:mod:`kedja.taxonomy.similarity`)
field        0.20    1 same 3-digit group, 0.6 same 2-digit, 0.3 same major group, else 0
education    0.10    ``1 − |Δ skill level| / 3`` (ISCO-08 skill levels 1–4)
size         0.20    ``log(1 + employees) / max log(1 + employees)``: where the jobs are
===========  ======  ====================================================================

When the model also holds a second, *local* skill profile (JobTech's Swedish skills per SSYK
group, which tell apart groups that share one ISCO-08 group and hence one ESCO profile), the
skills component is ``0.7·(ESCO skills) + 0.3·cosine(local)`` and the Swedish skills the
destination lists but the origin lacks are reported too (``missing_local_skills``).

The weights are a documented prior (skills decide feasibility; field, education distance and
destination size are the strongest regularities of observed job-to-job mobility in register
studies, e.g. Gathmann & Schönberg 2010, "How general is human capital?", and the
occupational mobility networks of Cheng & Park / Neffke et al.), not fitted to Swedish
transitions; a component without data (no head counts imported) drops out and the others are
rescaled. Complexity: O(n²) for the structural parts and the sparse products of
:mod:`~kedja.taxonomy.similarity` for skills; top-k per origin by ``argpartition``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from kedja.taxonomy.similarity import (
    SkillMatrix,
    cosine_all_pairs,
    coverage_all_pairs,
    idf_weights,
)

__all__ = [
    "EDUCATION_STEPS",
    "WEIGHTS",
    "OccupationFacts",
    "SkillGap",
    "Transition",
    "TransitionModel",
    "all_top_transitions",
    "education_level",
    "skill_gaps",
    "top_transitions",
    "transitions_for_profile",
]

WEIGHTS = {"skills": 0.5, "field": 0.2, "education": 0.1, "size": 0.2}
FIELD_CREDIT = (1.0, 0.6, 0.3)
LEVELS_BY_MAJOR = {"0": 2, "1": 3, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}
EDUCATION_STEPS = {
    0: "none: no further formal education needed",
    1: "none formally required (the destination has no educational requirement)",
    2: "upper-secondary vocational programme (gymnasial yrkesutbildning, e.g. via komvux)",
    3: "post-secondary vocational education (yrkeshögskola, 1–2 years)",
    4: "university degree (högskoleexamen, 3 years or more)",
}


def education_level(code: str) -> int:
    """ISCO-08 skill level (1–4) of an SSYK 2012 or ISCO-08 code, from its major group.

    Examples:
        >>> education_level("5321"), education_level("2221"), education_level("9111")
        (2, 4, 1)

    """
    return LEVELS_BY_MAJOR.get(code[:1], 2)


@dataclass(frozen=True)
class OccupationFacts:
    """What the transitions engine knows about an occupation besides its skills.

    Attributes:
        code: SSYK 2012 code or ESCO URI.
        label: its name (Swedish for SSYK).
        groups: enclosing groups, most specific first (``("532", "53", "5")``).
        level: ISCO-08 skill level 1–4.
        employees: head count (0 when unknown).
        no_education: whether the occupation has no educational requirement.

    """

    code: str
    label: str
    groups: tuple[str, ...]
    level: int
    employees: float = 0.0
    no_education: bool = False


@dataclass(frozen=True)
class SkillGap:
    """An essential skill of the destination the origin lacks, with how much it matters."""

    code: str
    label: str
    weight: float


@dataclass(frozen=True)
class Transition:
    """One recommended destination with the score's parts, skill gaps and education step."""

    to_code: str
    to_label: str
    score: float
    breakdown: dict[str, float]
    missing_skills: list[SkillGap] = field(default_factory=list)
    missing_local_skills: list[SkillGap] = field(default_factory=list)
    education_step: str = EDUCATION_STEPS[0]
    no_education: bool = False
    shortage: bool = False
    viable: bool | None = None
    desirability: float | None = None
    why_sv: str = ""
    why_en: str = ""


@dataclass(frozen=True)
class TransitionModel:
    """Occupations with their facts and skill profiles (rows of the matrices = ``facts``).

    ``local`` is an optional second profile in another vocabulary (JobTech's Swedish skills).
    """

    facts: tuple[OccupationFacts, ...]
    matrix: SkillMatrix
    skill_labels: dict[str, str]
    local: SkillMatrix | None = None
    local_labels: dict[str, str] = field(default_factory=dict)

    def index_of(self, code: str) -> int | None:
        """Row number of ``code``, or ``None``."""
        return next((i for i, f in enumerate(self.facts) if f.code == code), None)


def _field_scores(origin: Sequence[OccupationFacts], dest: Sequence[OccupationFacts]
                  ) -> np.ndarray:
    scores = np.zeros((len(origin), len(dest)))
    for depth, credit in reversed(list(enumerate(FIELD_CREDIT))):
        a = np.array([f.groups[depth] if len(f.groups) > depth else f"-{i}"
                      for i, f in enumerate(origin)])
        b = np.array([f.groups[depth] if len(f.groups) > depth else f"+{i}"
                      for i, f in enumerate(dest)])
        scores = np.where(a[:, None] == b[None, :], credit, scores)
    return scores


def _education_scores(origin_levels: np.ndarray, dest: Sequence[OccupationFacts]) -> np.ndarray:
    levels = np.array([f.level for f in dest], dtype=float)
    return 1.0 - np.abs(origin_levels[:, None] - levels[None, :]) / 3.0


def _size_scores(dest: Sequence[OccupationFacts]) -> np.ndarray | None:
    sizes = np.log1p(np.array([f.employees for f in dest], dtype=float))
    return sizes / sizes.max() if sizes.max() > 0 else None


def _blend(parts: dict[str, np.ndarray | None]) -> tuple[np.ndarray, dict[str, float]]:
    present = {k: v for k, v in parts.items() if v is not None}
    total = sum(WEIGHTS[k] for k in present)
    weights = {k: WEIGHTS[k] / total for k in present}
    shape = present["skills"].shape
    blended = np.zeros(shape)
    for key, part in present.items():
        blended = blended + weights[key] * np.broadcast_to(part, shape)
    return blended, weights


def score_parts(model: TransitionModel) -> dict[str, np.ndarray | None]:
    """Every component for every (origin, destination) pair.

    Returns ``skills``, ``coverage``, ``cosine``, ``field``, ``education`` (n × n) and ``size``
    (1 × n, or None without head counts).
    """
    idf = idf_weights(model.matrix)
    coverage = coverage_all_pairs(model.matrix, idf)
    cosine = cosine_all_pairs(model.matrix, idf)
    size = _size_scores(model.facts)
    levels = np.array([f.level for f in model.facts], dtype=float)
    local = None if model.local is None else cosine_all_pairs(model.local,
                                                              idf_weights(model.local))
    return {"skills": _skills(coverage, cosine, local), "coverage": coverage, "cosine": cosine,
            "local_cosine": local, "field": _field_scores(model.facts, model.facts),
            "education": _education_scores(levels, model.facts),
            "size": None if size is None else size[None, :]}


def _skills(coverage: np.ndarray, cosine: np.ndarray, local: np.ndarray | None) -> np.ndarray:
    esco = 0.6 * coverage + 0.4 * cosine
    return esco if local is None else 0.7 * esco + 0.3 * local


def _allowed(model: TransitionModel, shortage: set[str] | None, no_education_only: bool,
             exclude: Iterable[int]) -> np.ndarray:
    ok = np.ones(len(model.facts), dtype=bool)
    if shortage is not None:
        ok &= np.array([f.code in shortage for f in model.facts])
    if no_education_only:
        ok &= np.array([f.no_education for f in model.facts])
    ok[list(exclude)] = False
    return ok


def _top(scores: np.ndarray, allowed: np.ndarray, k: int) -> list[int]:
    masked = np.where(allowed, scores, -np.inf)
    k = min(k, int(allowed.sum()))
    if k <= 0:
        return []
    best = np.argpartition(-masked, k - 1)[:k]
    return [int(j) for j in best[np.lexsort((best, -masked[best]))]]


def _gaps(model: TransitionModel, has: np.ndarray, dest: int, idf: np.ndarray,
          limit: int) -> list[SkillGap]:
    needs = model.matrix.essential.getrow(dest).toarray().ravel() * idf
    needs[has >= 0.5] = 0.0
    order = [int(s) for s in np.argsort(-needs, kind="stable")[:limit] if needs[s] > 0]
    return [SkillGap(model.matrix.skills[s], model.skill_labels.get(model.matrix.skills[s],
                                                                    model.matrix.skills[s]),
                     round(float(needs[s]), 3)) for s in order]


def _step(origin_level: float, dest: OccupationFacts) -> str:
    if dest.no_education:
        return EDUCATION_STEPS[1]
    return EDUCATION_STEPS[dest.level] if dest.level > origin_level else EDUCATION_STEPS[0]


def top_transitions(model: TransitionModel, origin: str, *, k: int = 10,
                    shortage: set[str] | None = None, no_education_only: bool = False,
                    gaps: int = 8) -> list[Transition]:
    """The ``k`` best destinations from the occupation ``origin`` (itself excluded).

    Args:
        model: the occupations and their skill profiles.
        origin: the origin's code (a row of the model).
        k: how many destinations.
        shortage: if given, only these destination codes (occupations in shortage).
        no_education_only: only destinations without educational requirements.
        gaps: how many missing essential skills to list per destination.

    Raises:
        KeyError: ``origin`` is not in the model (the service turns it into NotFound).

    """
    i = model.index_of(origin)
    if i is None:
        raise KeyError(origin)
    idf = idf_weights(model.matrix)
    one = SkillMatrix((origin,), model.matrix.skills, model.matrix.essential[i],
                      model.matrix.optional[i])
    local = None if model.local is None else model.local.has.getrow(i).toarray().ravel()
    levels = np.array([model.facts[i].level], dtype=float)
    parts = _row_parts(model, one, idf, [model.facts[i]], levels, local)
    return _ranked(model, parts, (one.has.toarray().ravel(), local), idf, float(levels[0]),
                   _allowed(model, shortage, no_education_only, [i]), k, gaps, shortage)


def _row_parts(model: TransitionModel, origin: SkillMatrix, idf: np.ndarray,
               facts: Sequence[OccupationFacts] | None, levels: np.ndarray,
               local_has: np.ndarray | None) -> dict[str, np.ndarray | None]:
    coverage = coverage_all_pairs(model.matrix, idf, origin)[0]
    cosine = cosine_all_pairs(model.matrix, idf, origin)[0]
    local = None
    if model.local is not None and local_has is not None:
        row = SkillMatrix(("origin",), model.local.skills, sp.csr_matrix(local_has[None, :]),
                          sp.csr_matrix((1, len(local_has))))
        local = cosine_all_pairs(model.local, idf_weights(model.local), row)[0]
    size = _size_scores(model.facts)
    field_part = _field_scores(facts, model.facts)[0] if facts else np.zeros(len(model.facts))
    return {"skills": _skills(coverage, cosine, local), "coverage": coverage, "cosine": cosine,
            "local_cosine": local, "field": field_part,
            "education": _education_scores(levels, model.facts)[0], "size": size}


def _local_gaps(model: TransitionModel, has: np.ndarray | None, dest: int,
                limit: int) -> list[SkillGap]:
    if model.local is None:
        return []
    local = TransitionModel(model.facts, model.local, model.local_labels)
    origin = np.zeros(len(model.local.skills)) if has is None else has
    return _gaps(local, origin, dest, idf_weights(model.local), limit)


def _ranked(model: TransitionModel, parts: dict[str, np.ndarray | None],
            has: tuple[np.ndarray, np.ndarray | None], idf: np.ndarray, origin_level: float,
            allowed: np.ndarray, k: int, gaps: int, shortage: set[str] | None
            ) -> list[Transition]:
    blended, _ = _blend({key: parts[key] for key in WEIGHTS})
    result = []
    for j in _top(blended, allowed, k):
        dest = model.facts[j]
        breakdown = {key: round(float(v[j]), 4) for key, v in parts.items() if v is not None}
        result.append(Transition(
            dest.code, dest.label, round(float(blended[j]), 4), breakdown,
            _gaps(model, has[0], j, idf, gaps), _local_gaps(model, has[1], j, gaps),
            _step(origin_level, dest), dest.no_education, bool(shortage and dest.code in shortage)))
    return result


def transitions_for_profile(model: TransitionModel, *, skills: Iterable[str] = (),
                            history: Iterable[tuple[str, float]] = (), k: int = 10,
                            level: int | None = None, shortage: set[str] | None = None,
                            no_education_only: bool = False, gaps: int = 8) -> list[Transition]:
    """Destinations for a person: own skills plus skills of past occupations.

    A past occupation held ``y`` years counts its skills with weight ``min(1, y / 2)``
    (two years of practice make a skill count fully). Field and education are judged from the
    occupation held longest; ``level`` overrides the education level (e.g. from SUN 2020).
    Past occupations are excluded from the destinations.
    """
    at = {f.code: i for i, f in enumerate(model.facts)}
    skill_at = {s: j for j, s in enumerate(model.matrix.skills)}
    has = np.zeros(len(model.matrix.skills))
    has[[skill_at[s] for s in skills if s in skill_at]] = 1.0
    past = [(at[code], float(years)) for code, years in history if code in at]
    local = None if model.local is None else np.zeros(len(model.local.skills))
    if model.local is not None and local is not None:
        local_at = {s: j for j, s in enumerate(model.local.skills)}
        local[[local_at[s] for s in skills if s in local_at]] = 1.0
    for i, years in past:
        row = model.matrix.has.getrow(i).toarray().ravel()
        has = np.maximum(has, min(1.0, years / 2.0) * row)
        if model.local is not None and local is not None:
            local = np.maximum(local, min(1.0, years / 2.0) *
                               model.local.has.getrow(i).toarray().ravel())
    main = max(past, key=lambda p: p[1])[0] if past else None
    facts = [model.facts[main]] if main is not None else None
    origin_level = level or (model.facts[main].level if main is not None else 2)
    idf = idf_weights(model.matrix)
    one = SkillMatrix(("person",), model.matrix.skills, sp.csr_matrix(has[None, :]),
                      sp.csr_matrix((1, len(has))))
    parts = _row_parts(model, one, idf, facts, np.array([origin_level], dtype=float), local)
    allowed = _allowed(model, shortage, no_education_only, [i for i, _ in past])
    return _ranked(model, parts, (has, local), idf, float(origin_level), allowed, k, gaps,
                   shortage)


def all_top_transitions(model: TransitionModel, *, k: int = 10
                        ) -> list[tuple[str, int, str, float]]:
    """``(from_code, rank, to_code, score)`` for the top ``k`` of every origin, vectorised."""
    blended, _ = _blend({key: v for key, v in score_parts(model).items() if key in WEIGHTS})
    blended = np.array(blended, dtype=float)
    np.fill_diagonal(blended, -np.inf)
    k = min(k, len(model.facts) - 1)
    best = np.argpartition(-blended, k - 1, axis=1)[:, :k]
    rows = []
    for i, candidates in enumerate(best):
        order = candidates[np.lexsort((candidates, -blended[i, candidates]))]
        rows += [(model.facts[i].code, rank, model.facts[int(j)].code,
                  round(float(blended[i, j]), 4)) for rank, j in enumerate(order, start=1)]
    return rows


def skill_gaps(model: TransitionModel, origin: str, dest: str, limit: int = 8) -> list[SkillGap]:
    """The destination's essential (ESCO) skills the origin lacks, most important first."""
    i, j = model.index_of(origin), model.index_of(dest)
    if i is None or j is None:
        return []
    has = model.matrix.has.getrow(i).toarray().ravel()
    return _gaps(model, has, j, idf_weights(model.matrix), limit)
