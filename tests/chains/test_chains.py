"""Planned vacancy chains, the unplanned baseline and the checker, on hand cases and Hypothesis instances."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kedja.chains import (
    ChainPlan,
    ChainProblem,
    care_chain_problem,
    is_valid_chain_plan,
    optimise_chains,
    plan_from_arcs,
    synthetic_chain_problem,
    unplanned_chains,
)
from kedja.chains.mip import mip_chain_arcs
from kedja.chains.optimise import _column_gains
from kedja.core.errors import InvalidInput


def _planned(problem: ChainProblem) -> ChainPlan:
    plan = optimise_chains(problem)
    assert is_valid_chain_plan(problem, plan)
    return plan


def _steps(plan: ChainPlan) -> list[list[tuple[int, int, bool]]]:
    return [[(s.person, s.position, s.seeker) for s in c.steps] for c in plan.chains]


def two_step_problem(**constraints: object) -> ChainProblem:
    """A care assistant (holding job 0) trains for an open assistant-nurse post (1); a job
    seeker can take the care-assistant job."""
    return ChainProblem(
        n_positions=2, open_position=np.array([False, True]), own_position=np.array([0]),
        move_employee=np.array([0]), move_position=np.array([1]), move_course=np.array([0]),
        move_cost=np.array([40_000.0]), course_seats=np.array([3]),
        n_seekers=2, seeker=np.array([0, 1]), seeker_position=np.array([0, 0]),
        seeker_fit=np.array([0.4, 0.9]), **constraints)  # type: ignore[arg-type]


def test_a_care_assistant_move_frees_a_job_for_the_best_fitting_seeker() -> None:
    plan = _planned(two_step_problem())
    assert _steps(plan) == [[(0, 1, False), (1, 0, True)]]
    assert plan.chains[0].end == "job_seeker"
    assert plan.summary["job_seekers_entering"] == 1
    assert plan.summary["multiplier"] == 2.0  # White: two moves from one vacancy
    assert plan.summary["entrants_into_freed_jobs_per_upskilled"] == 1.0
    assert plan.summary["cost_per_entrant"] == 40_000.0


def test_the_care_ladder_chain_runs_three_steps_down_to_a_job_seeker() -> None:
    problem = care_chain_problem()
    plan = _planned(problem)
    assert _steps(plan) == [[(1, 2, False), (0, 1, False), (0, 0, True)]]
    assert plan.chains[0].steps[0].course == 0 and plan.chains[0].steps[1].course == 1
    assert plan.summary["upskilled"] == 2 and plan.summary["shortage_positions_filled"] == 1
    assert plan.summary["cost_per_entrant"] == 100_000.0
    unplanned = unplanned_chains(problem)
    assert is_valid_chain_plan(problem, unplanned)
    assert unplanned.summary["job_seekers_entering"] == 0


def test_a_swap_comes_out_as_a_cycle() -> None:
    problem = ChainProblem(
        n_positions=2, open_position=np.array([False, False]), own_position=np.array([0, 1]),
        move_employee=np.array([0, 1]), move_position=np.array([1, 0]), move_course=np.array([-1, -1]),
        move_cost=np.array([0.0, 0.0]), move_value=np.array([0.5, 0.5]), course_seats=np.array([], int),
        n_seekers=0, seeker=np.array([], int), seeker_position=np.array([], int), seeker_fit=np.array([]))
    plan = _planned(problem)
    assert [c.end for c in plan.chains] == ["cycle"]
    assert sorted(_steps(plan)[0]) == [(0, 1, False), (1, 0, False)]
    assert plan.summary["job_seekers_entering"] == 0


def test_training_seats_cut_the_chain_and_are_respected() -> None:
    problem = replace(care_chain_problem(), course_seats=np.array([1, 0]))
    for exact_limit, method in ((0, "min_cost_flow+repair"), (100, "mip")):
        plan = optimise_chains(problem, exact_limit=exact_limit)
        assert is_valid_chain_plan(problem, plan) and plan.method == method
        assert _steps(plan) == [[(1, 2, False)]] and plan.chains[0].end == "open_position"


def test_the_mip_and_the_seat_prices_find_the_plan_the_greedy_repair_misses() -> None:
    """One seat: the repair keeps the cheaper chain (employee 0 → post 2, seeker 0 into job 0) and
    loses the other; the MIP trains employee 1 (seeker 1 takes job 1) and hires seeker 0 into post 2,
    and so does the flow once the seat has a price."""
    problem = ChainProblem(
        n_positions=4, open_position=np.array([False, False, True, True]), own_position=np.array([0, 1]),
        move_employee=np.array([0, 1]), move_position=np.array([2, 3]), move_course=np.array([0, 0]),
        move_cost=np.array([10_000.0, 30_000.0]), course_seats=np.array([1]),
        n_seekers=2, seeker=np.array([0, 0, 1]), seeker_position=np.array([0, 2, 1]),
        seeker_fit=np.array([0.9, 0.5, 0.5]))
    repaired = optimise_chains(problem, exact_limit=0, price_rounds=0)
    priced = optimise_chains(problem, exact_limit=0)
    exact = optimise_chains(problem, price_rounds=0)
    assert all(is_valid_chain_plan(problem, p) for p in (repaired, priced, exact))
    assert exact.method == "mip" and priced.method.startswith("min_cost_flow+prices")
    assert [p.summary["job_seekers_entering"] for p in (repaired, priced, exact)] == [1, 2, 2]


def test_a_cut_chain_ends_in_a_spare_seeker_when_one_fits() -> None:
    base = care_chain_problem()
    problem = replace(base, n_seekers=2, seeker=np.array([0, 1]), seeker_position=np.array([0, 1]),
                      seeker_fit=np.array([0.7, 0.5]), max_chain_length=2)
    plan = _planned(problem)
    assert plan.summary["job_seekers_entering"] == 1
    assert [len(c.steps) for c in plan.chains] == [2]
    assert plan.chains[0].end == "job_seeker"


@pytest.mark.parametrize("budget, upskilled", [(0.0, 0), (65_000.0, 1), (100_000.0, 2)])
def test_the_budget_caps_training(budget: float, upskilled: int) -> None:
    plan = _planned(care_chain_problem(budget=budget))
    assert plan.summary["upskilled"] == upskilled and plan.summary["cost"] <= budget


def test_the_checker_rejects_broken_plans() -> None:
    problem = care_chain_problem()
    good = optimise_chains(problem)
    seeker_into_held = ChainPlan(np.array([-1, -1]), np.array([0]), good.chains)
    assert not is_valid_chain_plan(problem, seeker_into_held)
    no_chains = ChainPlan(good.move_of, good.seeker_arc_of, [])
    assert not is_valid_chain_plan(problem, no_chains)
    reversed_chain = replace(good.chains[0], steps=good.chains[0].steps[::-1])
    assert not is_valid_chain_plan(problem, ChainPlan(good.move_of, good.seeker_arc_of, [reversed_chain]))
    no_seats = replace(problem, course_seats=np.array([0, 1]))
    assert not is_valid_chain_plan(no_seats, good)
    assert not is_valid_chain_plan(replace(problem, max_chain_length=2), good)
    wrong_arc = ChainPlan(np.array([0, 1]), good.seeker_arc_of, good.chains)
    assert not is_valid_chain_plan(problem, wrong_arc)


def test_a_move_into_a_job_nobody_leaves_is_rejected() -> None:
    problem = care_chain_problem()
    only_lower = plan_from_arcs(problem, np.array([1, -1]), np.array([-1]), "hand")
    assert not is_valid_chain_plan(problem, only_lower)


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        replace(care_chain_problem(), own_position=np.array([0, 0]))
    assert err.value.field == "own_position"
    with pytest.raises(InvalidInput) as err:
        replace(care_chain_problem(), move_position=np.array([2, 7]))
    assert err.value.field == "move_position" and err.value.value == 7


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), n_employees=st.integers(1, 40), n_open=st.integers(0, 10),
       n_seekers=st.integers(0, 20), seats=st.one_of(st.none(), st.integers(0, 3)),
       budget=st.one_of(st.none(), st.floats(0, 300_000)), length=st.one_of(st.none(), st.integers(1, 4)))
def test_plans_are_valid_and_planning_never_loses(seed: int, n_employees: int, n_open: int, n_seekers: int,
                                                   seats: int | None, budget: float | None,
                                                   length: int | None) -> None:
    problem = synthetic_chain_problem(np.random.default_rng(seed), n_employees=n_employees, n_open=n_open,
                                      n_seekers=n_seekers, n_localities=3, move_share=0.6,
                                      seats_per_course=seats, budget=budget, max_chain_length=length)
    planned, unplanned = _planned(problem), unplanned_chains(problem)
    assert is_valid_chain_plan(problem, unplanned)
    if length is None and (seats is not None or budget is not None):
        repaired = optimise_chains(problem, exact_limit=0)
        assert is_valid_chain_plan(problem, repaired)
        assert planned.summary["job_seekers_entering"] >= repaired.summary["job_seekers_entering"]
    if seats is None and budget is None and length is None:
        assert planned.summary["job_seekers_entering"] >= unplanned.summary["job_seekers_entering"]
        assert all(len({s.person for s in c.steps if not s.seeker}) == len(c.steps) - (c.end == "job_seeker")
                   for c in planned.chains)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n_employees=st.integers(1, 25), n_open=st.integers(0, 6),
       n_seekers=st.integers(0, 12))
def test_the_flow_enters_as_many_job_seekers_as_the_mip_oracle(seed: int, n_employees: int, n_open: int,
                                                              n_seekers: int) -> None:
    """Without side constraints the MIP (a separate formulation, solved to optimality) is an oracle."""
    problem = synthetic_chain_problem(np.random.default_rng(seed), n_employees=n_employees, n_open=n_open,
                                      n_seekers=n_seekers, n_localities=2, move_share=0.7)
    flow = _planned(problem)
    exact = mip_chain_arcs(problem, _column_gains(problem))
    assert exact is not None
    oracle = plan_from_arcs(problem, *exact, "mip")
    assert is_valid_chain_plan(problem, oracle)
    assert flow.summary["job_seekers_entering"] == oracle.summary["job_seekers_entering"]
    assert flow.summary["open_positions_filled"] == oracle.summary["open_positions_filled"]
