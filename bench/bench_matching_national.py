"""Matching at national scale: 400,000 people, 100,000 opportunities, 150,000 places.

Candidate generation, scoring and the min-cost-flow allocation on a synthetic country-sized
instance (``kedja.matching.synthetic``), against the goal of one minute and 8 GiB end to end
(building the instance, scoring, the flow and the greedy baseline, as a run sees it); the
optimal total fit against the greedy baseline, and the vectorised greedy against the
arc-by-arc loop a person would write, in the same run.
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

BOUND_SECONDS, BOUND_GIB = 60.0, 8.0


def peak_gib() -> float:
    """Peak resident memory of this process in GiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def greedy_loop(problem: AllocationProblem) -> float:
    """The greedy baseline as a plain loop over the arcs, best first; returns its total fit."""
    order = np.argsort(-problem.arc_value(), kind="stable")
    left = problem.capacities.astype(np.int64).copy()
    free = np.ones(problem.n_people, dtype=bool)
    total = 0.0
    for arc in order.tolist():
        i, j = problem.person[arc], problem.place[arc]
        if free[i] and left[j] > 0:
            free[i], left[j] = False, left[j] - 1
            total += float(problem.fit[arc])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=400_000)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=150_000)
    args = parser.parse_args()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    data = synthetic_instance(people=args.people, opportunities=args.opportunities,
                              places=args.places, seed=7)
    built = time.perf_counter() - wall0
    start, cpu = time.perf_counter(), time.process_time()
    candidates = generate_candidates(data)
    scored, scored_cpu = time.perf_counter() - start, time.process_time() - cpu
    problem = AllocationProblem(args.people, data.opportunities.capacity.astype(np.int64),
                                candidates.person, candidates.opportunity, candidates.fit)
    start, cpu = time.perf_counter(), time.process_time()
    best = optimal_allocation(problem)
    solved, solved_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    greedy = greedy_allocation(problem)
    greedy_s, greedy_cpu = time.perf_counter() - start, time.process_time() - cpu
    end_to_end, end_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"instance: {args.people:,} people, {args.opportunities:,} opportunities, "
          f"{args.places:,} places (built in {built:.1f} s)")
    print(f"candidates and scores: {scored:.1f} s wall ({scored_cpu:.1f} s CPU on "
          f"{os.cpu_count()} cores), {len(candidates):,} arcs")
    print(f"min-cost flow: {solved:.1f} s wall ({solved_cpu:.1f} s CPU); {best.placed:,} placed; checker "
          f"{'ok' if is_feasible_allocation(problem, best) else 'FAILED'}")
    time_ok, memory_ok = end_to_end <= BOUND_SECONDS, peak_gib() <= BOUND_GIB
    print(f"scoring + flow {scored + solved:.1f} s; end to end {end_to_end:.1f} s wall, {end_cpu:.1f} s CPU "
          f"(goal {BOUND_SECONDS:.0f} s: {'met' if time_ok else 'MISSED'}), peak memory "
          f"{peak_gib():.2f} GiB (goal {BOUND_GIB:.0f} GiB: {'met' if memory_ok else 'MISSED'})")
    print(f"optimal total fit {best.total_fit:,.0f} vs greedy {greedy.total_fit:,.0f} "
          f"({greedy.placed:,} placed): ratio {best.total_fit / greedy.total_fit:.3f}")
    start, cpu = time.perf_counter(), time.process_time()
    looped = greedy_loop(problem)
    loop_s, loop_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"greedy baseline: {greedy_s:.1f} s wall ({greedy_cpu:.1f} s CPU) vectorised vs "
          f"{loop_s:.1f} s wall ({loop_cpu:.1f} s CPU) arc by arc: {loop_cpu / max(greedy_cpu, 1e-9):.1f}x "
          f"in CPU; same total fit: {'yes' if np.isclose(looped, greedy.total_fit) else 'NO'}")


if __name__ == "__main__":
    main()
