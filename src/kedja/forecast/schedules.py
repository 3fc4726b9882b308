"""Model age schedules: fertility, mortality and migration by single year of age and sex.

The defaults are parametric schedules calibrated to published Swedish summary figures (SCB,
2019): a total fertility rate of 1.70 with a mean age at childbirth of 31.3 years, and a life
expectancy at birth of 84.7 years for women and 81.3 years for men. Mortality follows a
Gompertz–Makeham law (Preston, Heuveline & Guillot 2001, ch. 9) with a separate infant rate;
migration follows the Rogers–Castro model migration schedule (Rogers & Castro 1981). Arrays
have shape ``(2, AGES)``: index 0 is women, 1 is men, ages 0..100 where 100 means "100 or more".

Examples:
    >>> import numpy as np
    >>> round(float(fertility_schedule().sum()), 2)
    1.7
    >>> [round(life_expectancy(q), 1) for q in death_probabilities()]
    [84.7, 81.3]
    >>> round(float(migration_profile().sum()), 6)
    1.0

"""

from __future__ import annotations

import numpy as np

__all__ = [
    "AGES",
    "FEMALE_BIRTH_SHARE",
    "MEN",
    "WOMEN",
    "death_probabilities",
    "fertility_schedule",
    "life_expectancy",
    "migration_profile",
    "stationary_population",
]

AGES = 101
"""Single years of age 0..100, the last being open-ended (100+)."""
WOMEN, MEN = 0, 1
FEMALE_BIRTH_SHARE = 1 / 2.05
"""Share of girls among births: a sex ratio at birth of 105 boys per 100 girls."""

# Gompertz–Makeham parameters (A, B, c) and infant death probability, calibrated to SCB's
# 2019 life expectancy at birth: 84.7 (women) and 81.3 (men).
_MORTALITY = ((1e-4, 3.7953516e-06, 0.115, 0.0021), (1e-4, 1.1587571e-05, 0.105, 0.0021))
# Rogers–Castro standard parameters (Rogers & Castro 1981): childhood, labour force, constant.
_ROGERS_CASTRO = {"a1": 0.02, "alpha1": 0.1, "a2": 0.06, "mu2": 20.0, "alpha2": 0.1,
                  "lambda2": 0.4, "c": 0.003}


def fertility_schedule(tfr: float = 1.70, mean_age: float = 31.3, sd: float = 5.4) -> np.ndarray:
    """Births per woman and year by single age: a normal curve on ages 15–49 scaled to ``tfr``.

    Args:
        tfr: Total fertility rate (children per woman over a lifetime).
        mean_age: Mean age of mothers at childbirth.
        sd: Spread of the childbearing ages.

    Returns:
        Array of shape ``(AGES,)``; ages outside 15–49 have rate 0. O(AGES).

    Examples:
        >>> f = fertility_schedule(2.0)
        >>> round(float(f.sum()), 3), int(f.argmax())
        (2.0, 31)

    """
    ages = np.arange(AGES, dtype=float)
    shape = np.exp(-0.5 * ((ages + 0.5 - mean_age) / sd) ** 2)
    shape[(ages < 15) | (ages > 49)] = 0.0
    return tfr * shape / shape.sum()


def death_probabilities(scale: float = 1.0) -> np.ndarray:
    """Probability of dying within a year by age, for women and men (Gompertz–Makeham).

    Args:
        scale: Multiplier on the force of mortality (0.9 = 10 % lower mortality).

    Returns:
        Array of shape ``(2, AGES)``; the open group 100+ uses the hazard at age 100.

    Examples:
        >>> q = death_probabilities()
        >>> bool((q > 0).all() and (q < 1).all()), round(float(q[1, 80]), 3)
        (True, 0.05)

    """
    ages = np.arange(AGES, dtype=float)
    rows = []
    for a, b, c, infant in _MORTALITY:
        hazard = scale * (a + b * np.exp(c * ages))
        q = 1.0 - np.exp(-hazard)
        q[0] = min(1.0, scale * infant)
        rows.append(q)
    return np.vstack(rows)


def life_expectancy(q: np.ndarray) -> float:
    """Life expectancy at birth from death probabilities by single age; O(AGES).

    Examples:
        >>> round(life_expectancy(np.full(101, 0.5)), 2)
        1.5

    """
    survivors = np.concatenate([[1.0], np.cumprod(1.0 - q)[:-1]])
    person_years = survivors - 0.5 * survivors * q
    # The open group lives on as long as its hazard allows: l(100) / m(100).
    hazard = -np.log(max(1.0 - q[-1], 1e-12))
    person_years[-1] = survivors[-1] / max(hazard, 1e-12)
    return float(person_years.sum())


def stationary_population(q: np.ndarray) -> np.ndarray:
    """Person-years lived at each age in a life table (the stationary population, L(x)).

    Args:
        q: Death probabilities of shape ``(2, AGES)``.

    Returns:
        Array of the same shape, women weighted by ``FEMALE_BIRTH_SHARE`` and men by the
        rest, so the two rows together describe one birth cohort. O(AGES).

    """
    survivors = np.concatenate([np.ones((2, 1)), np.cumprod(1.0 - q, axis=1)[:, :-1]], axis=1)
    lived = survivors * (1.0 - 0.5 * q)
    lived[:, -1] = survivors[:, -1] / np.maximum(-np.log(np.maximum(1.0 - q[:, -1], 1e-12)), 1e-12)
    return lived * np.array([[FEMALE_BIRTH_SHARE], [1.0 - FEMALE_BIRTH_SHARE]])


def migration_profile() -> np.ndarray:
    """Age distribution of migrants (Rogers–Castro standard schedule), summing to 1.

    Returns:
        Array of shape ``(AGES,)``: the share of a year's migrants at each age. O(AGES).

    """
    p = _ROGERS_CASTRO
    x = np.arange(AGES, dtype=float)
    young = p["a1"] * np.exp(-p["alpha1"] * x)
    shifted = x - p["mu2"]
    labour = p["a2"] * np.exp(-p["alpha2"] * shifted - np.exp(-p["lambda2"] * shifted))
    shape = young + labour + p["c"]
    return shape / shape.sum()
