"""Matching at national scale: 400,000 people, 100,000 opportunities, 150,000 places.

Candidate generation, scoring and the min-cost-flow allocation on a synthetic country-sized
instance (``kedja.matching.synthetic``), against the bound of 3 minutes and 12 GiB; and the
optimal total fit against the greedy baseline in the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from kedja.matching import AllocationProblem, greedy_allocation, is_feasible_allocation, optimal_allocation
from kedja.matching.scoring import generate_candidates
from kedja.matching.synthetic import synthetic_instance

BOUND_SECONDS, BOUND_GIB = 180.0, 12.0


def peak_gib() -> float:
    """Peak resident memory of this process in GiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=150_000)
    args = parser.parse_args()
    start = time.perf_counter()
    data = synthetic_instance(people=args.people, opportunities=args.opportunities,
                              places=args.places, seed=7)
    built = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    candidates = generate_candidates(data)
    scored, scored_cpu = time.perf_counter() - start, time.process_time() - cpu
    problem = AllocationProblem(args.people, data.opportunities.capacity.astype(np.int64),
                                candidates.person, candidates.opportunity, candidates.fit)
    start = time.perf_counter()
    best = optimal_allocation(problem)
    solved = time.perf_counter() - start
    greedy = greedy_allocation(problem)
    total = scored + solved
    print(f"instance: {args.people:,} people, {args.opportunities:,} opportunities, "
          f"{args.places:,} places (built in {built:.1f} s)")
    print(f"candidates and scores: {scored:.1f} s wall ({scored_cpu:.1f} s CPU on "
          f"{os.cpu_count()} cores), {len(candidates):,} arcs")
    print(f"min-cost flow: {solved:.1f} s; {best.placed:,} placed; checker "
          f"{'ok' if is_feasible_allocation(problem, best) else 'FAILED'}")
    time_ok, memory_ok = total <= BOUND_SECONDS, peak_gib() <= BOUND_GIB
    print(f"total {total:.1f} s (bound {BOUND_SECONDS:.0f} s: {'met' if time_ok else 'MISSED'}), "
          f"peak memory {peak_gib():.2f} GiB (bound {BOUND_GIB:.0f} GiB: "
          f"{'met' if memory_ok else 'MISSED'})")
    print(f"optimal total fit {best.total_fit:,.0f} vs greedy {greedy.total_fit:,.0f} "
          f"({greedy.placed:,} placed): ratio {best.total_fit / greedy.total_fit:.3f}")


if __name__ == "__main__":
    main()
