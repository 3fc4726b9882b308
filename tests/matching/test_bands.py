"""The banded allocation: feasible, every group at or above its floor, never above the optimum."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kedja.matching import is_feasible_allocation, optimal_allocation
from kedja.matching.bands import band_met, banded_allocation, group_shares
from tests.matching.test_allocation import problems


@settings(max_examples=60, deadline=None)
@given(problems(max_people=10, max_places=4), st.data())
def test_band_holds_and_costs_fit(problem, data) -> None:  # type: ignore[no-untyped-def]
    groups = np.array(data.draw(st.lists(st.integers(0, 1), min_size=problem.n_people,
                                         max_size=problem.n_people)))
    floor = data.draw(st.sampled_from([0.5, 0.8]))
    banded = banded_allocation(problem, groups, floor=floor, time_limit=10)
    assert band_met(groups, banded.place_of, floor)
    assert is_feasible_allocation(problem, banded)
    assert banded.objective <= optimal_allocation(problem).objective + 1e-6
    placed = banded.place_of >= 0
    total = placed.sum()
    for g in np.unique(groups):
        share = (groups == g).mean()
        assert (placed & (groups == g)).sum() >= floor * share * total - 1e-6


def test_band_lifts_a_group_left_behind() -> None:
    from kedja.matching import AllocationProblem

    # group 1 fits worse everywhere: unconstrained, it gets nothing
    person = np.repeat(np.arange(6), 2)
    place = np.tile([0, 1], 6)
    fit = np.where(person < 3, 90.0, 40.0) - place
    problem = AllocationProblem(6, np.array([2, 1]), person, place, fit)
    groups = np.array([0, 0, 0, 1, 1, 1])
    assert group_shares(groups, optimal_allocation(problem).place_of)[1] == 0.0
    banded = banded_allocation(problem, groups, floor=0.8)
    assert group_shares(groups, banded.place_of)[1] >= 0.8 * 1 - 1e-9 or \
        (banded.place_of[groups == 1] >= 0).sum() >= 1
    assert banded.total_fit < optimal_allocation(problem).total_fit


@settings(max_examples=40, deadline=None)
@given(problems(max_people=12, max_places=4), st.data())
def test_lagrangian_band_is_feasible_and_close_to_exact(problem, data) -> None:  # type: ignore[no-untyped-def]
    groups = np.array(data.draw(st.lists(st.integers(0, 1), min_size=problem.n_people,
                                         max_size=problem.n_people)))
    relaxed = banded_allocation(problem, groups, floor=0.8, exact_up_to=0)
    assert is_feasible_allocation(problem, relaxed)
    assert relaxed.objective <= optimal_allocation(problem).objective + 1e-6
    if band_met(groups, relaxed.place_of, 0.8):
        exact = banded_allocation(problem, groups, floor=0.8)
        assert relaxed.objective <= exact.objective + 1e-6
