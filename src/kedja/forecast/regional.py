"""The regional forecast: the population projection feeds the labour balance.

Scenarios change its inputs, and seeded Monte Carlo draws give bands around the gap.

Each municipality's population (by sex and single age) is projected from its base year with
national schedules, the gross migration implied by its recent net migration (see
``migration``), and the scenario's in-migration factor; the workforce is the employment rates
by sex and age (or one rate times the population aged 20–64) applied to the population; the
labour balance (``labour``) turns it into supply against demand. Monte Carlo draws vary only
what the caller gives a spread for (``RegionInputs``: the population's back-tested error, the
demand paths, the establishments' headcount spread), all from one seeded
``numpy.random.Generator``; bands are the 10th and 90th percentiles of the gap. There are no
built-in spreads.

Complexity: O(draws × years × (municipalities × AGES + municipalities × occupations)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kedja.core.errors import InvalidInput
from kedja.core.establishments import Establishment
from kedja.forecast.cohort import CohortModel, compensation_profile
from kedja.forecast.labour import LabourBalance, LabourInputs, establishment_demand, labour_balance
from kedja.forecast.migration import gross_in_migrants, in_migrant_counts, out_migration_rates
from kedja.forecast.projection import DemographicRates, check_population, project, project_step
from kedja.forecast.rates import EstimatedRates
from kedja.forecast.scenarios import Scenario, adjusted
from kedja.forecast.schedules import AGES
from kedja.forecast.structure import WORKING_AGES

__all__ = ["RegionInputs", "RegionalForecast", "regional_forecast"]


@dataclass(frozen=True)
class RegionInputs:
    """Everything the regional forecast reads (all public aggregates).

    Attributes:
        municipalities: Municipality codes.
        base_year: Year of ``base_population``.
        base_population: ``(M, 2, AGES)``.
        net_migration: Recent yearly net migration per municipality, ``(M,)``.
        occupations: Occupation codes.
        occupation_mix: Share of each municipality's employed per occupation, ``(M, O)``.
        age_bands: Employees by SCB age band per occupation, ``(O, 10)``.
        trend: Yearly employment growth per occupation, ``(O,)``.
        labour_year: First year of the labour balance (the year of the age structure).
        horizon: Last year of the forecast.
        employment_rate: Employed as a share of the population aged 20–64; needed only
            without ``employment_by_age`` (no built-in default).
        exit_age: Retirement age.
        job_seekers_per_employed: Job seekers by last occupation per employed person in the
            municipality, ``(M, O)``; ``None`` when unknown.
        reach: ``(O, O)`` booleans, which occupations a job seeker last in each can take
            (``labour.LabourInputs.reach``); ``None`` = their own only.
        entry_paths: ``(O, O)`` entrants' paths through education
            (``labour.LabourInputs.entry_paths``); ``None`` = none.
        rates: Estimated rates (``rates.estimate_rates``); with them the population follows the
            back-tested ``cohort`` model (county fertility and mortality with improvement,
            age–sex profiles of movers in and out, net migration as a rate); without them the
            parametric national schedules.
        counties: County code per municipality (for the county rates).
        employment_by_age: Employed share by sex and single age ``(2, AGES)``; replaces the
            flat ``employment_rate`` × population 20–64 when given.
        trend_by_demand: Yearly demand growth ``(M, O)`` per demand path (``central``,
            ``high``, ``low``); replaces ``trend`` when given.
        population_error_by_horizon: The back-test's root mean square percentage error of a
            municipality's population, index = years after ``base_year`` (index 0 = 0); with
            ``trend_by_demand`` it sets the Monte Carlo spreads (``_evidence_bands``).
        induced_multiplier: Local jobs (indirect and induced) per direct establishment job,
            spread over the municipality's local-service occupations (``_induced``).
        age_net: Each municipality's own net migration by age ``(M, AGES)`` beyond the pooled
            profiles (``cohort.age_net_migration``); with ``rates`` only.
        establishment_spread: σ of the log of an establishment's headcount in the Monte Carlo
            draws, the user's own figure; ``None`` = the draws keep the stated headcounts
            (the scenarios ``half_size`` and ``delayed_2y`` carry that risk instead).

    """

    municipalities: tuple[str, ...]
    base_year: int
    base_population: np.ndarray
    net_migration: np.ndarray
    occupations: tuple[str, ...]
    occupation_mix: np.ndarray
    age_bands: np.ndarray
    trend: np.ndarray
    labour_year: int = 2024
    horizon: int = 2040
    employment_rate: float | None = None
    exit_age: int = 65
    job_seekers_per_employed: np.ndarray | None = None
    reach: np.ndarray | None = None
    entry_paths: np.ndarray | None = None
    rates: EstimatedRates | None = None
    counties: tuple[str, ...] | None = None
    employment_by_age: np.ndarray | None = None
    trend_by_demand: dict[str, np.ndarray] | None = None
    population_error_by_horizon: np.ndarray | None = None
    induced_multiplier: float = 0.0
    age_net: np.ndarray | None = None
    establishment_spread: float | None = None

    def __post_init__(self) -> None:
        check_population(self.base_population, field="base_population")
        if self.employment_by_age is None and self.employment_rate is None:
            raise InvalidInput(
                "the forecast needs employment rates and none were given",
                field="employment_by_age",
                hint="give employment_by_age (employed share by sex and single age, e.g. the "
                     "forecast pack's, SCB 2024) or employment_rate (employed / population "
                     "20–64, your own figure)")
        if self.employment_rate is not None and not 0.0 < self.employment_rate <= 1.0:
            raise InvalidInput(f"{self.employment_rate!r} is outside (0, 1]",
                               field="employment_rate", value=self.employment_rate,
                               hint="give a share such as 0.78")
        if self.establishment_spread is not None and not 0.0 <= self.establishment_spread <= 2.0:
            raise InvalidInput(f"{self.establishment_spread!r} is outside [0, 2]",
                               field="establishment_spread", value=self.establishment_spread,
                               hint="give σ of the log headcount, for instance 0.3 for about "
                                    "±30 %, or leave it out")
        if not self.base_year <= self.labour_year < self.horizon:
            raise InvalidInput(
                f"horizon {self.horizon} must come after {self.labour_year} "
                f"(and the base year {self.base_year})",
                field="horizon", value=self.horizon, hint="choose a horizon such as 2040")


@dataclass(frozen=True)
class RegionalForecast:
    """Population paths, the labour balance and, with draws, the gap's 10–90 % band."""

    inputs: RegionInputs
    scenario: Scenario
    population: np.ndarray  # (years from base_year, M, 2, AGES)
    balance: LabourBalance
    gap_low: np.ndarray | None = None  # (T, M, O)
    gap_high: np.ndarray | None = None

    @property
    def population_years(self) -> tuple[int, ...]:
        """Calendar years of ``population``."""
        return tuple(range(self.inputs.base_year, self.inputs.horizon + 1))


