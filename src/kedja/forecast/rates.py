"""Demographic rates estimated from SCB's single-age history (fit only on years up to a cut-off).

Everything here is estimated from ``ScbHistory`` with the years after ``until`` masked out, so a
back-test fitted to 2009 never sees 2010 or later (Smith, Tayman & Swanson 2013, ch. 13):

- **National fertility and mortality** (region ``"00"``): age-specific fertility rates (births
  by mother's age / mean female population) and death rates (deaths / mean population, turned
  into one-year probabilities ``q = 1 − exp(−m)``), averaged over the last ``RATE_YEARS`` years.
- **Mortality improvement**: the yearly log-linear decline of the age-standardised death rate
  (standard: the mean population of the same years), over every national year up to ``until``;
  bounded to [0, ``MAX_IMPROVEMENT``].
- **County levels**: indirect standardisation of the county's municipalities in the file
  (births / expected births at national rates; deaths / expected deaths), i.e. a county TFR
  factor and a standardised mortality ratio.
- **Standard age structure**: Sweden's mean population by sex and single age in the latest
  year up to ``until``; it shapes the ages inside Kolada's bands (it beat the pooled
  municipalities of the file and the life table in every back-test window).
- **Migration age profiles**: out-migration rates by sex and age (out-movers / mean population)
  and the age–sex distribution of in-movers, pooled over the municipalities in the file; the
  shares of international moves (immigrants / in-movers, emigrants / out-movers) are reported.
  Profiles are smoothed with a 3-year moving average over ages 1–99 (single ages of small
  populations are noisy).

Examples:
    >>> import numpy as np
    >>> moving_average(np.array([0.0, 3.0, 0.0, 3.0, 0.0]))
    array([0., 1., 2., 1., 0.])

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.scb_history import ScbHistory

__all__ = ["MAX_IMPROVEMENT", "RATE_YEARS", "EstimatedRates", "estimate_rates", "moving_average"]

RATE_YEARS = 3
"""Years averaged for the level of fertility and mortality (SCB averages several years too)."""
MAX_IMPROVEMENT = 0.03
"""Upper bound on the yearly mortality decline; not binding in the data (estimates 1.4–1.7 %)."""
NATIONAL = "00"


@dataclass(frozen=True)
class EstimatedRates:
    """Rates estimated from SCB's history up to ``until`` (see the module docstring)."""

    until: int
    years_used: tuple[int, ...]
    fertility: np.ndarray  # national ASFR (AGES,)
    death: np.ndarray  # national q (2, AGES)
    mortality_improvement: float  # yearly decline of death rates, fraction
    county_fertility: dict[str, float]  # county code -> factor on national fertility
    county_mortality: dict[str, float]  # county code -> standardised mortality ratio
    out_rates: np.ndarray  # (2, AGES) out-migration probability, pooled municipalities
    in_profile: np.ndarray  # (2, AGES) share of in-movers, sums to 1
    international_in_share: float
    international_out_share: float
    standard: np.ndarray  # (2, AGES) Sweden's mean population, latest year up to until

    def death_in(self, county: str | None, years_ahead: int) -> np.ndarray:
        """Death probabilities for ``county`` ``years_ahead`` after ``until``, improved."""
        level = self.county_mortality.get(county or "", 1.0)
        factor = level * (1.0 - self.mortality_improvement) ** years_ahead
        return 1.0 - np.exp(np.log1p(-self.death) * factor)

    def fertility_in(self, county: str | None) -> np.ndarray:
        """Age-specific fertility for ``county``."""
        return self.fertility * self.county_fertility.get(county or "", 1.0)


def moving_average(values: np.ndarray) -> np.ndarray:
    """Three-point moving average over the last axis, keeping the end points; O(size)."""
    out = values.copy()
    out[..., 1:-1] = (values[..., :-2] + values[..., 1:-1] + values[..., 2:]) / 3.0
    return out


def _national_rows(history: ScbHistory, keep: np.ndarray) -> tuple[int, np.ndarray]:
    row = history.index(NATIONAL)
    has = keep & ~np.isnan(history.deaths[row]).any(axis=(-2, -1)) \
        & ~np.isnan(history.births[row]).any(axis=-1)
    if not has.any():
        raise InvalidInput("the SCB files hold no national deaths and births up to the fit year",
                           field="until", value=int(np.array(history.years)[keep].max(initial=0)),
                           hint="choose a later fit year or files that include region 00")
    return row, np.flatnonzero(has)


