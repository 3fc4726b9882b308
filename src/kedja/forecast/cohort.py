"""The fitted cohort-component model for many municipalities: rates, migration and projection.

``fit_cohort_model`` prepares, from Kolada's history up to ``fit_until`` and (optionally) rates
estimated from SCB's single-age history up to the same year (``rates.estimate_rates``):

1. **Base population**: Kolada's bands in ``fit_until`` spread over single ages with the
   standard age structure (the pooled SCB municipalities, else the national life table).
2. **Fertility and mortality**: national rates times the county's level (indirect
   standardisation); mortality falls by the estimated yearly improvement.
3. **Migration, in and out**: out-migrants leave at the estimated age–sex rates; in-migrants
   arrive with the estimated age–sex profile. The level of net migration is the
   municipality's own: the residual net migration (observed change − natural change) of each
   year in the last ``NET_WINDOW`` years up to ``fit_until``, as a rate of the population,
   averaged with weights that halve every ``NET_HALF_LIFE`` years back (recent years count
   more) and **shrunk toward its county** by empirical Bayes (method of moments: the
   weight on the municipality's own mean is τ² / (τ² + s²/n), where τ² is the variance of the
   municipalities' means within the county net of sampling noise and s²/n the variance of the
   municipality's mean). In-migrants each year = the year's out-migrants + the net rate × the
   population at the start of the year, so the municipality keeps its own observed net
   migration level (as a rate) while the age profiles of movers in and out stay separate
   (Smith, Tayman & Swanson 2013, ch. 7 and 13). The back-test chose the rate over a constant
   count, the national over the life-table standard and the half-life in every window
   (``docs/forecast.md``).

Examples:
    >>> shrink_toward_groups(np.array([0.01, 0.03, -0.02]), np.array([1e-6, 1e-6, 1e-3]),
    ...                      np.array([0, 0, 0])).round(4).tolist()  # the noisy one moves most
    [0.01, 0.0297, 0.0045]

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.forecast.kolada import KoladaHistory
from kedja.forecast.migration import out_migration_rates
from kedja.forecast.projection import DemographicRates, project_step
from kedja.forecast.rates import EstimatedRates
from kedja.forecast.schedules import (
    AGES,
    death_probabilities,
    fertility_schedule,
    migration_profile,
    stationary_population,
)
from kedja.forecast.structure import population_from_bands

__all__ = ["NET_WINDOW", "CohortModel", "age_net_migration", "compensation_profile",
           "fit_cohort_model", "shrink_toward_groups"]

NET_WINDOW = 10
"""Years of residual net migration averaged for a municipality's level (the same 10 years
that give the geometric-trend baseline its growth)."""
AGE_NET_AGES = (21, 30)
"""Ages whose net migration Kolada's single-age counts (20–30) show cohort by cohort."""
NET_HALF_LIFE = 3.0
"""Years after which a past year's net migration weighs half as much (chosen by back-test)."""