def _populations(inputs: RegionInputs, in_factor: np.ndarray) -> np.ndarray:
    """Population paths ``(years, ..., M, 2, AGES)``, from the base year to the horizon.

    Up to the labour year migration follows the recent net migration; from then on the
    in-migrants are scaled by ``in_factor`` (scenarios change the future, not the past).
    """
    if inputs.rates is not None:
        return _cohort_populations(inputs, in_factor)
    out_rates = out_migration_rates()
    gross = gross_in_migrants(inputs.base_population, out_rates, inputs.net_migration)
    national = DemographicRates.national()

    def rates(factor: np.ndarray) -> DemographicRates:
        return DemographicRates(national.fertility, national.death, out_rates,
                                in_migrant_counts(gross * factor))

    known = project(inputs.base_population, rates(np.ones(1)),
                    inputs.labour_year - inputs.base_year)
    ahead = project(known[-1], rates(in_factor), inputs.horizon - inputs.labour_year)
    return _joined(known, ahead)


def _joined(known: np.ndarray, ahead: np.ndarray) -> np.ndarray:
    shape = ahead.shape[1:]
    return np.concatenate([np.broadcast_to(known[:-1, *([None] * (len(shape) - 3))],
                                           (len(known) - 1, *shape)), ahead])


def _cohort_model(inputs: RegionInputs) -> CohortModel:
    rates = inputs.rates
    assert rates is not None
    counties = inputs.counties or tuple(c[:2] for c in inputs.municipalities)
    offset = inputs.base_year - rates.until  # rates describe ``rates.until``
    totals = inputs.base_population.sum(axis=(-2, -1))
    net_rate = np.divide(inputs.net_migration, totals, out=np.zeros_like(totals),
                         where=totals > 0)
    return CohortModel(
        fit_until=inputs.base_year, base=inputs.base_population,
        fertility=np.array([rates.fertility_in(c) for c in counties]),
        death=np.array([rates.death_in(c, offset) for c in counties]),
        improvement=rates.mortality_improvement, out_rates=rates.out_rates,
        in_profile=rates.in_profile, own_net_rate=net_rate, net_rate=net_rate,
        shrink_weight=np.ones(len(counties)), in_migrants=np.zeros(len(counties)),
        age_net=inputs.age_net,
        compensation=None if inputs.age_net is None else compensation_profile(rates.in_profile))


