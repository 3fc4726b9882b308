"""Allocation with group bands: each group's share of the places kept near its share of people.

An optional side constraint on the allocation of :mod:`kedja.matching.allocation`: for every
group ``g`` of a dimension (labels come from the caller, as integers per person),

    Σ_{arcs of g} x_a ≥ floor · (n_g / n) · Σ_{all arcs} x_a,

so no group gets less than ``floor`` (four fifths by default) of its proportional share of the
steps handed out. The side rows break the network structure. Up to ``exact_up_to`` arcs the
problem is solved exactly as a mixed-integer programme with HiGHS (Huangfu & Hall 2018),
bounded in time; beyond, by Lagrangian relaxation of the band rows (Fisher 1981): a bonus per
group is added to its arcs' fit and raised by subgradient steps while the group stays under its
floor, each step one min-cost flow. The cost of the band is the drop in total fit against the
unconstrained optimum; :func:`band_met` says whether the floor holds.

Examples:
    >>> import numpy as np
    >>> problem = AllocationProblem(
    ...     n_people=4, capacities=np.array([2]), person=np.array([0, 1, 2, 3]),
    ...     place=np.array([0, 0, 0, 0]), fit=np.array([90.0, 80.0, 70.0, 10.0]))
    >>> banded = banded_allocation(problem, np.array([0, 0, 1, 1]), floor=1.0)
    >>> sorted(banded.place_of.tolist()), banded.total_fit
    ([-1, -1, 0, 0], 160.0)
"""

from __future__ import annotations

import numpy as np

from kedja.core.errors import Infeasible
from kedja.matching.allocation import (
    Allocation,
    AllocationProblem,
    allocation_from_assignment,
    optimal_allocation,
)
from kedja.solvers import quiet_highs

__all__ = ["band_met", "banded_allocation", "group_shares"]


def group_shares(groups: np.ndarray, place_of: np.ndarray) -> dict[int, float]:
    """Each group's share of the places handed out divided by its share of the people.

    Examples:
        >>> group_shares(np.array([0, 0, 1, 1]), np.array([3, -1, -1, -1]))
        {0: 2.0, 1: 0.0}
    """
    known = groups >= 0
    placed = (place_of >= 0) & known
    total_people, total_placed = known.sum(), placed.sum()
    result = {}
    for g in np.unique(groups[known]):
        people = (groups == g).sum() / total_people
        got = (placed & (groups == g)).sum() / total_placed if total_placed else 0.0
        result[int(g)] = round(float(got / people), 4)
    return result


def band_met(groups: np.ndarray, place_of: np.ndarray, floor: float) -> bool:
    """Whether every group got at least ``floor`` of its proportional share of the places."""
    placed = (place_of >= 0) & (groups >= 0)
    known, total = (groups >= 0).sum(), placed.sum()
    return all((placed & (groups == g)).sum() >= floor * (groups == g).sum() / known * total - 1e-9
               for g in np.unique(groups[groups >= 0]))


def banded_allocation(problem: AllocationProblem, groups: np.ndarray, *, floor: float = 0.8,
                      time_limit: float = 60.0, gap: float = 1e-4,
                      exact_up_to: int = 20_000) -> Allocation:
    """The best allocation in which every group gets at least ``floor`` of its fair share."""
    if problem.person.size == 0:
        return allocation_from_assignment(problem, np.zeros(0, dtype=np.int64), "mip_band")
    if problem.person.size > exact_up_to:
        return _lagrangian(problem, groups, floor)
    return _mip(problem, groups, floor, time_limit, gap)