@dataclass(frozen=True)
class CohortModel:
    """A cohort-component model fitted to ``fit_until`` for every municipality.

    Attributes:
        base: Population in ``fit_until``, ``(municipalities, 2, AGES)``.
        fertility: ``(municipalities, AGES)``.
        death: Death probabilities in ``fit_until``, ``(municipalities, 2, AGES)``.
        improvement: Yearly decline of death rates (fraction).
        out_rates: Out-migration probabilities ``(2, AGES)``.
        in_profile: Age–sex profile of in-migrants ``(2, AGES)``, summing to 1.
        own_net_rate: Mean yearly net migration rate over the window, unshrunk.
        net_rate: The rate after shrinkage toward the county.
        shrink_weight: Weight on the municipality's own mean.
        in_migrants: In-migrants in the first projected year (count).
        age_net: Net migration by age ``(municipalities, AGES)`` over what the pooled profiles
            give, as a rate of the cohort a year younger at the start of the year (Kolada's
            single ages 21–30, ``age_net_migration``); zero elsewhere. ``None`` = no correction.
        compensation: Age–sex profile ``(2, AGES)`` summing to 1 that takes the correction's
            total back, so the municipality's net migration level is unchanged.

    """

    fit_until: int
    base: np.ndarray
    fertility: np.ndarray
    death: np.ndarray
    improvement: float
    out_rates: np.ndarray
    in_profile: np.ndarray
    own_net_rate: np.ndarray
    net_rate: np.ndarray
    shrink_weight: np.ndarray
    in_migrants: np.ndarray
    age_net: np.ndarray | None = None
    compensation: np.ndarray | None = None

    def in_migrants_for(self, population: np.ndarray,
                        in_factor: float | np.ndarray = 1.0) -> np.ndarray:
        """In-migrants by sex and age for a start-of-year ``population`` ``(..., 2, AGES)``.

        With ``age_net`` the municipality's own net gains at ages 21–30 are added to the pooled
        profile (its net losses leave through ``extra_out_rates``) and the correction's total
        is taken back over the other ages (``compensation``), so the total stays the
        municipality's level.
        """
        outflow = (population * self.out_rates).sum(axis=(-2, -1))
        total = np.maximum(outflow + self.net_rate * population.sum(axis=(-2, -1)), 0.0)
        flows = np.asarray(total * in_factor)[..., None, None] * self.in_profile
        if self.age_net is None or self.compensation is None:
            return flows
        gains = np.zeros(np.broadcast_shapes(flows.shape, population.shape))
        gains[..., 1:] = population[..., :-1] * np.maximum(self.age_net, 0.0)[..., None, 1:]
        losses = (population * self.extra_out_rates()).sum(axis=(-2, -1))
        moved = gains.sum(axis=(-2, -1)) - losses
        return np.maximum(flows + gains - moved[..., None, None] * self.compensation, 0.0)

    def extra_out_rates(self) -> np.ndarray | float:
        """Out-migration added where ``age_net`` is a loss, by start-of-year age, ``(M, 1, AGES)``."""
        if self.age_net is None:
            return 0.0
        extra = np.zeros_like(self.age_net)
        extra[..., :-1] = np.maximum(-self.age_net[..., 1:], 0.0)
        return extra[..., None, :]

    def rates_in(self, years_ahead: int, population: np.ndarray,
                 in_factor: float | np.ndarray = 1.0) -> DemographicRates:
        """The rates of the step into ``fit_until + years_ahead`` from ``population``."""
        factor = (1.0 - self.improvement) ** years_ahead
        death = 1.0 - np.exp(np.log1p(-self.death) * factor)
        out = np.broadcast_to(self.out_rates + self.extra_out_rates(), death.shape)
        return DemographicRates(self.fertility, death, np.minimum(out, 1.0),
                                self.in_migrants_for(population, in_factor))

    def project(self, years: int, in_factor: float | np.ndarray = 1.0) -> np.ndarray:
        """Populations ``(years + 1, municipalities, 2, AGES)``, the base year first."""
        path = np.empty((years + 1, *self.base.shape))
        path[0] = self.base
        for year in range(years):
            project_step(path[year], self.rates_in(year + 1, path[year], in_factor),
                         out=path[year + 1])
        return path

    def project_totals(self, years: int) -> np.ndarray:
        """Total population per municipality ``years`` after ``fit_until``."""
        return np.asarray(self.project(years)[-1].sum(axis=(-2, -1)))


def shrink_toward_groups(means: np.ndarray, variances: np.ndarray,
                         groups: np.ndarray) -> np.ndarray:
    """Empirical-Bayes shrinkage of ``means`` (with sampling ``variances``) toward group means.

    τ² per group is the variance of its means minus their mean sampling variance (≥ a tiny
    floor); each mean moves toward the group mean with weight τ² / (τ² + variance). O(n).
    """
    out = means.astype(float).copy()
    for g in np.unique(groups):
        pick = groups == g
        centre = float(np.mean(means[pick]))
        tau2 = max(float(np.var(means[pick])) - float(np.mean(variances[pick])), 1e-8) \
            if pick.sum() > 1 else 1e-8
        weight = tau2 / (tau2 + variances[pick])
        out[pick] = centre + weight * (means[pick] - centre)
    return out


def _complete(history: KoladaHistory) -> np.ndarray:
    return ~(np.isnan(history.total) | np.isnan(history.share_0_19)
             | np.isnan(history.share_65_plus) | np.isnan(history.ages_20_30).any(axis=-1))