def _cohort_populations(inputs: RegionInputs, in_factor: np.ndarray) -> np.ndarray:
    model = _cohort_model(inputs)
    known = model.project(inputs.labour_year - inputs.base_year)
    steps = inputs.horizon - inputs.labour_year
    start = known[-1]
    shape = np.broadcast_shapes(start.shape, (*np.shape(in_factor), 2, AGES))
    ahead = np.empty((steps + 1, *shape))
    ahead[0] = start
    first = inputs.labour_year - inputs.base_year
    for year in range(steps):
        project_step(ahead[year], model.rates_in(first + year + 1, ahead[year], in_factor),
                     out=ahead[year + 1])
    return _joined(known, ahead)


def _workforce(inputs: RegionInputs, population: np.ndarray) -> np.ndarray:
    """Employed per year and municipality, years next to municipalities: ``(..., T, M)``."""
    lo, hi = WORKING_AGES
    skip = inputs.labour_year - inputs.base_year
    if inputs.employment_by_age is not None:
        working = (population[skip:] * inputs.employment_by_age).sum(axis=(-2, -1))
        return np.moveaxis(working, 0, -2)
    assert inputs.employment_rate is not None  # checked by RegionInputs
    working = population[skip:, ..., lo:hi + 1].sum(axis=(-2, -1))
    return np.moveaxis(working, 0, -2) * inputs.employment_rate


def _trend(inputs: RegionInputs, demand: str) -> np.ndarray:
    if inputs.trend_by_demand is None:
        return inputs.trend
    if demand not in inputs.trend_by_demand:
        raise InvalidInput(f"no demand path {demand!r}", field="scenario.demand", value=demand,
                           hint=f"use one of {', '.join(inputs.trend_by_demand)}")
    return inputs.trend_by_demand[demand]


def _labour_inputs(inputs: RegionInputs, workforce: np.ndarray,
                   demand: str = "central") -> LabourInputs:
    """Labour inputs for the central workforce ``(T, M)``: employed today by occupation."""
    employed = workforce[0][:, None] * inputs.occupation_mix
    return LabourInputs(
        years=tuple(range(inputs.labour_year, inputs.horizon + 1)),
        municipalities=inputs.municipalities, occupations=inputs.occupations,
        employed=employed, age_bands=inputs.age_bands, trend=_trend(inputs, demand),
        workforce=workforce,
        exit_age=inputs.exit_age, reach=inputs.reach, entry_paths=inputs.entry_paths,
        job_seekers=None if inputs.job_seekers_per_employed is None
        else inputs.job_seekers_per_employed * employed.sum(axis=1, keepdims=True))


def regional_forecast(
    inputs: RegionInputs,
    establishments: Sequence[Establishment],
    scenario: Scenario,
    *,
    draws: int = 0,
    seed: int | None = None,
) -> RegionalForecast:
    """Project the region under ``scenario``; with ``draws`` > 0 add Monte Carlo gap bands.

    The central forecast is deterministic; the bands come from ``draws`` perturbed runs
    generated by ``numpy.random.default_rng(seed)`` (same seed, same bands).
    """
    adjusted_establishments = [adjusted(e, scenario) for e in establishments]
    m = len(inputs.municipalities)
    population = _populations(inputs, np.full(m, scenario.in_migration_factor))
    workforce = _workforce(inputs, population)
    labour = _labour_inputs(inputs, workforce, scenario.demand)
    direct = establishment_demand(adjusted_establishments, labour)
    balance = labour_balance(labour, establishment_extra=direct + _induced(inputs, labour, direct))
    result = RegionalForecast(inputs, scenario, population, balance)
    if draws <= 0:
        return result
    low, high = _bands(inputs, adjusted_establishments, labour, draws, seed)
    return RegionalForecast(inputs, scenario, population, balance, low, high)


