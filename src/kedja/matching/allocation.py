"""Region-wide allocation of limited places: min-cost flow, a greedy baseline and a checker.

The problem: people ``i``, places ``j`` with capacity ``c_j``, candidate arcs ``(i, j)`` with a
fit ``f_ij > 0`` and an optional priority weight ``w_i ≥ 1`` per person. Choose at most one arc
per person and at most ``c_j`` arcs per place so that ``Σ w_i · f_ij`` is as large as possible.

:func:`optimal_allocation` solves it exactly as a min-cost flow (OR-Tools ``SimpleMinCostFlow``,
Goldberg's cost-scaling push-relabel) on the network source → person (capacity 1) → place
(capacity 1 per arc) → sink (capacity ``c_j``), with every person also able to go straight to the
sink at cost 0 (stay unplaced). Fits are scaled to integers. Time roughly O(E · log(n · C)) for E
arcs in practice; memory about 165 bytes per arc (see STACK.md).

:func:`greedy_allocation` takes arcs best-first: the baseline a coordinator would get by
filling places in order of fit. :func:`is_feasible_allocation` checks any allocation
independently of how it was made.

Examples:
    >>> problem = AllocationProblem(
    ...     n_people=3, capacities=np.array([1, 1]),
    ...     person=np.array([0, 0, 1, 2]), place=np.array([0, 1, 0, 1]),
    ...     fit=np.array([90.0, 80.0, 85.0, 10.0]))
    >>> best = optimal_allocation(problem)
    >>> best.place_of.tolist(), best.total_fit
    ([1, 0, -1], 165.0)
    >>> greedy_allocation(problem).total_fit
    100.0
    >>> is_feasible_allocation(problem, best)
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kedja.core.errors import Infeasible, InvalidInput

__all__ = [
    "Allocation",
    "AllocationProblem",
    "allocation_from_assignment",
    "greedy_allocation",
    "is_feasible_allocation",
    "optimal_allocation",
]

SCALE = 1_000
"""Fit units per integer cost unit: fits are kept to three decimals in the flow."""


@dataclass(frozen=True)
class AllocationProblem:
    """Candidate arcs between people and capacitated places."""

    n_people: int
    capacities: np.ndarray
    person: np.ndarray
    place: np.ndarray
    fit: np.ndarray
    weight: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not (self.person.shape == self.place.shape == self.fit.shape):
            raise InvalidInput("arc arrays differ in length", field="arcs",
                               hint="give one person, place and fit per arc")
        if self.person.size and (self.person.min() < 0 or self.person.max() >= self.n_people):
            raise InvalidInput("an arc names a person outside the problem", field="person",
                               hint="index people from 0 to n_people - 1")
        if self.place.size and (self.place.min() < 0 or self.place.max() >= self.capacities.size):
            raise InvalidInput("an arc names a place outside the problem", field="place",
                               hint="index places from 0 to len(capacities) - 1")
        if (self.capacities < 0).any():
            raise InvalidInput("a capacity is negative", field="capacities",
                               value=int(self.capacities.min()), hint="give capacities ≥ 0")

    def arc_value(self) -> np.ndarray:
        """Objective value of each arc: fit × the person's priority weight."""
        return self.fit if self.weight is None else self.fit * self.weight[self.person]


@dataclass(frozen=True)
class Allocation:
    """Who got which place (``place_of[i] = -1`` for none) and through which arc."""

    place_of: np.ndarray
    arc_of: np.ndarray
    total_fit: float
    objective: float
    method: str

    @property
    def placed(self) -> int:
        """How many people got a place."""
        return int((self.place_of >= 0).sum())


def allocation_from_assignment(problem: AllocationProblem, chosen_arcs: np.ndarray,
                               method: str) -> Allocation:
    """The allocation that takes exactly the arcs ``chosen_arcs``."""
    place_of = np.full(problem.n_people, -1, dtype=np.int64)
    arc_of = np.full(problem.n_people, -1, dtype=np.int64)
    place_of[problem.person[chosen_arcs]] = problem.place[chosen_arcs]
    arc_of[problem.person[chosen_arcs]] = chosen_arcs
    return Allocation(place_of, arc_of, float(problem.fit[chosen_arcs].sum()),
                      float(problem.arc_value()[chosen_arcs].sum()), method)


