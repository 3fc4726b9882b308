"""Occupation-level inputs of matching: shortage of people by occupation.

Occupation similarity comes from the taxonomy engine (``kedja.taxonomy.similarity``) through
the services layer; :func:`shortage_index` ranks occupations by vacancies per employed person,
O(O log O) for O occupations.

Examples:
    >>> shortage_index([0, 5, 10], [100, 100, 10]).tolist()
    [0.0, 0.5, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import rankdata

__all__ = ["shortage_index"]


def shortage_index(vacancies: Sequence[float], employed: Sequence[float]) -> np.ndarray:
    """Occupations ranked by vacancies per employed person, scaled to [0, 1]."""
    ratio = np.asarray(vacancies, dtype=float) / (np.asarray(employed, dtype=float) + 1.0)
    if ratio.size <= 1:
        return np.zeros_like(ratio)
    ranks = rankdata(ratio, method="average")
    return (ranks - 1) / (ranks.size - 1)