def _bands(history: KoladaHistory, year: int, standard: np.ndarray) -> np.ndarray:
    """Single-age populations in ``year``; zeros for a municipality without complete figures."""
    complete = _complete(history)[:, year]
    out = np.zeros((len(history.names), 2, AGES))
    for r in np.flatnonzero(complete):
        out[r] = population_from_bands(
            history.total[r, year], share_0_19=history.share_0_19[r, year],
            share_65_plus=history.share_65_plus[r, year],
            ages_20_30=history.ages_20_30[r, year], standard=standard)
    return out


def _level_arrays(rates: EstimatedRates | None, counties: Sequence[str | None]
                  ) -> tuple[np.ndarray, np.ndarray, float, np.ndarray, np.ndarray, np.ndarray]:
    n = len(counties)
    if rates is None:
        # No SCB history: the parametric national schedules (``schedules``), no improvement.
        profile = 0.5 * np.vstack([migration_profile()] * 2)
        return (np.tile(fertility_schedule(), (n, 1)), np.tile(death_probabilities(), (n, 1, 1)),
                0.0, out_migration_rates(), profile,
                stationary_population(death_probabilities()))
    fertility = np.array([rates.fertility_in(c) for c in counties])
    death = np.array([rates.death_in(c, 0) for c in counties])
    return (fertility, death, rates.mortality_improvement, rates.out_rates, rates.in_profile,
            rates.standard)


def _yearly_net_rates(history: KoladaHistory, fit: int, natural: DemographicRates,
                      improvement: float, standard: np.ndarray) -> np.ndarray:
    """Residual net migration / population per municipality and year, NaN where incomplete."""
    complete = _complete(history)
    first = max(1, fit - NET_WINDOW + 1)
    out = np.full((len(history.names), fit - first + 1), np.nan)
    for k, year in enumerate(range(first, fit + 1)):
        ok = complete[:, year - 1] & ~np.isnan(history.total[:, year])
        if not ok.any():
            continue
        base = _bands(history, year - 1, standard)
        factor = (1.0 - improvement) ** (year - fit)
        death = 1.0 - np.exp(np.log1p(-natural.death) * factor)
        step = project_step(base, DemographicRates(natural.fertility, death,
                                                   natural.out_migration, natural.in_migrants))
        rate = (history.total[:, year] - step.sum(axis=(-2, -1))) / history.total[:, year - 1]
        out[ok, k] = rate[ok]
    return out


def fit_cohort_model(history: KoladaHistory, *, fit_until: int,
                     counties: Sequence[str | None] | None = None,
                     rates: EstimatedRates | None = None,
                     age_migration: bool = True) -> CohortModel:
    """Fit the model to Kolada's history up to ``fit_until`` (see the module docstring).

    With ``age_migration`` the municipality's own net migration at ages 21–30
    (``age_net_migration``) corrects the pooled age profiles.

    Complexity O(municipalities × AGES × NET_WINDOW).

    Raises:
        InvalidInput: ``fit_until`` outside the history, or incomplete age figures that year.

    """
    fit = history.year_index(fit_until, field="--fit-until")
    groups = list(counties) if counties is not None else [None] * len(history.names)
    if len(groups) != len(history.names):
        raise InvalidInput(f"{len(groups)} counties given for {len(history.names)} municipalities",
                           field="counties", value=len(groups),
                           hint="give one county code (or None) per municipality")
    if not _complete(history)[:, fit].all():
        missing = history.names[int(np.argmin(_complete(history)[:, fit]))]
        raise InvalidInput(f"{missing} has no complete age figures for {fit_until}",
                           field="--fit-until", value=fit_until, hint="choose a later year")
    fertility, death, improvement, out_rates, in_profile, standard = _level_arrays(rates, groups)
    zero = np.zeros((1, 2, AGES))
    natural = DemographicRates(fertility, death, zero, zero)
    yearly = _yearly_net_rates(history, fit, natural, improvement, standard)
    own = _weighted_mean(yearly)
    seen = (~np.isnan(yearly)).sum(axis=1)
    spread = np.nanvar(np.where(seen[:, None] > 1, yearly, 0.0), axis=1, ddof=1) \
        if yearly.shape[1] > 1 else np.ones(len(own))
    variance = np.where(seen > 1, np.nan_to_num(spread, nan=1.0) / np.maximum(seen, 1), 1.0)
    codes = np.array([g or "" for g in groups])
    net = shrink_toward_groups(own, variance, codes)
    weight = np.where(own != net, (net - _centres(own, codes)) /
                      np.where(own - _centres(own, codes) == 0, 1, own - _centres(own, codes)), 1.0)
    base = _bands(history, fit, standard)
    totals = base.sum(axis=(-2, -1))
    outflow = (base * out_rates).sum(axis=(-2, -1))
    model = CohortModel(
        fit_until=fit_until, base=base, fertility=fertility, death=death,
        improvement=improvement, out_rates=out_rates, in_profile=in_profile,
        own_net_rate=own, net_rate=net, shrink_weight=weight,
        in_migrants=np.maximum(outflow + net * totals, 0.0),
    )
    if not age_migration:
        return model
    age_net = age_net_migration(history, fit, model, standard, codes)
    return replace(model, age_net=age_net, compensation=compensation_profile(in_profile))


