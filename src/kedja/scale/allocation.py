"""Matching per FA region on Dask, then a reconciliation pass across regions.

:func:`partitioned_allocation` runs in three steps:

1. **Per region** (:func:`match_area`, one task per FA region, on the runner's workers): the
   region's candidate arcs are scored from its :class:`~kedja.scale.partition.AreaTask` (the
   same arcs a single run gives its people), and the region's *quota* of every place in its
   reach (:func:`~kedja.scale.partition.capacity_quotas`: each place's capacity split among
   the regions that reach it) is shared among its people by min-cost flow over all their
   arcs, inside the region and across (long commutes, relocation, remote work). The quotas
   of a place sum to its capacity, so the regions' allocations together are feasible.
2. **Reconciliation** (:func:`reconciled_allocation`, in the calling process): quotas guess
   where each place is wanted. The people with a promising cross-region arc (worth more than
   what they hold), and whoever holds a place such an arc points at, are released; the
   residual problem (the released people, every arc of theirs to a place with room left
   once they are released) is solved by min-cost flow. The result is feasible by
   construction and never worse than step 1.
3. **Improvement**: the same over all arcs, round after round, until a round gains less than
   ``tolerance`` of the total fit (or ``rounds`` are done). Each round's residual problem
   contains the current assignment of the people it releases, so the total fit never falls.

With ``selective=True`` an arc is promising only if it beats its person's value plus the
weakest value held at its place (a one-step swap could gain): residual flows shrink from
most people to a sixth and then a few per cent (a continent needs this), the gap grows
from ~0.02 % to ~0.7 % nationally (``bench/bench_scale.py`` prints both).

With ``exact=True`` the tasks only score and one min-cost flow over the union of their arcs
gives the single-process optimum (no quotas, no reconciliation); ``bundles`` groups the
regions into that many tasks of about equal work (:func:`~kedja.scale.partition.bundle_areas`).

The single-process optimum on the same arcs (:func:`kedja.matching.optimal_allocation`)
bounds the result; the tests and ``bench/bench_scale.py`` report the gap.

Time per region: scoring O(P_a · k') and the flow on its E_a arcs; the reconciliation is one
flow per round over the released people's arcs.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from kedja.matching.allocation import (
    Allocation,
    AllocationProblem,
    allocation_from_assignment,
    optimal_allocation,
)
from kedja.matching.scoring import FACTORS, Candidates, ScoringInput, generate_candidates
from kedja.scale.cluster import Runner
from kedja.scale.partition import (
    AreaTask,
    SharedTables,
    bundle_areas,
    decode_task,
    partition_by_area,
    person_work,
    shared_tables,
)

__all__ = [
    "AreaFigures",
    "PartitionedAllocation",
    "match_area",
    "partitioned_allocation",
    "reconciled_allocation",
]


@dataclass(frozen=True)
class AreaFigures:
    """What one region's task did: sizes, arcs, seconds, and its worker's memory at the end."""

    area: str
    people: int
    opportunities: int
    home_opportunities: int
    arcs: int
    cross_arcs: int
    placed: int
    total_fit: float
    seconds: float
    input_bytes: int
    worker_mib: float


@dataclass
class PartitionedAllocation:
    """The combined allocation over the union of the regions' arcs, with its figures."""

    problem: AllocationProblem
    candidates: Candidates
    allocation: Allocation
    areas: list[AreaFigures]
    area_total_fit: float
    released: list[int] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    runner: str = "in-process"


