"""Occupation × skill matrices and all-pairs similarity, vectorised with scipy.sparse.

Weights. An occupation's skill profile has an *essential* part ``E`` and an *optional* part
``O`` (values in [0, 1]: 1/0 for an ESCO occupation, the share of its ESCO occupations for an
SSYK group). Rare skills say more about an occupation than "work safely" does, so every skill
carries an inverse document frequency ``idf(s) = log(n / df(s))`` (Spärck Jones 1972), with
``df(s)`` the number of occupations that list it.

Measures (all computed for every pair at once):

* **coverage** (asymmetric): how much of the destination's essential skills the origin already
  has, ``cov(i→j) = Σ_s has_i(s)·E_j(s)·idf(s) / Σ_s E_j(s)·idf(s)`` with
  ``has = min(1, E + O)``. It answers the counsellor's question "what share of what the new job
  needs does this person bring?", and differs by direction (nurse → care assistant is high,
  care assistant → nurse low).
* **cosine** (symmetric) of ``W = (E + ½·O)·idf``: the overall resemblance of two profiles,
  which also credits shared optional skills.
* **skill similarity** ``= 0.6·coverage + 0.4·cosine``: coverage leads because missing
  essential skills are what blocks a move; cosine keeps destinations whose profile is mostly
  unrelated from scoring high on a short essential list.

Complexity: building is O(nnz); the all-pairs products are sparse × sparseᵀ, O(Σ_s df(s)²),
returned dense (n × n). 3,007 ESCO occupations × 13,896 skills take well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "COVERAGE_WEIGHT",
    "SkillMatrix",
    "aggregated_matrix",
    "cosine_all_pairs",
    "coverage_all_pairs",
    "idf_weights",
    "skill_matrix",
    "skill_similarity_all_pairs",
]

COVERAGE_WEIGHT = 0.6
OPTIONAL_WEIGHT = 0.5


@dataclass(frozen=True)
class SkillMatrix:
    """Essential and optional parts of an occupation × skill profile (CSR, same shape)."""

    rows: tuple[str, ...]
    skills: tuple[str, ...]
    essential: sp.csr_matrix
    optional: sp.csr_matrix

    @property
    def has(self) -> sp.csr_matrix:
        """``min(1, E + O)``: whether (or how surely) each occupation has each skill."""
        total = (self.essential + self.optional).tocsr()
        total.data = np.minimum(total.data, 1.0)
        return total

    def row_index(self) -> dict[str, int]:
        """Row code → row number."""
        return {code: i for i, code in enumerate(self.rows)}


def skill_matrix(rows: Sequence[str], skills: Sequence[str],
                 links: Iterable[tuple[str, str, str]]) -> SkillMatrix:
    """A binary profile from ``(row, skill, 'essential' | 'optional')`` triples.

    Links to rows or skills outside ``rows``/``skills`` are ignored; essential wins over
    optional when both are given.

    Examples:
        >>> links = [("a", "x", "essential"), ("b", "y", "optional")]
        >>> m = skill_matrix(["a", "b"], ["x", "y"], links)
        >>> m.essential.toarray().tolist(), m.optional.toarray().tolist()
        ([[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]])

    """
    row_at = {code: i for i, code in enumerate(rows)}
    skill_at = {code: i for i, code in enumerate(skills)}
    parts: dict[str, tuple[list[int], list[int]]] = {"essential": ([], []), "optional": ([], [])}
    for row, skill, relation in links:
        if row in row_at and skill in skill_at and relation in parts:
            parts[relation][0].append(row_at[row])
            parts[relation][1].append(skill_at[skill])
    shape = (len(rows), len(skills))
    essential, optional = (_binary(*parts[r], shape) for r in ("essential", "optional"))
    optional = optional - optional.multiply(essential)
    return SkillMatrix(tuple(rows), tuple(skills), essential, optional.tocsr())


def _binary(i: list[int], j: list[int], shape: tuple[int, int]) -> sp.csr_matrix:
    matrix = sp.csr_matrix((np.ones(len(i)), (i, j)), shape=shape)
    matrix.data[:] = 1.0  # duplicates summed by the constructor count once
    return matrix


def aggregated_matrix(groups: Sequence[str], members: Mapping[str, Sequence[str]],
                      base: SkillMatrix) -> SkillMatrix:
    """Profiles of groups (e.g. SSYK) as the mean profile of their members (ESCO occupations).

    A group's ``E(s)`` is the share of its members for which ``s`` is essential.

    Examples:
        >>> base = skill_matrix(["e1", "e2"], ["x"], [("e1", "x", "essential")])
        >>> aggregated_matrix(["g"], {"g": ["e1", "e2"]}, base).essential.toarray().tolist()
        [[0.5]]

    """
    at = base.row_index()
    i, j, w = [], [], []
    for g, group in enumerate(groups):
        found = [at[m] for m in members.get(group, ()) if m in at]
        if not found:
            continue
        i += [g] * len(found)
        j += found
        w += [1.0 / len(found)] * len(found)
    mean = sp.csr_matrix((w, (i, j)), shape=(len(groups), len(base.rows)))
    return SkillMatrix(tuple(groups), base.skills, (mean @ base.essential).tocsr(),
                       (mean @ base.optional).tocsr())


def idf_weights(matrix: SkillMatrix) -> np.ndarray:
    """``log(n / df)`` per skill; 0 for skills no occupation lists.

    Examples:
        >>> links = [("a", "x", "essential"), ("b", "x", "optional"), ("b", "y", "essential")]
        >>> m = skill_matrix(["a", "b"], ["x", "y"], links)
        >>> idf_weights(m).round(3).tolist()
        [0.0, 0.693]

    """
    df = np.asarray((matrix.has > 0).sum(axis=0)).ravel().astype(float)
    with np.errstate(divide="ignore"):
        idf = np.where(df > 0, np.log(len(matrix.rows) / np.maximum(df, 1)), 0.0)
    return idf


def cosine_all_pairs(matrix: SkillMatrix, idf: np.ndarray,
                     other: SkillMatrix | None = None) -> np.ndarray:
    """Cosine similarity of ``(E + ½·O)·idf`` for every (origin, destination) pair.

    Origins are the rows of ``other`` (default: the matrix itself), destinations the rows of
    ``matrix``; the result is dense, ``(len(other.rows), len(matrix.rows))``.
    """
    dest = _unit_rows(_weighted(matrix, idf))
    origin = dest if other is None else _unit_rows(_weighted(other, idf))
    return np.asarray((origin @ dest.T).toarray())


def _weighted(matrix: SkillMatrix, idf: np.ndarray) -> sp.csr_matrix:
    return ((matrix.essential + OPTIONAL_WEIGHT * matrix.optional) @ sp.diags(idf)).tocsr()


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix).tocsr()


def coverage_all_pairs(matrix: SkillMatrix, idf: np.ndarray,
                       other: SkillMatrix | None = None) -> np.ndarray:
    """``cov[i, j]``: the share of destination ``j``'s essential skills origin ``i`` has.

    Shares are idf-weighted; origins are rows of ``other`` (default: the matrix itself).
    Destinations without essential skills are judged on all their skills.

    Examples:
        >>> links = [("a", "x", "essential"), ("b", "x", "essential"), ("b", "y", "essential"),
        ...          ("a", "z", "essential"), ("b", "z", "essential")]
        >>> m = skill_matrix(["a", "b"], ["x", "y", "z"], links)
        >>> coverage_all_pairs(m, np.ones(3)).round(2).tolist()
        [[1.0, 0.67], [1.0, 1.0]]

    """
    needs = (matrix.essential @ sp.diags(idf)).tocsr()
    totals = np.asarray(needs.sum(axis=1)).ravel()
    fallback = totals <= 0
    if fallback.any():
        all_skills = (matrix.has @ sp.diags(idf)).tocsr()
        keep = sp.diags((~fallback).astype(float))
        needs = (keep @ needs + sp.diags(fallback.astype(float)) @ all_skills).tocsr()
        totals = np.asarray(needs.sum(axis=1)).ravel()
    origin = (other or matrix).has
    covered = np.asarray((origin @ needs.T).toarray())
    return covered / np.where(totals > 0, totals, 1.0)[None, :]


def skill_similarity_all_pairs(matrix: SkillMatrix, idf: np.ndarray | None = None,
                               other: SkillMatrix | None = None) -> np.ndarray:
    """``0.6·coverage + 0.4·cosine`` for every (origin, destination) pair."""
    idf = idf_weights(matrix) if idf is None else idf
    return (COVERAGE_WEIGHT * coverage_all_pairs(matrix, idf, other)
            + (1 - COVERAGE_WEIGHT) * cosine_all_pairs(matrix, idf, other))