def optimal_allocation(problem: AllocationProblem) -> Allocation:
    """The allocation of largest weighted fit, by min-cost flow (exact)."""
    from ortools.graph.python import min_cost_flow

    n, m, e = problem.n_people, problem.capacities.size, problem.person.size
    source, sink = n + m, n + m + 1
    people = np.arange(n, dtype=np.int64)
    tails = np.concatenate([np.full(n, source), problem.person, n + np.arange(m), people])
    heads = np.concatenate([people, n + problem.place, np.full(m, sink), np.full(n, sink)])
    caps = np.concatenate([np.ones(n), np.ones(e), problem.capacities, np.ones(n)])
    costs = np.concatenate([np.zeros(n), -np.round(problem.arc_value() * SCALE),
                            np.zeros(m), np.zeros(n)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              caps.astype(np.int64), costs.astype(np.int64))
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise Infeasible(f"the min-cost flow ended with status {status}", field="allocation",
                         hint="check capacities and arcs; every person can stay unplaced")
    arc_flows = flow.flows(np.arange(n, n + e, dtype=np.int32))
    return allocation_from_assignment(problem, np.flatnonzero(arc_flows > 0), "min_cost_flow")


GREEDY_CHUNK = 1 << 16
"""Arcs settled together by :func:`greedy_allocation` (a few rounds of array operations each)."""


def greedy_allocation(problem: AllocationProblem) -> Allocation:
    """Arcs best-first, each taken if its person is free and its place has room; O(E log E).

    The same allocation as walking the arcs one by one in order of value (ties in arc order),
    computed with whole-array operations over runs of ``GREEDY_CHUNK`` consecutive arcs: within a
    run, an arc is certainly taken when it is the first remaining arc of its person and among
    the first ``left[j]`` remaining arcs of its place ``j``; those are taken together, the arcs
    of placed people and full places are dropped, and the run is settled in a few such rounds
    (the first remaining arc always qualifies, so every round makes progress).
    """
    order = np.argsort(-problem.arc_value(), kind="stable")
    person, place = problem.person.astype(np.int64), problem.place.astype(np.int64)
    left = problem.capacities.astype(np.int64).copy()
    free = np.ones(problem.n_people, dtype=bool)
    chosen = []
    for start in range(0, order.size, GREEDY_CHUNK):
        arcs = order[start:start + GREEDY_CHUNK]
        while arcs.size:
            arcs = arcs[free[person[arcs]] & (left[place[arcs]] > 0)]
            if not arcs.size:
                break
            take = _first_of_person(person[arcs]) & _within_room(place[arcs], left)
            taken = arcs[take]
            free[person[taken]] = False
            np.subtract.at(left, place[taken], 1)
            chosen.append(taken)
            arcs = arcs[~take]
    picked = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return allocation_from_assignment(problem, picked[np.argsort(rank[picked])], "greedy")


def _first_of_person(owner: np.ndarray) -> np.ndarray:
    """Whether each arc (in greedy order) is the first one of its person."""
    by = np.argsort(owner, kind="stable")
    sorted_owner = owner[by]
    first = np.zeros(owner.size, dtype=bool)
    first[by[np.r_[True, sorted_owner[1:] != sorted_owner[:-1]]]] = True
    return first


def _within_room(seat: np.ndarray, left: np.ndarray) -> np.ndarray:
    """Whether each arc (in greedy order) is among the first ``left[j]`` arcs of its place ``j``."""
    by = np.argsort(seat, kind="stable")
    sorted_seat = seat[by]
    starts = np.r_[0, np.flatnonzero(sorted_seat[1:] != sorted_seat[:-1]) + 1]
    within = np.arange(seat.size) - np.repeat(starts, np.diff(np.r_[starts, seat.size]))
    room = np.zeros(seat.size, dtype=bool)
    room[by[within < left[sorted_seat]]] = True
    return room


def is_feasible_allocation(problem: AllocationProblem, allocation: Allocation) -> bool:
    """Whether ``allocation`` uses only candidate arcs, each person once, within capacities.

    Independent of the solver: it recounts everything from the arcs. Also checks that the
    reported total fit is the sum of the chosen arcs' fits.
    """
    placed = np.flatnonzero(allocation.place_of >= 0)
    arcs = allocation.arc_of[placed]
    if (arcs < 0).any() or (arcs >= problem.person.size).any():
        return False
    if not (problem.person[arcs] == placed).all():
        return False
    if not (problem.place[arcs] == allocation.place_of[placed]).all():
        return False
    if np.unique(arcs).size != arcs.size:
        return False
    used = np.bincount(problem.place[arcs], minlength=problem.capacities.size)
    if (used > problem.capacities).any():
        return False
    return bool(np.isclose(problem.fit[arcs].sum(), allocation.total_fit, atol=1e-6 * max(1, arcs.size)))