def _resident_mib() -> float:
    """Resident memory of this process now, in MiB, while the task's arrays are alive.

    Not ``ru_maxrss``: a worker process started by fork and exec inherits its parent's peak.
    """
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def match_area(task: AreaTask, shared: SharedTables, allocate: bool = True) -> pa.Table:
    """One region's candidate arcs (global rows) with the region's own optimal allocation.

    Without ``allocate`` the region only scores (``chosen`` is all false): the caller solves
    the union exactly.

    Columns: person, opportunity, fit, the factors, minutes, cross (the place lies in another
    region) and chosen (the arc is in the region's allocation); the figures are in the
    schema metadata under ``kedja.area``.
    """
    start = time.perf_counter()
    scoring, person_rows, opp_rows = decode_task(task, shared)
    candidates = generate_candidates(scoring, workers=1)
    home = task.opportunities.column("home").to_numpy(zero_copy_only=False)
    quota = task.opportunities.column("quota").to_numpy()
    weight = task.people.column("weight").to_numpy()
    inside = np.flatnonzero(home[candidates.opportunity])
    chosen = np.zeros(len(candidates), dtype=bool)
    own = None
    if allocate:
        # arcs to a place of no quota here cannot carry flow: the region's flow goes without them
        live = np.flatnonzero(quota[candidates.opportunity] > 0)
        problem = AllocationProblem(
            n_people=person_rows.size, capacities=quota.astype(np.int64),
            person=candidates.person[live], place=candidates.opportunity[live],
            fit=candidates.fit[live], weight=weight)
        own = optimal_allocation(problem)
        chosen[live[own.arc_of[own.arc_of >= 0]]] = True
    # rows as int32 and factors, minutes as float32 (stored rounded to 3 decimals) halve what
    # goes back to the client; the fit stays float64, so the optimum is the single run's
    columns = {"person": person_rows[candidates.person].astype(np.int32),
               "opportunity": opp_rows[candidates.opportunity].astype(np.int32),
               "fit": candidates.fit, **{f: candidates.factors[f].astype(np.float32) for f in FACTORS},
               "minutes": candidates.minutes.astype(np.float32), "cross": ~home[candidates.opportunity],
               "chosen": chosen}
    figures = AreaFigures(
        area=task.area, people=int(person_rows.size), opportunities=int(opp_rows.size),
        home_opportunities=int(home.sum()), arcs=len(candidates),
        cross_arcs=int(len(candidates) - inside.size),
        placed=own.placed if own else 0, total_fit=own.total_fit if own else 0.0,
        seconds=time.perf_counter() - start,
        input_bytes=task.nbytes, worker_mib=_resident_mib())
    table = pa.table({name: pa.array(values) for name, values in columns.items()})
    return table.replace_schema_metadata({"kedja.area": json.dumps(figures.__dict__)})


def _union(tables: list[pa.Table], n_people: int, capacities: np.ndarray,
           weight: np.ndarray | None) -> tuple[AllocationProblem, Candidates, np.ndarray, np.ndarray]:
    """The union problem of all regions' arcs, in the order of the tasks."""
    arcs = pa.concat_tables(tables) if tables else None
    if arcs is None or arcs.num_rows == 0:
        empty = np.zeros(0, dtype=np.int64)
        problem = AllocationProblem(n_people, capacities, empty, empty, empty.astype(float), weight)
        cands = Candidates(empty, empty, empty.astype(float), {f: empty.astype(float) for f in FACTORS},
                           empty.astype(float))
        return problem, cands, empty.astype(bool), empty.astype(bool)
    # arcs stay in the tasks' order (the same wherever they ran), the scorer's order inside a task
    # factors and minutes stay float32 (as the tasks send them): no copy of 7 columns of arcs
    def column(name: str, dtype: type = np.float64) -> np.ndarray:
        return arcs.column(name).to_numpy().astype(dtype, copy=False)

    cands = Candidates(column("person", np.int64), column("opportunity", np.int64), column("fit"),
                       {f: column(f, np.float32) for f in FACTORS}, column("minutes", np.float32))
    problem = AllocationProblem(n_people, capacities, cands.person, cands.opportunity, cands.fit, weight)
    return problem, cands, column("cross", bool), column("chosen", bool)


def _residual_round(problem: AllocationProblem, arc_of: np.ndarray, release: np.ndarray) -> np.ndarray:
    """``arc_of`` after re-solving the people in ``release`` (bool mask) against the room left."""
    kept = np.flatnonzero((arc_of >= 0) & ~release)
    room = problem.capacities - np.bincount(problem.place[arc_of[kept]], minlength=problem.capacities.size)
    candidates = np.flatnonzero(release[problem.person] & (room[problem.place] > 0))
    people = np.unique(problem.person[candidates])
    if people.size == 0:
        return arc_of
    local = np.searchsorted(people, problem.person[candidates])
    weight = None if problem.weight is None else problem.weight[people]
    sub = AllocationProblem(int(people.size), room.astype(np.int64), local, problem.place[candidates],
                            problem.fit[candidates], weight)
    solved = optimal_allocation(sub)
    out = arc_of.copy()
    out[people] = -1
    placed = solved.arc_of >= 0
    out[people[placed]] = candidates[solved.arc_of[placed]]
    return out


def reconciled_allocation(problem: AllocationProblem, cross: np.ndarray, chosen: np.ndarray, *,
                          rounds: int | None = None, tolerance: float = 1e-5,
                          selective: bool = False) -> tuple[Allocation, list[int]]:
    """The regions' allocations (``chosen`` arcs) combined and improved across regions.

    ``selective`` releases fewer people per round (see :func:`_release`): far smaller residual
    flows, a slightly larger gap to the optimum. ``rounds`` of improvement: by default 3
    broad ones (each nearly a whole flow) or 10 selective ones (each small). Returns the
    allocation over ``problem`` and how many people each round released.
    """
    rounds = (10 if selective else 3) if rounds is None else rounds
    arc_of = np.full(problem.n_people, -1, dtype=np.int64)
    arc_of[problem.person[chosen]] = np.flatnonzero(chosen)
    released: list[int] = []
    value = problem.arc_value()
    total = float(value[arc_of[arc_of >= 0]].sum())
    for round_ in range(rounds + 1):
        release = _release(problem, arc_of, cross if round_ == 0 else None, selective)
        arc_of = _residual_round(problem, arc_of, release)
        released.append(int(release.sum()))
        new_total = float(value[arc_of[arc_of >= 0]].sum())
        gained, total = new_total - total, new_total
        if round_ > 0 and gained <= tolerance * max(total, 1.0):
            break
    return allocation_from_assignment(problem, arc_of[arc_of >= 0], "partitioned_min_cost_flow"), released


