"""Age structures: a single-age population from published band figures, and its indicators.

Kolada publishes, per municipality and year, the population total, the shares aged 0–19 and
65+, and single-age counts for ages 20–30. :func:`population_from_bands` spreads each band
over its single ages and the two sexes in proportion to the national stationary population
(the life table's person-years L(x), see ``schedules``): ages 0–19, 31–64 and 65–100+ take
the life-table shape, and 20–30 are the published counts split by sex in the same way.
This is the standard "distribute by a standard schedule" interpolation (Smith, Tayman &
Swanson 2013, ch. 5) and keeps every published figure exactly.

Examples:
    >>> pop = population_from_bands(10_000, share_0_19=0.2, share_65_plus=0.25,
    ...                             ages_20_30=[120] * 11)
    >>> round(float(pop.sum())), round(float(pop[:, :20].sum())), round(float(pop[:, 65:].sum()))
    (10000, 2000, 2500)
    >>> ind = indicators(pop)
    >>> round(ind["old_age_dependency"], 3), round(ind["working_age_share"], 3)
    (0.455, 0.55)

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.projection import check_population
from kedja.forecast.schedules import AGES, death_probabilities, stationary_population

__all__ = ["WORKING_AGES", "indicators", "population_from_bands", "pyramid"]

WORKING_AGES = (20, 64)
"""The working ages used for the working-age share and the dependency ratio (20–64)."""


def _spread(total: float, shape: np.ndarray) -> np.ndarray:
    weight = shape.sum()
    return shape * (total / weight) if weight > 0 else shape * 0.0


def population_from_bands(
    total: float,
    *,
    share_0_19: float,
    share_65_plus: float,
    ages_20_30: Sequence[float],
    standard: np.ndarray | None = None,
) -> np.ndarray:
    """A population by sex and single age that reproduces Kolada's published figures; O(AGES).

    Args:
        total: Population total.
        share_0_19: Share aged 0–19, in [0, 1].
        share_65_plus: Share aged 65 or more, in [0, 1].
        ages_20_30: Eleven counts, for ages 20 to 30.
        standard: Standard shape ``(2, AGES)``; by default the national stationary population.

    Returns:
        Array of shape ``(2, AGES)``.

    Raises:
        InvalidInput: shares outside [0, 1], negative counts, or bands that exceed the total.

    """
    shape = stationary_population(death_probabilities()) if standard is None else standard
    young, old, counts = _checked_bands(total, share_0_19, share_65_plus, ages_20_30)
    middle = total - young - old - counts.sum()
    if middle < 0:
        raise InvalidInput(
            f"the bands 0–19, 20–30 and 65+ hold {total - middle:.0f} people, more than the "
            f"total {total:.0f}",
            field="ages_20_30", value=round(float(counts.sum())),
            hint="check that the shares and counts belong to the same municipality and year",
        )
    pop = np.zeros((2, AGES))
    pop[:, :20] = _spread(young, shape[:, :20])
    pop[:, 31:65] = _spread(middle, shape[:, 31:65])
    pop[:, 65:] = _spread(old, shape[:, 65:])
    sex_split = shape[:, 20:31] / shape[:, 20:31].sum(axis=0)
    pop[:, 20:31] = sex_split * counts
    return pop


def _checked_bands(total: float, share_0_19: float, share_65_plus: float,
                   ages_20_30: Sequence[float]) -> tuple[float, float, np.ndarray]:
    check_population(np.array([total], dtype=float), field="total")
    for name, share in (("share_0_19", share_0_19), ("share_65_plus", share_65_plus)):
        if not 0.0 <= share <= 1.0:
            raise InvalidInput(f"{share!r} is outside [0, 1]", field=name, value=share,
                               hint="give the share as a fraction, for instance 0.22")
    counts = np.asarray(ages_20_30, dtype=float)
    if counts.shape != (11,):
        raise InvalidInput(f"{counts.size} counts given for ages 20–30, expected 11",
                           field="ages_20_30", value=counts.size,
                           hint="give one count per age 20, 21, ..., 30")
    check_population(counts, field="ages_20_30")
    return total * share_0_19, total * share_65_plus, counts


def indicators(population: np.ndarray) -> dict[str, float]:
    """Working-age share (20–64 / all) and old-age dependency ratio (65+ / 20–64); O(AGES).

    Args:
        population: Shape ``(2, AGES)``.

    Returns:
        ``population``, ``working_age_share``, ``old_age_dependency``, ``share_65_plus``.

    """
    by_age = population.sum(axis=0)
    total = float(by_age.sum())
    working = float(by_age[WORKING_AGES[0]:WORKING_AGES[1] + 1].sum())
    old = float(by_age[WORKING_AGES[1] + 1:].sum())
    return {
        "population": total,
        "working_age_share": working / total if total else 0.0,
        "old_age_dependency": old / working if working else 0.0,
        "share_65_plus": old / total if total else 0.0,
    }


def pyramid(population: np.ndarray, band: int = 5) -> list[dict[str, float | str]]:
    """The population pyramid in ``band``-year groups (the last open): women and men per group.

    Examples:
        >>> rows = pyramid(np.ones((2, AGES)), band=25)
        >>> [(r["ages"], r["women"]) for r in rows]
        [('0–24', 25.0), ('25–49', 25.0), ('50–74', 25.0), ('75–99', 25.0), ('100+', 1.0)]

    """
    rows: list[dict[str, float | str]] = []
    for start in range(0, AGES, band):
        stop = min(start + band, AGES)
        label = f"{start}–{stop - 1}" if stop < AGES or stop - start > 1 else f"{start}+"
        if stop == AGES and stop - start > 1:
            label = f"{start}+"
        rows.append({"ages": label, "women": float(population[0, start:stop].sum()),
                     "men": float(population[1, start:stop].sum())})
    return rows
