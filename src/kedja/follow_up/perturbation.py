"""The cell-key method: every published count gets a small noise fixed by the people it counts.

Statistical disclosure control by consistent perturbation (Thompson, Broadfoot & Elazar,
*Methodology for the automatic confidentialisation of statistical outputs from remote servers
at the Australian Bureau of Statistics*, UNECE SDC work session 2013; Giessing & Tent,
*Concepts for generalising tools implementing the cell key method to the case of continuous
variables*, UNECE SDC work session 2019; the method of the ONS's and Destatis' 2021/2022 census
outputs):

1. Each person has a secret **record key**, a uniform random integer in ``[0, 2**32)`` drawn
   once and stored (``record_keys``), so the same person has the same key in every table,
   period and query.
2. A cell's **cell key** is the sum of the record keys of the people it counts, modulo
   ``2**32``: uniform, and the same whenever the cell counts the same people.
3. The **perturbation table** (:func:`perturbation_table`) gives, for a true count ``n``, a
   distribution over noises ``v`` in ``-D … D`` with ``n + v >= 0``, mean 0 and variance
   ``V``; of all such distributions the one of maximum entropy (Enderle, Giessing & Tent,
   *Designing confidentiality on the fly methodology: three aspects*, PSD 2018, as the R
   package ``ptable`` builds them). The cell key, read as a number in ``[0, 1)``, picks the
   noise by inverse CDF. A true zero has no contributors and stays 0.
4. A perturbed count below the threshold (5) is not shown (the ONS's package applies its
   threshold after perturbation in the same way); a zero is shown.
5. A **sum** (the distance travelled of a progression row) gets the noise of the magnitude
   variant: the largest absolute contribution times a factor in ``±[0.5, 1]`` drawn from the
   cell key; a mean is the perturbed sum over the perturbed count, shown only when that count
   is shown and at least 5.

The same people give the same figure in every table and query, so asking again or over
overlapping periods averages nothing away; two tables that differ by one person differ by
``1 + e2 - e1``, two independent draws, so the difference does not give the person's count
or value back. Totals are perturbed as cells of their own, so a table does not add up exactly
and a hidden cell cannot be recovered from its margin. O(cells) per table.

Examples:
    >>> import numpy as np
    >>> keys = np.array([[12345, 67890], [13579, 24680]], dtype=np.int64)
    >>> table = perturb_table(np.array([[40, 3], [0, 25]]), keys)
    >>> table.cells[0][1] is None, table.cells[1][0]
    (True, 0)
    >>> abs(table.cells[0][0] - 40) <= MAX_DEVIATION
    True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize

from kedja.follow_up.suppression import THRESHOLD, PublishedTable

__all__ = [
    "KEY_SPACE",
    "MAX_DEVIATION",
    "VARIANCE",
    "CellKeyMethod",
    "cell_key",
    "noise",
    "perturb_sum",
    "perturb_table",
    "perturbation_table",
]

KEY_SPACE = 2**32
"""Record and cell keys are integers in ``[0, KEY_SPACE)``."""

MAX_DEVIATION = 2
"""D: no count moves by more than 2 (see docs/hub.md for the choice)."""

VARIANCE = 1.0
"""V: the variance of the noise of a count of at least D."""


def cell_key(keys: list[int]) -> int:
    """The cell key of the records counted: the sum of their keys modulo ``KEY_SPACE``.

    Examples:
        >>> cell_key([KEY_SPACE - 1, 2])
        1
    """
    return sum(keys) % KEY_SPACE


def _max_entropy(support: np.ndarray, variance: float) -> np.ndarray:
    """The maximum-entropy distribution on ``support`` with mean 0 and the given variance.

    It is ``p(v) ∝ exp(a v + b v²)``; the dual (log-partition minus the moments) is convex,
    so a quasi-Newton minimisation finds ``a, b``.
    """
    def dual(theta: np.ndarray) -> float:
        z = theta[0] * support + theta[1] * (support**2)
        top = z.max()
        return float(top + np.log(np.exp(z - top).sum()) - theta[1] * variance)

    theta = minimize(dual, np.zeros(2), method="BFGS", options={"gtol": 1e-12}).x
    z = theta[0] * support + theta[1] * support**2
    p = np.exp(z - z.max())
    return np.asarray(p / p.sum())


@lru_cache(maxsize=8)
def perturbation_table(max_deviation: int = MAX_DEVIATION, variance: float = VARIANCE
                       ) -> dict[int, tuple[tuple[int, ...], tuple[float, ...]]]:
    """Per true count 1 … D (the row for D serves every larger count): noises and probabilities.

    A small count can fall at most to 0; its variance is the largest reachable below ``V``
    with mean 0 (for a count of 1 and D = 2: noises -1 … 2).

    Examples:
        >>> noises, probabilities = perturbation_table()[2]
        >>> noises, [round(p, 3) for p in probabilities]
        ((-2, -1, 0, 1, 2), [0.064, 0.245, 0.383, 0.245, 0.064])
    """
    table = {}
    for n in range(1, max_deviation + 1):
        support = np.arange(-min(n, max_deviation), max_deviation + 1, dtype=float)
        reachable = float(-support.min() * support.max())  # the two-point extreme
        p = _max_entropy(support, min(variance, reachable * 0.999))
        table[n] = (tuple(int(v) for v in support), tuple(float(x) for x in p))
    return table


def _uniform(key: int, salt: bytes = b"") -> float:
    if salt:
        key = int.from_bytes(hashlib.sha256(salt + key.to_bytes(8, "big")).digest()[:4], "big")
    return (key + 0.5) / KEY_SPACE


def noise(count: int, key: int, *, max_deviation: int = MAX_DEVIATION,
          variance: float = VARIANCE) -> int:
    """The noise for a cell of ``count`` records with cell key ``key`` (0 for an empty cell).

    Examples:
        >>> noise(0, 123), noise(50, 0), noise(50, KEY_SPACE - 1)
        (0, -2, 2)
    """
    if count <= 0 or max_deviation == 0:
        return 0
    noises, probabilities = perturbation_table(max_deviation, variance)[min(count, max_deviation)]
    u, cumulative = _uniform(key), 0.0
    for v, p in zip(noises, probabilities, strict=True):
        cumulative += p
        if u < cumulative:
            return v
    return noises[-1]


def perturb_sum(total: float, largest: float, key: int) -> float:
    """A sum perturbed by its largest absolute contribution times ``±[0.5, 1]`` from the cell key.

    Examples:
        >>> 1.0 <= abs(perturb_sum(10.0, 2.0, 99) - 10.0) <= 2.0
        True
    """
    u = _uniform(key, b"sum")
    sign = 1.0 if u >= 0.5 else -1.0
    factor = 0.5 + (2 * u - 1 if u >= 0.5 else 1 - 2 * u) * 0.5
    return total + sign * factor * max(abs(largest), 1.0)


@dataclass(frozen=True, slots=True)
class CellKeyMethod:
    """The protection applied to published indicators: the cell-key method's parameters."""

    max_deviation: int = MAX_DEVIATION
    variance: float = VARIANCE
    threshold: int = THRESHOLD

    def table(self, counts: np.ndarray, keys: np.ndarray) -> PublishedTable:
        """Perturb a table and its margins (see :func:`perturb_table`)."""
        return perturb_table(counts, keys, max_deviation=self.max_deviation,
                             variance=self.variance, threshold=self.threshold)

    def total(self, total: float, largest: float, key: int) -> float:
        """Perturb a sum (see :func:`perturb_sum`)."""
        return total if self.max_deviation == 0 else perturb_sum(total, largest, key)


