"""The allocation: optimal by min-cost flow (checked against SciPy), greedy baseline, checker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from kedja.core.errors import InvalidInput
from kedja.matching import (
    AllocationProblem,
    greedy_allocation,
    is_feasible_allocation,
    optimal_allocation,
)
from kedja.matching.allocation import Allocation


@st.composite
def problems(draw: st.DrawFn, max_people: int = 12, max_places: int = 6) -> AllocationProblem:
    n = draw(st.integers(1, max_people))
    m = draw(st.integers(1, max_places))
    capacities = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)))
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)), max_size=n * m))
    pairs = sorted(pairs)
    fits = draw(st.lists(st.floats(0.5, 100.0), min_size=len(pairs), max_size=len(pairs)))
    weights = draw(st.one_of(st.none(), st.lists(st.sampled_from([1.0, 1.5, 2.0]), min_size=n, max_size=n)))
    return AllocationProblem(
        n_people=n, capacities=capacities,
        person=np.array([p for p, _ in pairs], dtype=np.int64),
        place=np.array([q for _, q in pairs], dtype=np.int64),
        fit=np.round(np.array(fits, dtype=float), 3),
        weight=None if weights is None else np.array(weights),
    )


def scipy_optimum(problem: AllocationProblem) -> float:
    """The optimal weighted fit by SciPy on the expanded matrix (one column per seat)."""
    seats = [j for j, c in enumerate(problem.capacities) for _ in range(int(c))]
    if not seats:
        return 0.0
    value = np.zeros((problem.n_people, len(seats)))
    arc_value = problem.arc_value()
    for column, j in enumerate(seats):
        for arc in np.flatnonzero(problem.place == j):
            value[problem.person[arc], column] = arc_value[arc]
    rows, cols = linear_sum_assignment(value, maximize=True)
    return float(value[rows, cols].sum())


@settings(max_examples=150, deadline=None)
@given(problems())
def test_optimum_is_feasible_and_matches_scipy(problem: AllocationProblem) -> None:
    best = optimal_allocation(problem)
    assert is_feasible_allocation(problem, best)
    assert best.objective == pytest.approx(scipy_optimum(problem), abs=1e-2)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_greedy_is_feasible_and_never_better(problem: AllocationProblem) -> None:
    greedy, best = greedy_allocation(problem), optimal_allocation(problem)
    assert is_feasible_allocation(problem, greedy)
    assert greedy.objective <= best.objective + 1e-6
    # greedy is a 1/2-approximation of a maximum-weight b-matching
    assert greedy.objective >= best.objective / 2 - 1e-6


def _problem() -> AllocationProblem:
    return AllocationProblem(n_people=3, capacities=np.array([1, 2]),
                             person=np.array([0, 1, 2, 2]), place=np.array([0, 0, 1, 0]),
                             fit=np.array([50.0, 60.0, 40.0, 70.0]))


def test_checker_refuses_overfull_places_double_use_and_foreign_arcs() -> None:
    problem = _problem()
    over = Allocation(np.array([0, 0, -1]), np.array([0, 1, -1]), 110.0, 110.0, "bad")
    assert not is_feasible_allocation(problem, over)
    foreign = Allocation(np.array([1, -1, -1]), np.array([2, -1, -1]), 40.0, 40.0, "bad")
    assert not is_feasible_allocation(problem, foreign)
    lying = Allocation(np.array([0, -1, 1]), np.array([0, -1, 2]), 999.0, 999.0, "bad")
    assert not is_feasible_allocation(problem, lying)
    honest = Allocation(np.array([0, -1, 1]), np.array([0, -1, 2]), 90.0, 90.0, "ok")
    assert is_feasible_allocation(problem, honest)


def test_priority_weights_move_places_to_the_prioritised() -> None:
    problem = AllocationProblem(n_people=2, capacities=np.array([1]), person=np.array([0, 1]),
                                place=np.array([0, 0]), fit=np.array([60.0, 50.0]))
    assert optimal_allocation(problem).place_of.tolist() == [0, -1]
    weighted = AllocationProblem(n_people=2, capacities=np.array([1]), person=np.array([0, 1]),
                                 place=np.array([0, 0]), fit=np.array([60.0, 50.0]),
                                 weight=np.array([1.0, 1.5]))
    result = optimal_allocation(weighted)
    assert result.place_of.tolist() == [-1, 0] and result.total_fit == 50.0


def test_bad_problem_is_refused() -> None:
    with pytest.raises(InvalidInput, match="outside the problem"):
        AllocationProblem(n_people=1, capacities=np.array([1]), person=np.array([3]),
                          place=np.array([0]), fit=np.array([1.0]))
