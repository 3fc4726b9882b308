"""Cohort-component population projection by single year of age and sex, vectorised.

Each yearly step (Smith, Tayman & Swanson 2013, *A Practitioner's Guide to State and Local
Population Projections*, ch. 6–7): out-migrants leave at age-specific rates, the rest survive
with the life table's one-year survival and move up one year of age (the open group 100+
keeps its survivors), in-migrants arrive as counts by age and sex, and births are the
fertility rates applied to the women at the start of the year, split by the sex ratio at birth
and reduced by infant mortality. Gross migration (rates out, counts in) keeps out-migration
proportional to the population at risk, as the guide recommends for small areas.

Populations are arrays of shape ``(..., 2, AGES)``: any leading axes (municipalities,
Monte Carlo draws) are projected at once by NumPy broadcasting.

Examples:
    >>> import numpy as np
    >>> from kedja.forecast.schedules import AGES
    >>> base = np.full((2, AGES), 100.0)
    >>> rates = DemographicRates.national()
    >>> path = project(base, rates, years=3)
    >>> path.shape, bool((path >= 0).all())
    ((4, 2, 101), True)

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.schedules import (
    AGES,
    FEMALE_BIRTH_SHARE,
    WOMEN,
    death_probabilities,
    fertility_schedule,
)

__all__ = ["DemographicRates", "check_population", "check_rates", "project", "project_step"]


@dataclass(frozen=True)
class DemographicRates:
    """Rates of one projection, broadcastable against the population's leading axes.

    Attributes:
        fertility: Births per woman and year by age, shape ``(..., AGES)``.
        death: Probability of dying within the year, shape ``(..., 2, AGES)``, in [0, 1].
        out_migration: Probability of moving out within the year, ``(..., 2, AGES)``, in [0, 1].
        in_migrants: In-migrants per year by sex and age (counts), ``(..., 2, AGES)``, ≥ 0.

    """

    fertility: np.ndarray
    death: np.ndarray
    out_migration: np.ndarray
    in_migrants: np.ndarray

    def __post_init__(self) -> None:
        check_rates(self.death, field="death")
        check_rates(self.out_migration, field="out_migration")
        check_population(self.in_migrants, field="in_migrants")
        if np.any(self.fertility < 0) or np.any(self.fertility > 1):
            _refuse(self.fertility, (self.fertility < 0) | (self.fertility > 1), "fertility",
                    "births per woman and year must lie in [0, 1]")

    @classmethod
    def national(cls) -> DemographicRates:
        """Sweden's model schedules (see ``schedules``) with no migration."""
        zero = np.zeros((2, AGES))
        return cls(fertility_schedule(), death_probabilities(), zero, zero)


def _refuse(values: np.ndarray, bad: np.ndarray, field: str, expected: str) -> None:
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    value = float(values[index])
    raise InvalidInput(
        f"{value!r} at index {index} of {field} is not valid: {expected}",
        field=field, value=value,
        hint=f"correct the input so that {expected}",
    )


def check_rates(rates: np.ndarray, *, field: str) -> np.ndarray:
    """Refuse rates outside [0, 1] (or NaN), naming the first bad value and its index.

    Examples:
        >>> check_rates(np.array([0.1, 1.2]), field="death")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: 1.2 at index (1,) of death is not valid: a rate must ...

    """
    bad = ~((rates >= 0) & (rates <= 1))
    if bad.any():
        _refuse(rates, bad, field, "a rate must lie in [0, 1]")
    return rates


def check_population(population: np.ndarray, *, field: str = "population") -> np.ndarray:
    """Refuse negative (or NaN) counts, naming the first bad value and its index.

    Examples:
        >>> check_population(np.array([[5.0, -3.0]]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: -3.0 at index (0, 1) of population is not valid: ...

    """
    bad = ~(population >= 0)
    if bad.any():
        _refuse(population, bad, field, "a count of people cannot be negative")
    return population


def project_step(population: np.ndarray, rates: DemographicRates,
                 out: np.ndarray | None = None) -> np.ndarray:
    """One year of the cohort-component method; O(size of ``population``).

    Args:
        population: Start-of-year population, shape ``(..., 2, AGES)``.
        rates: Rates broadcastable against ``population``.
        out: Buffer for the result (the broadcast shape), reused so that a projection
            allocates no large array per year; it must not be ``population`` itself.

    Returns:
        End-of-year population, same shape (``out`` when given).

    """
    keep = (1.0 - rates.out_migration) * (1.0 - rates.death)  # small: the rates' shape
    shape = np.broadcast_shapes(population.shape, rates.in_migrants.shape)
    nxt = np.empty(shape) if out is None else out
    np.multiply(population[..., :-1], keep[..., :-1], out=nxt[..., 1:])
    nxt[..., -1] += population[..., -1] * keep[..., -1]
    women = population[..., WOMEN, :]
    births = women @ rates.fertility if rates.fertility.ndim == 1 \
        else np.einsum("...a,...a->...", women, rates.fertility)
    infant_survival = 1.0 - 0.5 * rates.death[..., 0]
    share = np.array([FEMALE_BIRTH_SHARE, 1.0 - FEMALE_BIRTH_SHARE])
    np.multiply(births[..., None], share * infant_survival, out=nxt[..., 0])
    nxt += rates.in_migrants
    return nxt


def project(population: np.ndarray, rates: DemographicRates, years: int) -> np.ndarray:
    """Project ``population`` ``years`` steps ahead with constant rates.

    Complexity O(years × size of ``population``), all arithmetic vectorised with NumPy.

    Args:
        population: Base population, shape ``(..., 2, AGES)``, counts ≥ 0.
        rates: Rates broadcastable against ``population``.
        years: Number of yearly steps, ≥ 0.

    Returns:
        Array of shape ``(years + 1, ..., 2, AGES)``: the base year first. The leading axes
        are those of ``population`` broadcast with the rates' (one population, many
        in-migration draws, for instance).

    Raises:
        InvalidInput: a negative count, or a shape other than ``(..., 2, 101)``.

    """
    check_population(population)
    if population.shape[-2:] != (2, AGES):
        raise InvalidInput(
            f"a population of shape {population.shape} cannot be projected",
            field="population", value=str(population.shape),
            hint=f"give counts by sex and single year of age: shape (..., 2, {AGES})",
        )
    shape = np.broadcast_shapes(population.shape, rates.in_migrants.shape,
                                rates.out_migration.shape, rates.death.shape)
    path = np.empty((years + 1, *shape))
    path[0] = population
    for year in range(years):
        project_step(path[year], rates, out=path[year + 1])
    return path
