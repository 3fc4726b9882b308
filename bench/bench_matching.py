"""Matching on the demo region end to end, and the allocation against its baselines.

Prints: time to encode, generate and score candidates, and allocate for the full demo region
(12,000 job seekers); the optimal total fit against the greedy baseline; and on a slice, the
min-cost flow's time against SciPy's linear_sum_assignment on the expanded dense matrix.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from kedja import services
from kedja.matching import AllocationProblem, greedy_allocation, optimal_allocation, prepare_matching
from kedja.matching.scoring import generate_candidates
from kedja.services.matching import _matching_data
from kedja.store import loaders, session_scope


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = services.prepare_database(Path(tmp) / "demo.db")
        services.build_demo_database(engine, seed=42)
        start = time.perf_counter()
        with session_scope(engine) as session:
            people = loaders.list_people(session, job_seekers_only=True)
            data = _matching_data(session, people)
        loaded = time.perf_counter() - start
        timings = {"load from the database": loaded}
        start = time.perf_counter()
        prepared = prepare_matching(data)
        timings["encode"] = time.perf_counter() - start
        start = time.perf_counter()
        candidates = generate_candidates(prepared.scoring)
        timings["candidates and scores"] = time.perf_counter() - start
        problem = AllocationProblem(len(people), prepared.opportunities.capacity.astype(np.int64),
                                    candidates.person, candidates.opportunity, candidates.fit)
        start = time.perf_counter()
        best = optimal_allocation(problem)
        timings["min-cost flow"] = time.perf_counter() - start
        start = time.perf_counter()
        greedy = greedy_allocation(problem)
        timings["greedy"] = time.perf_counter() - start
        engine.dispose()
    print(f"demo region: {len(people):,} job seekers, {len(data.opportunities):,} opportunities "
          f"({int(problem.capacities.sum()):,} places), {len(candidates):,} candidate arcs")
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.2f} s")
    engine_total = sum(v for k, v in timings.items() if k != "load from the database")
    print(f"  end to end (encode + candidates + allocation): {engine_total:.2f} s")
    print(f"optimal: {best.placed:,} placed, total fit {best.total_fit:,.0f}; greedy: "
          f"{greedy.placed:,} placed, total fit {greedy.total_fit:,.0f}; "
          f"ratio optimal/greedy = {best.total_fit / greedy.total_fit:.3f}")
    _against_scipy(problem)


def _against_scipy(problem: AllocationProblem, people: int = 1_500) -> None:
    keep = problem.person < people
    sub = AllocationProblem(people, problem.capacities, problem.person[keep], problem.place[keep],
                            problem.fit[keep])
    used = np.unique(sub.place)
    seats = [j for j in used for _ in range(int(min(sub.capacities[j], people)))]
    column_of = {}
    for column, j in enumerate(seats):
        column_of.setdefault(j, []).append(column)
    start = time.perf_counter()
    value = np.zeros((people, len(seats)))
    for i, j, f in zip(sub.person, sub.place, sub.fit, strict=True):
        value[i, column_of[j]] = f
    rows, cols = linear_sum_assignment(value, maximize=True)
    scipy_time, scipy_fit = time.perf_counter() - start, value[rows, cols].sum()
    start = time.perf_counter()
    flow = optimal_allocation(sub)
    flow_time = time.perf_counter() - start
    print(f"slice of {people:,} people × {len(seats):,} seats: SciPy dense {scipy_time:.2f} s "
          f"(fit {scipy_fit:,.1f}), min-cost flow {flow_time:.3f} s (fit {flow.total_fit:,.1f}); "
          f"ratio {scipy_time / flow_time:.0f}x")


if __name__ == "__main__":
    main()