def compensation_profile(in_profile: np.ndarray) -> np.ndarray:
    """The in-migrants' profile outside the corrected ages, summing to 1."""
    profile = in_profile.copy()
    profile[:, AGE_NET_AGES[0]:AGE_NET_AGES[1] + 1] = 0.0
    return profile / profile.sum()


def age_net_migration(history: KoladaHistory, fit: int, model: CohortModel,
                      standard: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each municipality's net migration by single age 21–30 beyond the fitted model's.

    For every year t of the window (the last ``NET_WINDOW`` years up to the fit year), Kolada's
    count aged a in t against the model's one-year step from Kolada's counts in t − 1 (whose
    ages 20–29 are published, so the step only adds deaths and the model's migration): the
    difference as a rate of the cohort aged a − 1 in t − 1. The yearly rates are averaged with
    the weights of the net level (half-life ``NET_HALF_LIFE``) and each age is shrunk toward
    the county by empirical Bayes. Returns ``(municipalities, AGES)``, zero outside 21–30.
    O(municipalities × AGES × NET_WINDOW).
    """
    lo, hi = AGE_NET_AGES
    complete = _complete(history)
    first = max(1, fit - NET_WINDOW + 1)
    yearly = np.full((len(history.names), fit - first + 1, hi - lo + 1), np.nan)
    for k, year in enumerate(range(first, fit + 1)):
        ok = complete[:, year - 1] & complete[:, year]
        if not ok.any():
            continue
        start = _bands(history, year - 1, standard)
        step = project_step(start, model.rates_in(year - fit, start))
        cohort = start.sum(axis=1)[:, lo - 1:hi]
        residual = history.ages_20_30[:, year, lo - 20:] - step.sum(axis=1)[:, lo:hi + 1]
        rate = np.divide(residual, cohort, out=np.zeros_like(residual), where=cohort > 0)
        yearly[ok, k] = rate[ok]
    out = np.zeros((len(history.names), AGES))
    for a in range(hi - lo + 1):
        series = yearly[:, :, a]
        seen = (~np.isnan(series)).sum(axis=1)
        spread = np.nanvar(np.where(seen[:, None] > 1, series, 0.0), axis=1, ddof=1) \
            if series.shape[1] > 1 else np.ones(len(seen))
        variance = np.where(seen > 1, np.nan_to_num(spread, nan=1.0) / np.maximum(seen, 1), 1.0)
        out[:, lo + a] = shrink_toward_groups(_weighted_mean(series), variance, groups)
    return out


def _weighted_mean(yearly: np.ndarray) -> np.ndarray:
    """Mean over the last axis with weights halving every ``NET_HALF_LIFE`` years back."""
    back = yearly.shape[1] - 1 - np.arange(yearly.shape[1])
    weights = np.where(np.isnan(yearly), 0.0, 0.5 ** (back / NET_HALF_LIFE))
    total = weights.sum(axis=1)
    return np.where(total > 0, (np.nan_to_num(yearly) * weights).sum(axis=1)
                    / np.maximum(total, 1e-12), 0.0)


def _centres(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.empty_like(values, dtype=float)
    for g in np.unique(groups):
        out[groups == g] = values[groups == g].mean()
    return out