def _release(problem: AllocationProblem, arc_of: np.ndarray, cross: np.ndarray | None,
             selective: bool) -> np.ndarray:
    """People to re-solve, with the holders of the places they could take.

    Broad: an arc is promising when it is worth more than what its person has now. Selective:
    only when it is worth more than that plus the weakest value held at its place (nothing
    when the place has room), so that taking it with a one-step swap could raise the total.
    The first round looks at the cross-region arcs only (``cross``), later rounds at all arcs.
    Released are the people with a promising arc and the holders of the places it points at.
    """
    value = problem.arc_value()
    placed = np.flatnonzero(arc_of >= 0)
    current = np.zeros(problem.n_people)
    current[placed] = value[arc_of[placed]]
    held = np.bincount(problem.place[arc_of[placed]], minlength=problem.capacities.size)
    weakest = np.full(problem.capacities.size, np.inf)
    np.minimum.at(weakest, problem.place[arc_of[placed]], current[placed])
    floor = np.where(held < problem.capacities, 0.0, weakest)
    promising = value > current[problem.person] + (floor[problem.place] if selective else 0.0) + 1e-9
    if cross is not None:
        promising &= cross
    movers = np.zeros(problem.n_people, dtype=bool)
    movers[problem.person[promising]] = True
    return movers | _holders_of(problem, arc_of, np.unique(problem.place[promising]))


def _holders_of(problem: AllocationProblem, arc_of: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Mask of the people whose current place is one of ``places``."""
    wanted = np.zeros(problem.capacities.size, dtype=bool)
    wanted[places] = True
    placed = arc_of >= 0
    mask = np.zeros(problem.n_people, dtype=bool)
    mask[placed] = wanted[problem.place[arc_of[placed]]]
    return mask


def partitioned_allocation(data: ScoringInput, locality_area: Any, runner: Runner, *,
                           weight: np.ndarray | None = None, rounds: int | None = None,
                           selective: bool = False, exact: bool = False,
                           bundles: int | None = None) -> PartitionedAllocation:
    """Match per FA region on ``runner`` and reconcile across regions (see module).

    ``bundles`` groups the regions into that many tasks of about equal people
    (:func:`~kedja.scale.partition.bundle_areas`; one per worker is what pays on a small
    cluster); by default every region is a task. ``exact``: the tasks only score, and one
    min-cost flow over the union of their arcs gives the single-process optimum (no quotas,
    no reconciliation; the client solves the whole flow).
    """
    clock = time.perf_counter()
    # the scorer's work per job seeker, for the bundles and for placing the tasks (the halo's
    # size misjudges it: Stockholm's people reach many of its few, dense sites)
    estimate = person_work(data)
    if bundles is not None:
        # exact: any borders will do, so the dearest region is split too (see bundle_areas)
        # bundles come in pairs, a pair for a worker (two per worker is the default): the
        # same bundles wherever the run goes, so the result is the same too
        locality_area = bundle_areas(data, locality_area, bundles, split=exact,
                                     workers=max(1, bundles // 2), work=estimate)
    tasks = partition_by_area(data, locality_area, weight)
    shared = runner.share(shared_tables(data))
    seconds = {"partition": time.perf_counter() - clock}
    clock = time.perf_counter()
    work = [float(estimate[t.people.column("row").to_numpy()].sum()) for t in tasks]
    tables = runner.map(match_area, tasks, shared, not exact, work=work)
    seconds["areas"] = time.perf_counter() - clock
    clock = time.perf_counter()
    figures = [AreaFigures(**json.loads(t.schema.metadata[b"kedja.area"])) for t in tables]
    capacities = data.opportunities.capacity.astype(np.int64)
    problem, candidates, cross, chosen = _union(tables, len(data.people.ids), capacities, weight)
    if exact:
        allocation, released = optimal_allocation(problem), [len(data.people.ids)]
        allocation = allocation_from_assignment(
            problem, allocation.arc_of[allocation.arc_of >= 0], "partitioned_min_cost_flow")
    else:
        allocation, released = reconciled_allocation(problem, cross, chosen, rounds=rounds,
                                                      selective=selective)
    seconds["reconciliation"] = time.perf_counter() - clock
    return PartitionedAllocation(problem, candidates, allocation, figures,
                                 float(sum(f.total_fit for f in figures)), released, seconds,
                                 runner.description)
