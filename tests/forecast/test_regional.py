"""The regional forecast's inputs: no built-in employment rate or Monte Carlo spread.

A two-municipality, two-occupation region with a flat age structure; the figures are made up
for the test (not a forecast).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kedja.core.errors import InvalidInput
from kedja.core.establishments import Establishment
from kedja.core.ids import EstablishmentId, MunicipalityCode, OccupationCode
from kedja.forecast.migration import DEFAULT_OUT_RATE
from kedja.forecast.regional import RegionInputs, regional_forecast
from kedja.forecast.scenarios import scenario
from kedja.forecast.schedules import AGES, death_probabilities, stationary_population

SCB = Path(__file__).resolve().parents[3] / "shared" / "data" / "scb_lulea_fa"


def region(**changes: object) -> RegionInputs:
    base = np.full((2, 2, AGES), 50.0)
    inputs = RegionInputs(
        municipalities=("2580", "2584"), base_year=2019, base_population=base,
        net_migration=np.array([10.0, -20.0]), occupations=("2512", "5321"),
        occupation_mix=np.array([[0.4, 0.6], [0.5, 0.5]]),
        age_bands=np.full((2, 10), 100.0), trend=np.zeros(2), horizon=2030,
        employment_rate=0.78)
    return replace(inputs, **changes)


def plant() -> Establishment:
    return Establishment(id=EstablishmentId("E1"), name="Datacenter",
                         municipality_code=MunicipalityCode("2580"),
                         headcount_by_year={2026: 200, 2028: 400},
                         occupation_mix={OccupationCode("2512"): 1.0})


def test_without_employment_rates_the_forecast_names_both_ways_to_give_them() -> None:
    with pytest.raises(InvalidInput) as error:
        region(employment_rate=None)
    assert error.value.field == "employment_by_age"
    assert "employment_rate" in (error.value.hint or "")


def test_draws_without_any_spread_are_refused_naming_the_spreads() -> None:
    with pytest.raises(InvalidInput) as error:
        regional_forecast(region(), [plant()], scenario("as_announced"), draws=5, seed=1)
    hint = error.value.hint or ""
    assert error.value.field == "draws"
    for name in ("population_error_by_horizon", "trend_by_demand", "establishment_spread"):
        assert name in hint
    assert regional_forecast(region(), [plant()], scenario("as_announced")).gap_low is None


def test_without_a_spread_the_draws_keep_the_stated_headcounts() -> None:
    inputs = region(population_error_by_horizon=np.linspace(0.0, 5.0, 11))
    chosen = scenario("as_announced")
    without = regional_forecast(inputs, [], chosen, draws=40, seed=3)
    held = regional_forecast(inputs, [plant()], chosen, draws=40, seed=3)
    effect = held.balance.gap - without.balance.gap
    assert effect.sum() > 0
    assert held.gap_low is not None and without.gap_low is not None
    assert np.allclose(held.gap_low - without.gap_low, effect)
    spread = regional_forecast(replace(inputs, establishment_spread=0.3), [plant()], chosen,
                               draws=40, seed=3)
    assert spread.gap_low is not None and spread.gap_high is not None
    assert held.gap_high is not None
    assert (spread.gap_high - spread.gap_low).sum() > (held.gap_high - held.gap_low).sum()


def test_a_spread_outside_its_range_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        region(establishment_spread=-0.1)
    assert error.value.field == "establishment_spread"


def test_demand_paths_without_quartiles_are_refused() -> None:
    inputs = region(trend_by_demand={"central": np.zeros((2, 2))})
    with pytest.raises(InvalidInput) as error:
        regional_forecast(inputs, [], scenario("as_announced"), draws=3, seed=1)
    assert error.value.field == "trend_by_demand"


@pytest.mark.skipif(not SCB.is_dir(), reason="needs ../shared/data/scb_lulea_fa (SCB's history)")
def test_the_parametric_out_migration_level_is_scbs_first_year() -> None:
    from kedja.forecast.scb_history import read_scb_history

    history = read_scb_history(SCB)
    keep = [i for i, code in enumerate(history.regions) if code != "00"]
    first = history.years.index(2006)
    movers = history.out_movers[keep, first].sum(axis=0)
    exposure = history.mean_population[keep, first].sum(axis=0)
    standard = stationary_population(death_probabilities())
    rate = np.clip(movers / np.maximum(exposure, 1.0), 0.0, 0.5)
    level = float((rate * standard).sum() / standard.sum())
    assert round(level, 3) == DEFAULT_OUT_RATE
