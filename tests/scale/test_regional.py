from __future__ import annotations

import numpy as np

from kedja.chains.checker import is_valid_chain_plan
from kedja.chains.optimise import optimise_chains
from kedja.scale import NationalInstance, Runner, open_runner
from kedja.scale.national import national_forecast_inputs
from kedja.scale.regional import forecasts_by_area, planned_chains_by_area


def test_chains_per_area_match_a_local_run_and_are_checked(small_national: NationalInstance,
                                                           local_cluster: Runner) -> None:
    plans = planned_chains_by_area(small_national.chains, local_cluster)
    assert sorted(plans) == small_national.areas
    assert all(p["checker_ok"] for p in plans.values())
    local = optimise_chains(small_national.chains["23"])
    assert is_valid_chain_plan(small_national.chains["23"], local)
    assert plans["23"]["job_seekers_entering"] == local.summary["job_seekers_entering"]
    assert plans["23"]["employees"] > plans["60"]["employees"]


def test_forecasts_per_area_are_seeded_and_the_same_anywhere(local_cluster: Runner) -> None:
    inputs = national_forecast_inputs(occupations=6, seed=3, horizon=2028)
    some = {a: inputs[a] for a in ("01", "23", "60")}
    there = forecasts_by_area(some, local_cluster, draws=4, seed=9)
    with open_runner(None) as here:
        again = forecasts_by_area(some, here, draws=4, seed=9)
    for area in some:
        assert there[area]["gap"] == again[area]["gap"]
        assert there[area]["gap_low"] == again[area]["gap_low"]
        assert np.all(np.array(there[area]["gap_low"]) <= np.array(there[area]["gap_high"]) + 1e-6)
    assert there["23"]["municipalities"] == len(inputs["23"].municipalities) > 20
