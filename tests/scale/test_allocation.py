from __future__ import annotations

import numpy as np
import pytest

from kedja.matching import AllocationProblem, is_feasible_allocation, optimal_allocation
from kedja.matching.scoring import generate_candidates
from kedja.scale import NationalInstance, PartitionedAllocation, Runner, open_runner, partitioned_allocation
from kedja.scale.allocation import reconciled_allocation


@pytest.fixture(scope="module")
def single_process(small_national: NationalInstance) -> tuple[AllocationProblem, float]:
    """The single-process optimum over the whole instance's candidates."""
    data = small_national.scoring
    c = generate_candidates(data)
    problem = AllocationProblem(len(data.people.ids), data.opportunities.capacity.astype(np.int64),
                                c.person, c.opportunity, c.fit)
    best = optimal_allocation(problem)
    assert is_feasible_allocation(problem, best)
    return problem, best.total_fit


@pytest.fixture(scope="module")
def runs(small_national: NationalInstance, local_cluster: Runner) -> dict[str, PartitionedAllocation]:
    """The partitioned allocation in this process and on the LocalCluster."""
    with open_runner(None) as here:
        in_process = partitioned_allocation(small_national.scoring, small_national.locality_area, here)
    distributed = partitioned_allocation(small_national.scoring, small_national.locality_area, local_cluster)
    return {"in_process": in_process, "distributed": distributed}


def test_distributed_and_in_process_runs_are_feasible_and_within_one_percent(
        small_national: NationalInstance, runs: dict[str, PartitionedAllocation],
        single_process: tuple[AllocationProblem, float]) -> None:
    optimum = single_process[1]
    for run in runs.values():
        assert is_feasible_allocation(run.problem, run.allocation)
        assert run.allocation.total_fit <= optimum + 1e-6
        assert run.allocation.total_fit >= 0.99 * optimum
        assert run.allocation.total_fit >= run.area_total_fit  # reconciliation never loses fit
    distributed = runs["distributed"]
    assert distributed.runner.startswith("LocalCluster")
    homes = small_national.locality_area[small_national.scoring.people.locality]
    assert len(distributed.areas) == len(set(homes))
    assert sum(a.people for a in distributed.areas) == len(small_national.scoring.people.ids)


def test_results_are_deterministic(small_national: NationalInstance, local_cluster: Runner,
                                   runs: dict[str, PartitionedAllocation]) -> None:
    again = partitioned_allocation(small_national.scoring, small_national.locality_area, local_cluster)
    first = runs["distributed"]
    assert np.array_equal(first.allocation.place_of, again.allocation.place_of)
    assert np.array_equal(first.allocation.place_of, runs["in_process"].allocation.place_of)
    assert first.allocation.total_fit == runs["in_process"].allocation.total_fit


def test_the_union_of_the_areas_arcs_is_the_single_run(
        runs: dict[str, PartitionedAllocation], single_process: tuple[AllocationProblem, float]) -> None:
    run, whole = runs["in_process"], single_process[0]
    assert set(zip(run.problem.person.tolist(), run.problem.place.tolist(), strict=True)) == set(
        zip(whole.person.tolist(), whole.place.tolist(), strict=True))
    assert sum(a.cross_arcs for a in run.areas) > 0  # the instance does cross regions


def test_reconciliation_repairs_a_conflict_across_regions() -> None:
    # person 0 (region A) holds place 0 in A; person 1 (region B) can only use place 0 across
    # the border and is worth more there; person 0 has a fair alternative, place 1
    problem = AllocationProblem(n_people=2, capacities=np.array([1, 1]), person=np.array([0, 0, 1]),
                                place=np.array([0, 1, 0]), fit=np.array([50.0, 45.0, 80.0]))
    cross = np.array([False, False, True])
    chosen = np.array([True, False, False])
    allocation, released = reconciled_allocation(problem, cross, chosen)
    assert allocation.place_of.tolist() == [1, 0]
    assert allocation.total_fit == 125.0 == optimal_allocation(problem).total_fit
    assert is_feasible_allocation(problem, allocation)
    assert released[0] == 2


def test_priority_weights_reach_the_regions(small_national: NationalInstance,
                                            runs: dict[str, PartitionedAllocation]) -> None:
    weight = np.where(np.arange(len(small_national.scoring.people.ids)) % 3 == 0, 2.0, 1.0)
    plain = runs["in_process"]
    with open_runner(None) as here:
        weighted = partitioned_allocation(small_national.scoring, small_national.locality_area, here,
                                          weight=weight)
    placed = weighted.allocation.place_of >= 0
    before = plain.allocation.place_of >= 0
    assert placed[weight > 1].mean() >= before[weight > 1].mean()
    assert weighted.allocation.objective >= 0.99 * optimal_allocation(weighted.problem).objective


def test_selective_reconciliation_releases_fewer_and_stays_close(
        small_national: NationalInstance, single_process: tuple[AllocationProblem, float],
        runs: dict[str, PartitionedAllocation]) -> None:
    broad = runs["in_process"]
    with open_runner(None) as here:
        selective = partitioned_allocation(small_national.scoring, small_national.locality_area, here,
                                           selective=True)
    assert is_feasible_allocation(selective.problem, selective.allocation)
    assert selective.released[0] < broad.released[0]
    # the trade: far smaller residual flows for a gap of about 1 % (0.7 % nationally, see scale.md)
    assert selective.allocation.total_fit >= 0.98 * single_process[1]
    assert selective.allocation.total_fit >= selective.area_total_fit


def test_bundles_on_the_cluster_exact_is_the_optimum_and_selective_within_one_percent(
        small_national: NationalInstance, local_cluster: Runner,
        single_process: tuple[AllocationProblem, float]) -> None:
    data, areas = small_national.scoring, small_national.locality_area
    exact = partitioned_allocation(data, areas, local_cluster, exact=True, bundles=4)
    assert len(exact.areas) == 4 and sum(a.placed for a in exact.areas) == 0  # the tasks only score
    assert is_feasible_allocation(exact.problem, exact.allocation)
    assert exact.allocation.total_fit == pytest.approx(single_process[1], abs=1e-6)
    selective = partitioned_allocation(data, areas, local_cluster, selective=True, bundles=4)
    assert is_feasible_allocation(selective.problem, selective.allocation)
    assert 0.99 * single_process[1] <= selective.allocation.total_fit <= single_process[1] + 1e-6
    with open_runner(None) as here:
        again = partitioned_allocation(data, areas, here, selective=True, bundles=4)
    assert np.array_equal(again.allocation.place_of, selective.allocation.place_of)
