"""The cohort-component projection: accounting identities, vectorisation and refused inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kedja.core.errors import InvalidInput
from kedja.forecast.migration import in_migrant_counts, out_migration_rates
from kedja.forecast.projection import DemographicRates, project, project_step
from kedja.forecast.schedules import AGES, death_probabilities, fertility_schedule
from kedja.forecast.structure import indicators, population_from_bands


def loop_step(pop: np.ndarray, r: DemographicRates) -> np.ndarray:
    """An independent, per-cohort reference of one projection step."""
    nxt = np.zeros_like(pop)
    for s in range(2):
        for x in range(AGES):
            survivors = pop[s, x] * (1 - r.out_migration[s, x]) * (1 - r.death[s, x])
            nxt[s, min(x + 1, AGES - 1)] += survivors
    births = sum(pop[0, x] * r.fertility[x] for x in range(AGES))
    for s, share in enumerate((1 / 2.05, 1 - 1 / 2.05)):
        nxt[s, 0] = births * share * (1 - 0.5 * r.death[s, 0])
    return nxt + r.in_migrants


def rates(level: float = 0.05, inflow: float = 300.0) -> DemographicRates:
    return DemographicRates(fertility_schedule(), death_probabilities(),
                            out_migration_rates(level), in_migrant_counts(inflow))


def test_vectorised_step_equals_the_loop_reference() -> None:
    pop = np.random.default_rng(1).uniform(0, 200, (2, AGES))
    assert np.allclose(project_step(pop, rates()), loop_step(pop, rates()))


def test_many_municipalities_project_as_each_one_alone() -> None:
    pops = np.random.default_rng(2).uniform(0, 100, (4, 2, AGES))
    together = project(pops, rates(), 5)
    alone = np.stack([project(p, rates(), 5) for p in pops], axis=1)
    assert np.allclose(together, alone)


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 1), st.floats(0, 5000), st.integers(1, 8))
def test_population_stays_non_negative_and_balances(level: float, inflow: float,
                                                    years: int) -> None:
    pop = np.full((2, AGES), 50.0)
    r = rates(min(level, 1.0), inflow)
    path = project(pop, r, years)
    assert (path >= 0).all()
    before, after = path[0], path[1]
    deaths = (before * (1 - r.out_migration) * r.death).sum()
    births = (before[0] * r.fertility).sum()
    outflow = (before * r.out_migration).sum()
    infant_deaths = births * (0.5 * r.death[:, 0] * np.array([1 / 2.05, 1 - 1 / 2.05])).sum()
    expected = before.sum() + births - infant_deaths - deaths - outflow + r.in_migrants.sum()
    assert after.sum() == pytest.approx(expected)


def test_a_closed_ageing_population_raises_old_age_dependency() -> None:
    pop = population_from_bands(10_000, share_0_19=0.2, share_65_plus=0.25, ages_20_30=[120] * 11)
    path = project(pop, DemographicRates.national(), 20)
    assert indicators(path[-1])["old_age_dependency"] > indicators(path[0])["old_age_dependency"]


def test_negative_population_is_refused_with_the_value() -> None:
    pop = np.full((2, AGES), 10.0)
    pop[1, 40] = -7.0
    with pytest.raises(InvalidInput, match=r"-7\.0 at index \(1, 40\)"):
        project(pop, DemographicRates.national(), 1)


@pytest.mark.parametrize("field", ["death", "out_migration"])
def test_rates_outside_zero_one_are_refused(field: str) -> None:
    bad = np.full((2, AGES), 0.01)
    bad[0, 3] = 1.5
    kwargs = {"fertility": fertility_schedule(), "death": death_probabilities(),
              "out_migration": np.zeros((2, AGES)), "in_migrants": np.zeros((2, AGES)), field: bad}
    with pytest.raises(InvalidInput, match=r"1\.5") as caught:
        DemographicRates(**kwargs)
    assert caught.value.field == field and caught.value.value == 1.5


def test_bands_keep_every_published_figure() -> None:
    ages = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]
    pop = population_from_bands(20_000, share_0_19=0.21, share_65_plus=0.24, ages_20_30=ages)
    assert pop.sum() == pytest.approx(20_000)
    assert pop[:, 20:31].sum(axis=0) == pytest.approx(ages)
    assert pop[:, 65:].sum() == pytest.approx(4_800)


def test_bands_larger_than_the_total_are_refused() -> None:
    with pytest.raises(InvalidInput, match="more than the total"):
        population_from_bands(1_000, share_0_19=0.5, share_65_plus=0.45, ages_20_30=[50] * 11)
    with pytest.raises(InvalidInput, match="outside"):
        population_from_bands(1_000, share_0_19=1.2, share_65_plus=0.1, ages_20_30=[5] * 11)