def _bands(inputs: RegionInputs, establishments: list[Establishment], labour: LabourInputs,
           draws: int, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The gap's 10–90 % band over the spreads the inputs carry; none built in."""
    if inputs.population_error_by_horizon is None and inputs.trend_by_demand is None \
            and (inputs.establishment_spread is None or not establishments):
        raise InvalidInput(
            "Monte Carlo draws need at least one spread and the inputs give none",
            field="draws", value=draws,
            hint="give population_error_by_horizon (the back-test's error by horizon), "
                 "trend_by_demand with 'high' and 'low' paths, or establishment_spread "
                 "(the forecast pack has the first two), or run with draws=0")
    return _evidence_bands(inputs, establishments, labour, draws, seed)


LOCAL_SERVICE_GROUPS = ("4", "5", "9")
"""SSYK major groups that serve local demand (administration and customer service; service,
care and sales; elementary occupations): where an establishment's induced jobs arise."""


def _induced(inputs: RegionInputs, labour: LabourInputs, direct: np.ndarray) -> np.ndarray:
    """Indirect and induced jobs from an establishment's direct jobs.

    ``induced_multiplier`` × the direct jobs' total per municipality and year, spread over the
    municipality's local-service occupations by today's employment.
    """
    if inputs.induced_multiplier <= 0:
        return np.zeros_like(direct)
    local = np.array([o[0] in LOCAL_SERVICE_GROUPS for o in inputs.occupations])
    mix = labour.employed * local
    totals = mix.sum(axis=1, keepdims=True)
    mix = np.divide(mix, totals, out=np.zeros_like(mix), where=totals > 0)
    return inputs.induced_multiplier * direct.sum(axis=-1, keepdims=True) * mix


def _drawn_establishments(inputs: RegionInputs, establishments: list[Establishment],
                          labour: LabourInputs, sizes: np.ndarray, m: int, o: int) -> np.ndarray:
    extra = np.zeros((sizes.shape[0], len(labour.years), m, o))
    for index, e in enumerate(establishments):
        direct = establishment_demand([e], labour)
        extra += sizes[:, index, None, None, None] * (direct + _induced(inputs, labour,
                                                                        direct))[None]
    return extra


def _percentiles(labour: LabourInputs, trend: np.ndarray, workforce: np.ndarray,
                 extra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    drawn = LabourInputs(labour.years, labour.municipalities, labour.occupations,
                         labour.employed, labour.age_bands, trend, workforce, labour.exit_age,
                         labour.job_seekers, labour.reach, labour.entry_paths)
    gaps = labour_balance(drawn, establishment_extra=extra).gap
    return np.percentile(gaps, 10, axis=0), np.percentile(gaps, 90, axis=0)


def _evidence_bands(inputs: RegionInputs, establishments: list[Establishment],
                    labour: LabourInputs, draws: int,
                    seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Bands whose spreads come from evidence (``docs/forecast.md``).

    Population: each draw scales a municipality's workforce path by 1 + z·e(h), z ~ N(0, 1)
    per draw and municipality, e(h) the back-test's root mean square percentage error at h
    years after the population base year (linear beyond the back-tested horizons). Demand: each
    occupation's growth moves by N(0, sd), sd = the spread between Arbetsförmedlingen's upper
    and lower quartile paths / 1.349 (the interquartile range of a normal). Establishments:
    log-normal sizes with σ = ``establishment_spread``. A spread the inputs lack is not drawn.
    """
    rng = np.random.default_rng(seed)
    m, o = len(inputs.municipalities), len(inputs.occupations)
    z = rng.standard_normal((draws, m))
    workforce = labour.workforce[None] * (1.0 + z[:, None, :] * _population_spread(inputs, labour))
    trend = labour.trend + rng.standard_normal((draws, 1, m, o)) * _demand_spread(inputs)
    sizes = np.ones((draws, len(establishments))) if inputs.establishment_spread is None \
        else rng.lognormal(0.0, inputs.establishment_spread, (draws, len(establishments)))
    extra = _drawn_establishments(inputs, establishments, labour, sizes, m, o)
    return _percentiles(labour, trend, workforce, extra)


def _population_spread(inputs: RegionInputs, labour: LabourInputs) -> np.ndarray:
    """e(h) − e(h at the labour year), ``(T, 1)``: employment today is known; 0 without errors."""
    if inputs.population_error_by_horizon is None:
        return np.zeros((len(labour.years), 1))
    errors = inputs.population_error_by_horizon / 100.0
    h = np.array(labour.years) - inputs.base_year
    known = len(errors) - 1
    spread = np.where(h <= known, errors[np.minimum(h, known)], errors[known] * h / max(known, 1))
    return (spread - spread[0])[:, None]


def _demand_spread(inputs: RegionInputs) -> np.ndarray | float:
    """The yearly growth's sd per occupation: quartile paths' distance / 1.349; 0 without."""
    if inputs.trend_by_demand is None:
        return 0.0
    missing = [k for k in ("high", "low") if k not in inputs.trend_by_demand]
    if missing:
        raise InvalidInput(f"trend_by_demand has no {' or '.join(missing)} path",
                           field="trend_by_demand", value=sorted(inputs.trend_by_demand),
                           hint="give the upper- and lower-quartile paths as 'high' and 'low'")
    return np.abs(inputs.trend_by_demand["high"] - inputs.trend_by_demand["low"]) / 1.349
