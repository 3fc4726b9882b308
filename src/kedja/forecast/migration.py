"""Gross migration assumptions and the residual estimate of net migration.

Out-migration is a rate by age: the Rogers–Castro profile (``schedules.migration_profile``)
scaled so that a population with the national stationary age structure loses ``level`` of its
people a year. In-migration is a count by age: the same profile times the yearly number of
in-migrants, split evenly by sex. Net migration of a past period is estimated by the residual
method (Smith, Tayman & Swanson 2013, ch. 6): the observed change minus the natural change
that the projection gives without migration.

Examples:
    >>> rates = out_migration_rates(0.05)
    >>> rates.shape, bool(((rates >= 0) & (rates <= 1)).all())
    ((2, 101), True)
    >>> round(float(in_migrant_counts(1000.0).sum()), 6)
    1000.0

"""

from __future__ import annotations

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.schedules import (
    AGES,
    death_probabilities,
    migration_profile,
    stationary_population,
)

__all__ = ["DEFAULT_OUT_RATE", "gross_in_migrants", "in_migrant_counts", "out_migration_rates"]

DEFAULT_OUT_RATE = 0.042
"""Yearly share of a municipality's population that moves out (gross, all destinations).

Estimated: the Luleå area's out-movers by age and sex over its mean population (SCB BE0101,
``scb_lulea_fa``) in 2006, the first year SCB's history holds, averaged over the stationary
population as ``out_migration_rates`` does: 4.22 %. The same measure stays within 3.99–4.60 %
in every year 2006–2024 (``docs/forecast.md``)."""


def out_migration_rates(level: float = DEFAULT_OUT_RATE) -> np.ndarray:
    """Out-migration probability by sex and age, averaging ``level`` over the standard population.

    Args:
        level: Average yearly out-migration rate, in [0, 1].

    Returns:
        Array ``(2, AGES)`` in [0, 1] (capped at 0.5 at the peak ages). O(AGES).

    """
    if not 0.0 <= level <= 1.0:
        raise InvalidInput(f"{level!r} is outside [0, 1]", field="out_migration_level",
                           value=level, hint="give a yearly rate, for instance 0.042")
    # Rogers–Castro schedules are rates by age; scale one to the requested average.
    standard = stationary_population(death_probabilities()).sum(axis=0)
    shape = migration_profile()
    rate = level * shape * standard.sum() / (shape * standard).sum()
    return np.minimum(np.broadcast_to(rate, (2, AGES)).copy(), 0.5)


def in_migrant_counts(total: float | np.ndarray) -> np.ndarray:
    """In-migrants by sex and age for ``total`` in-migrants a year (any leading shape).

    Args:
        total: Yearly in-migrants, ≥ 0; an array gives one row per element.

    Returns:
        Array of shape ``(*shape(total), 2, AGES)``. O(size × AGES).

    """
    totals = np.asarray(total, dtype=float)
    return totals[..., None, None] * (0.5 * migration_profile())[None, :] * np.ones((2, 1))


def gross_in_migrants(population: np.ndarray, out_rates: np.ndarray, net: np.ndarray) -> np.ndarray:
    """Yearly in-migrants that give ``net`` net migration for ``population`` at ``out_rates``.

    In-migrants cannot be negative: a net loss larger than the out-migration is capped at it.

    Examples:
        >>> pop = np.full((1, 2, AGES), 10.0)
        >>> rates = np.full((2, AGES), 0.1)
        >>> gross_in_migrants(pop, rates, np.array([-50.0])).round(1).tolist()
        [152.0]

    """
    outflow = (population * out_rates).sum(axis=(-2, -1))
    return np.maximum(outflow + net, 0.0)
