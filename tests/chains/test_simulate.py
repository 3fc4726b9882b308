"""Simulation over years: seeded, checked every year, and the strategies ordered as they should be."""

from __future__ import annotations

import numpy as np
import pytest

from kedja.chains import synthetic_chain_problem
from kedja.chains.simulate import STRATEGIES, SimulationSettings, simulate_strategies
from kedja.core.errors import InvalidInput


@pytest.fixture(scope="module")
def problem():  # type: ignore[no-untyped-def]
    return synthetic_chain_problem(np.random.default_rng(3), n_employees=3_000, n_open=300, n_seekers=900,
                                   seats_per_course=6)


def test_the_same_seed_gives_the_same_years_and_another_seed_other_draws(problem) -> None:  # type: ignore[no-untyped-def]
    settings = SimulationSettings(years=3, runs=4, seed=11)
    first, again = simulate_strategies(problem, settings), simulate_strategies(problem, settings)
    for strategy in STRATEGIES:
        for measure, values in first.runs[strategy].items():
            assert np.array_equal(values, again.runs[strategy][measure])
    other = simulate_strategies(problem, SimulationSettings(years=3, runs=4, seed=12))
    assert not np.array_equal(other.runs["planned_rotation"]["entered_work"],
                              first.runs["planned_rotation"]["entered_work"])
    assert first.checker_ok


def test_planned_chains_with_rotation_bring_most_people_into_work(problem) -> None:  # type: ignore[no-untyped-def]
    result = simulate_strategies(problem, SimulationSettings(years=4, runs=6, seed=1))
    total = {s: result.yearly[s]["entered_work_cumulative"][-1]["mean"] for s in STRATEGIES}
    assert total["planned_rotation"] > total["unplanned"] > total["no_upskilling"]
    assert all(b["mean"] == 0 for b in result.yearly["no_upskilling"]["upskilled"])
    assert result.yearly["planned_rotation"]["substitutes"][0]["mean"] > 0
    band = result.yearly["planned_rotation"]["entered_work"][0]
    assert band["p10"] <= band["mean"] <= band["p90"]


def test_training_that_always_fails_upskills_nobody(problem) -> None:  # type: ignore[no-untyped-def]
    result = simulate_strategies(problem, SimulationSettings(years=2, runs=2, completion_rate=0.0),
                                 strategies=("planned_rotation",))
    assert all(b["mean"] == 0 for b in result.yearly["planned_rotation"]["upskilled"])
    assert result.checker_ok


def test_bad_settings_are_refused(problem) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="completion_rate"):
        SimulationSettings(completion_rate=1.5)
    with pytest.raises(InvalidInput, match="years"):
        SimulationSettings(years=0)
    with pytest.raises(InvalidInput, match="strategy"):
        simulate_strategies(problem, SimulationSettings(years=1, runs=1), strategies=("hope",))
