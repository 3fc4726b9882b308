"""Occupation-level inputs of matching: skill similarity between occupations and shortage.

:func:`occupation_similarity` is the cosine similarity of IDF-weighted occupation skill
vectors (Salton & Buckley 1988 term weighting); :func:`shortage_index` ranks occupations by
vacancies per employed person. Both are O(O² + links) for O occupations.

Examples:
    >>> sim = occupation_similarity(["a", "b", "c"], [("a", "x"), ("a", "y"), ("b", "x"), ("c", "z")])
    >>> sim.round(2).tolist()
    [[1.0, 0.61, 0.0], [0.61, 1.0, 0.0], [0.0, 0.0, 1.0]]
    >>> shortage_index([0, 5, 10], [100, 100, 10]).tolist()
    [0.0, 0.5, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.stats import rankdata

__all__ = ["occupation_similarity", "shortage_index"]


def occupation_similarity(codes: Sequence[str], links: Sequence[tuple[str, str]]) -> np.ndarray:
    """Cosine similarity of IDF-weighted skill vectors, one row and column per code."""
    index = {c: i for i, c in enumerate(codes)}
    pairs = [(index[o], s) for o, s in links if o in index]
    skills = {s: j for j, s in enumerate(sorted({s for _, s in pairs}))}
    if not skills:
        return np.eye(len(codes))
    rows = np.array([i for i, _ in pairs])
    cols = np.array([skills[s] for _, s in pairs])
    matrix = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(len(codes), len(skills)))
    matrix.data[:] = 1.0
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(codes)) / (1 + df)) + 1.0
    weighted = matrix @ sp.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    normalised = sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ weighted
    similarity = (normalised @ normalised.T).toarray()
    np.fill_diagonal(similarity, 1.0)
    return np.clip(similarity, 0.0, 1.0)


def shortage_index(vacancies: Sequence[float], employed: Sequence[float]) -> np.ndarray:
    """Occupations ranked by vacancies per employed person, scaled to [0, 1]."""
    ratio = np.asarray(vacancies, dtype=float) / (np.asarray(employed, dtype=float) + 1.0)
    if ratio.size <= 1:
        return np.zeros_like(ratio)
    ranks = rankdata(ratio, method="average")
    return (ranks - 1) / (ranks.size - 1)