def _improvement(deaths: np.ndarray, exposure: np.ndarray, years: np.ndarray) -> float:
    if len(years) < 3:
        return 0.0
    standard = exposure.mean(axis=0)
    rate = (deaths / exposure * standard).sum(axis=(-2, -1)) / standard.sum()
    slope = np.polyfit(years, np.log(rate), 1)[0]
    return float(np.clip(-slope, 0.0, MAX_IMPROVEMENT))


def _county_factors(history: ScbHistory, keep: np.ndarray, fertility: np.ndarray,
                    death_rate: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    births: dict[str, list[float]] = {}
    deaths: dict[str, list[float]] = {}
    for r, region in enumerate(history.regions):
        if region == NATIONAL or len(region) != 4:
            continue
        exposure = history.mean_population[r, keep]
        if np.isnan(exposure).any():
            continue
        county = region[:2]
        b = births.setdefault(county, [0.0, 0.0])
        b[0] += float(np.nansum(history.births[r, keep]))
        b[1] += float((exposure[:, 0] * fertility).sum())
        d = deaths.setdefault(county, [0.0, 0.0])
        d[0] += float(np.nansum(history.deaths[r, keep]))
        d[1] += float((exposure * death_rate).sum())
    return ({c: o / e for c, (o, e) in births.items() if e > 0},
            {c: o / e for c, (o, e) in deaths.items() if e > 0})


def _migration_profiles(history: ScbHistory, keep: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, float, float]:
    rows = [r for r, region in enumerate(history.regions)
            if len(region) == 4 and not np.isnan(history.out_movers[r, keep]).any()]
    if not rows:
        raise InvalidInput("the SCB files hold no migration by age up to the fit year",
                           field="until", value=int(np.array(history.years)[keep].max(initial=0)),
                           hint="choose a later fit year")
    pick = np.ix_(np.array(rows, dtype=np.int64), np.flatnonzero(keep))
    exposure = history.mean_population[pick].sum(axis=(0, 1))
    out_movers = history.out_movers[pick].sum(axis=(0, 1))
    in_movers = history.in_movers[pick].sum(axis=(0, 1))
    out_rates = np.clip(moving_average(out_movers / np.maximum(exposure, 1.0)), 0.0, 0.5)
    in_profile = moving_average(in_movers)
    in_profile = in_profile / in_profile.sum()
    international_in = float(history.immigrants[pick].sum() / max(in_movers.sum(), 1.0))
    international_out = float(history.emigrants[pick].sum() / max(out_movers.sum(), 1.0))
    return out_rates, in_profile, international_in, international_out


def estimate_rates(history: ScbHistory, until: int) -> EstimatedRates:
    """Estimate every rate from the years up to ``until``; O(regions × years × AGES).

    Raises:
        InvalidInput: no national or migration year up to ``until``.

    """
    keep = history.years_until(until)
    row, national_years = _national_rows(history, keep)
    recent = national_years[-RATE_YEARS:]
    exposure = history.mean_population[row, recent]
    women = exposure[:, 0]
    fertility = history.births[row, recent].sum(axis=0) / np.maximum(women.sum(axis=0), 1.0)
    death_rate = history.deaths[row, recent].sum(axis=0) / np.maximum(exposure.sum(axis=0), 1.0)
    years = np.array(history.years)[national_years]
    improvement = _improvement(history.deaths[row, national_years],
                               history.mean_population[row, national_years], years)
    county_fertility, county_mortality = _county_factors(
        history, keep & np.isin(np.array(history.years), np.array(history.years)[recent]),
        fertility, death_rate)
    out_rates, in_profile, intl_in, intl_out = _migration_profiles(history, keep)
    standard = history.mean_population[row, national_years[-1]]
    fertility[:15] = 0.0
    return EstimatedRates(
        until=until, years_used=tuple(int(y) for y in np.array(history.years)[keep]),
        fertility=np.clip(fertility, 0.0, 1.0), death=np.clip(1.0 - np.exp(-death_rate), 0, 1),
        mortality_improvement=improvement, county_fertility=county_fertility,
        county_mortality=county_mortality, out_rates=out_rates, in_profile=in_profile,
        international_in_share=intl_in, international_out_share=intl_out,
        standard=standard,
    )
