"""The counterfactuals and the literature's chances: a plan measured honestly.

(a) no upskilling and (b) unplanned upskilling, both with optimal matching; the plan never does
worse than (a); displacement and withdrawal lower the expected entrants; White's multiplier.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from kedja.chains import is_valid_chain_plan, optimise_chains, synthetic_chain_problem
from kedja.chains.counterfactuals import no_upskilling_plan, unplanned_plan
from kedja.chains.effects import ChainEffects, chain_effects
from kedja.chains.simulate import SimulationSettings, simulate_strategies, with_inflow
from kedja.chains.synthetic import care_chain_problem
from kedja.core.errors import InvalidInput


def _max_entrants(problem) -> int:  # type: ignore[no-untyped-def]
    """Job seekers into open positions, most possible: an independent assignment (SciPy)."""
    weight = np.zeros((problem.n_seekers, problem.n_positions))
    open_arc = problem.open_position[problem.seeker_position]
    weight[problem.seeker[open_arc], problem.seeker_position[open_arc]] = 1.0
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return int(weight[rows, cols].sum())


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_no_upskilling_lets_in_as_many_as_an_independent_assignment(seed: int) -> None:
    problem = synthetic_chain_problem(np.random.default_rng(seed), n_employees=60, n_open=12, n_seekers=30)
    plan = no_upskilling_plan(problem)
    assert is_valid_chain_plan(problem, plan)
    assert plan.summary["upskilled"] == 0
    assert plan.summary["job_seekers_entering"] == _max_entrants(problem)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([None, 1, 2]), st.sampled_from([None, 50_000.0]),
       st.sampled_from([1.0, 0.3]))
def test_the_plan_never_lets_in_fewer_than_no_upskilling(seed: int, length: int | None,
                                                        budget: float | None, weight: float) -> None:
    problem = replace(synthetic_chain_problem(np.random.default_rng(seed), n_employees=80, n_open=10,
                                              n_seekers=40, seats_per_course=2, max_chain_length=length,
                                              budget=budget), freed_job_weight=weight)
    plan, none, unplanned = optimise_chains(problem), no_upskilling_plan(problem), unplanned_plan(problem)
    for p in (plan, none, unplanned):
        assert is_valid_chain_plan(problem, p)
    assert plan.summary["job_seekers_entering"] >= none.summary["job_seekers_entering"]
    assert plan.summary["expected_entrants"] >= none.summary["expected_entrants"]
    if length is None and budget is None and weight == 1.0:
        assert plan.summary["job_seekers_entering"] >= unplanned.summary["job_seekers_entering"]


def test_unplanned_moves_leave_freed_jobs_to_optimal_matching() -> None:
    problem = care_chain_problem()
    plan = unplanned_plan(problem)
    assert plan.summary["upskilled"] == 1  # the assistant nurse takes the open specialist post
    assert plan.summary["job_seekers_entering"] == 0  # nobody plans the care-assistant step
    assert optimise_chains(problem).summary["job_seekers_entering"] == 1


def test_displacement_and_withdrawal_lower_the_expected_entrants() -> None:
    problem = care_chain_problem()
    plan = optimise_chains(problem)
    sure = chain_effects(problem, plan, ChainEffects(displacement_rate=0.0, withdrawal_rate=0.0,
                                                     deadweight_rate=0.0))
    assert sure["expected_entrants_after_displacement"] == plan.summary["job_seekers_entering"] == 1
    assert sure["net_entrants_vs_no_upskilling"] == 1
    assert sure["cost_per_net_entrant_sek"] == plan.summary["cost"]
    real = chain_effects(problem, plan, ChainEffects())
    # two freed jobs above the job seeker: 0.3 ** 2
    assert real["expected_entrants_after_displacement"] == pytest.approx(0.09)
    assert real["expected_net_entrants_vs_no_upskilling"] == pytest.approx(0.09 * (1 - 1 / 3), abs=0.01)
    assert real["multiplier"] == 3.0


def test_effect_rates_must_be_shares_that_fit_together() -> None:
    with pytest.raises(InvalidInput, match=r"displacement_rate '1\.5'"):
        ChainEffects(displacement_rate=1.5)
    with pytest.raises(InvalidInput, match="more than 1"):
        ChainEffects(displacement_rate=0.7, withdrawal_rate=0.5)


def test_inflow_adds_copies_of_job_seekers_arriving_year_by_year() -> None:
    problem = synthetic_chain_problem(np.random.default_rng(5), n_employees=200, n_open=30, n_seekers=50)
    run = SimulationSettings(years=3, runs=1, inflow_rate=0.2)
    extended, arrival = with_inflow(problem, run, np.random.default_rng(0))
    assert extended.n_seekers == 50 + 2 * 10
    assert np.bincount(arrival).tolist() == [50, 10, 10]
    newcomer = 50
    arcs = extended.seeker_position[extended.seeker == newcomer]
    assert arcs.size > 0 and set(arcs.tolist()) <= set(problem.seeker_position.tolist())


def test_inflow_brings_more_people_into_work_and_exits_fewer() -> None:
    problem = synthetic_chain_problem(np.random.default_rng(7), n_employees=600, n_open=80, n_seekers=150)
    base = SimulationSettings(years=3, runs=3, seed=2)
    closed = simulate_strategies(problem, base)
    flows = simulate_strategies(problem, SimulationSettings(years=3, runs=3, seed=2, inflow_rate=0.4))
    leaving = simulate_strategies(problem, SimulationSettings(years=3, runs=3, seed=2, seeker_exit_rate=0.9))

    def total(result) -> float:  # type: ignore[no-untyped-def]
        return float(result.yearly["no_upskilling"]["entered_work_cumulative"][-1]["mean"])
    assert total(flows) >= total(closed) >= total(leaving)
    assert closed.checker_ok and flows.checker_ok and leaving.checker_ok


def _swap_problem(weight: float):  # type: ignore[no-untyped-def]
    """An employee could take the one open post (1) that job seeker 0 could fill directly, freeing
    their own job (0) for job seeker 1."""
    from kedja.chains import ChainProblem

    return ChainProblem(
        n_positions=2, open_position=np.array([False, True]), own_position=np.array([0]),
        move_employee=np.array([0]), move_position=np.array([1]), move_course=np.array([0]),
        move_cost=np.array([50_000.0]), course_seats=np.array([5]), n_seekers=2,
        seeker=np.array([0, 1]), seeker_position=np.array([1, 0]), seeker_fit=np.array([0.6, 0.6]),
        move_value=np.array([0.3]), freed_job_weight=weight)


def test_a_plan_that_weighs_displacement_keeps_the_direct_hire() -> None:
    certain = optimise_chains(_swap_problem(1.0))
    assert certain.summary["upskilled"] == 1  # as many entrants either way: the tie-break upskills
    weighed = optimise_chains(_swap_problem(0.3))
    assert weighed.summary["upskilled"] == 0 and weighed.summary["job_seekers_entering"] == 1
    assert weighed.summary["expected_entrants"] == 1.0
    assert certain.summary["expected_entrants"] == 1.0  # weight 1: a freed job counts in full
    assert optimise_chains(_swap_problem(0.3)).summary["expected_entrants"] >= \
        plan_expected(_swap_problem(0.3), certain)


def plan_expected(problem, plan) -> float:  # type: ignore[no-untyped-def]
    from kedja.chains import plan_from_arcs

    return float(plan_from_arcs(problem, plan.move_of, plan.seeker_arc_of, "x").summary["expected_entrants"])