def _extended(values: np.ndarray, *, modulo: int | None) -> np.ndarray:
    with_rows = np.hstack([values, values.sum(axis=1, keepdims=True)])
    extended = np.vstack([with_rows, with_rows.sum(axis=0, keepdims=True)])
    return extended % modulo if modulo else extended


def perturb_table(counts: np.ndarray, keys: np.ndarray, *, max_deviation: int = MAX_DEVIATION,
                  variance: float = VARIANCE, threshold: int = THRESHOLD) -> PublishedTable:
    """Publish a table of counts with its margins, each cell perturbed by its cell key.

    Args:
        counts: non-negative integer counts, rows × columns.
        keys: each cell's cell key (the sum of its records' keys modulo ``KEY_SPACE``); a
            margin's key is the sum of its cells' keys, i.e. the key of the records it counts.
        max_deviation: D, the largest noise.
        variance: V, the variance of the noise of a count of at least D.
        threshold: a perturbed positive count below it is hidden.
    """
    values = _extended(np.asarray(counts, dtype=np.int64), modulo=None)
    cell_keys = _extended(np.asarray(keys, dtype=object), modulo=KEY_SPACE)
    shown: list[list[int | None]] = []
    hidden: set[tuple[int, int]] = set()
    for i in range(values.shape[0]):
        row: list[int | None] = []
        for j in range(values.shape[1]):
            n = int(values[i, j])
            published = n + noise(n, int(cell_keys[i, j]), max_deviation=max_deviation,
                                  variance=variance)
            if n > 0 and published < threshold:
                row.append(None)
                hidden.add((i, j))
            else:
                row.append(published)
        shown.append(row)
    return PublishedTable(cells=tuple(tuple(row[:-1]) for row in shown[:-1]),
                          row_totals=tuple(row[-1] for row in shown[:-1]),
                          column_totals=tuple(shown[-1][:-1]), total=shown[-1][-1],
                          primary=frozenset(hidden))