def _lagrangian(problem: AllocationProblem, groups: np.ndarray, floor: float,
                iterations: int = 40) -> Allocation:
    labels = np.unique(groups[groups >= 0])
    arc_group = groups[problem.person]
    share = np.array([(groups == g).sum() for g in labels]) / max((groups >= 0).sum(), 1)
    bonus = np.zeros(labels.size)
    value = problem.arc_value()
    best: Allocation | None = None
    closest: tuple[float, Allocation] | None = None
    for t in range(iterations):
        extra = np.zeros(value.size)
        for k, g in enumerate(labels):
            extra[arc_group == g] = bonus[k]
        shifted = AllocationProblem(problem.n_people, problem.capacities, problem.person,
                                    problem.place, value + extra)
        arcs = optimal_allocation(shifted).arc_of
        result = allocation_from_assignment(problem, arcs[arcs >= 0], "lagrangian_band")
        placed = result.place_of >= 0
        total = max(int(placed.sum()), 1)
        shortfall = np.array([floor * share[k] * total - (placed & (groups == g)).sum()
                              for k, g in enumerate(labels)]) / total
        if (shortfall <= 1e-9).all():
            if best is None or result.objective > best.objective:
                best = result
        elif closest is None or shortfall.max() < closest[0]:
            closest = (float(shortfall.max()), result)
        bonus = np.maximum(0.0, bonus + 200.0 / (1 + t / 4) * shortfall)
    if best is not None:
        return best
    assert closest is not None
    return closest[1]


def _mip(problem: AllocationProblem, groups: np.ndarray, floor: float, time_limit: float,
         gap: float) -> Allocation:
    import highspy

    h = quiet_highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.passModel(_model(highspy, problem, groups, floor))
    h.run()
    status = h.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        raise Infeasible(f"the banded allocation ended with status {h.modelStatusToString(status)}",
                         field="floor", value=floor, hint="lower the floor or drop the band")
    values = np.asarray(h.getSolution().col_value)
    if values.size == 0:
        raise Infeasible("the banded allocation found no solution in time", field="time_limit",
                         value=time_limit, hint="allow more time or lower the floor")
    return allocation_from_assignment(problem, np.flatnonzero(values > 0.5), "mip_band")


def _model(highspy: object, problem: AllocationProblem, groups: np.ndarray, floor: float) -> object:
    hs = highspy  # the module, passed in so it is imported only when a band is asked for
    n, m, e = problem.n_people, problem.capacities.size, problem.person.size
    labels = np.unique(groups[groups >= 0])
    known = (groups >= 0).sum()
    share = {g: (groups == g).sum() / known for g in labels}
    arc_group = groups[problem.person]
    rows = [problem.person, n + problem.place]
    values = [np.ones(e), np.ones(e)]
    for k, g in enumerate(labels):
        rows.append(np.full(e, n + m + k))
        values.append((arc_group == g).astype(float) - floor * share[g])
    row = np.concatenate(rows)
    col = np.tile(np.arange(e), 2 + labels.size)
    val = np.concatenate(values)
    order = np.lexsort((row, col))
    lp = hs.HighsLp()  # type: ignore[attr-defined]
    lp.num_col_, lp.num_row_ = e, n + m + labels.size
    lp.sense_ = hs.ObjSense.kMaximize  # type: ignore[attr-defined]
    lp.col_cost_ = problem.arc_value().astype(float)
    lp.col_lower_, lp.col_upper_ = np.zeros(e), np.ones(e)
    lp.row_lower_ = np.concatenate([np.full(n + m, -np.inf), np.zeros(labels.size)])
    lp.row_upper_ = np.concatenate([np.ones(n), problem.capacities.astype(float),
                                    np.full(labels.size, np.inf)])
    lp.a_matrix_.format_ = hs.MatrixFormat.kColwise  # type: ignore[attr-defined]
    lp.a_matrix_.start_ = np.r_[0, np.cumsum(np.bincount(col, minlength=e))].astype(np.int32)
    lp.a_matrix_.index_ = row[order].astype(np.int32)
    lp.a_matrix_.value_ = val[order]
    lp.integrality_ = [hs.HighsVarType.kInteger] * e  # type: ignore[attr-defined]
    return lp
