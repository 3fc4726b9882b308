"""Benchmark: project 290 municipalities x 101 ages x 2 sexes x 30 years x N Monte Carlo draws.

Vectorised NumPy (``kedja.forecast.projection.project_step`` writing into two preallocated
buffers, so no large array is allocated per year) against the loop a person would write in
plain Python: the rates turned into lists once, and each municipality and draw projected over
lists of floats. Both run in the same process; the loop is timed on a few draws and scaled
per cohort-year, since running it on 1,000 draws would take hours. Prints the ratio and the
peak memory of the vectorised run (tracemalloc, NumPy allocations included).

Usage: .venv/bin/python bench/bench_projection.py [--draws 1000] [--loop-draws 2]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from kedja.forecast.migration import in_migrant_counts, out_migration_rates
from kedja.forecast.projection import DemographicRates, project_step
from kedja.forecast.schedules import AGES, death_probabilities, fertility_schedule

MUNICIPALITIES, YEARS = 290, 30


def list_projection(pop: list[list[float]], fertility: list[float], keep: list[list[float]],
                    infant: list[float], flows: list[list[float]], years: int) -> list[list[float]]:
    """The cohort-component step over plain lists, as one would write it without NumPy."""
    shares = (1 / 2.05, 1 - 1 / 2.05)
    for _ in range(years):
        births = sum(w * f for w, f in zip(pop[0], fertility, strict=True))
        nxt = []
        for s in range(2):
            row, k, flow = pop[s], keep[s], flows[s]
            aged = [births * shares[s] * infant[s]]
            aged += [row[x - 1] * k[x - 1] for x in range(1, AGES)]
            aged[-1] += row[-1] * k[-1]
            nxt.append([a + f for a, f in zip(aged, flow, strict=True)])
        pop = nxt
    return pop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--loop-draws", type=int, default=2)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    base = rng.uniform(0, 300, (MUNICIPALITIES, 2, AGES))
    flows = in_migrant_counts(rng.uniform(100, 3000, (args.draws, MUNICIPALITIES)))
    rates = DemographicRates(fertility_schedule(), death_probabilities(), out_migration_rates(),
                             flows)
    tracemalloc.start()
    start = time.perf_counter()
    pop = np.broadcast_to(base, (args.draws, MUNICIPALITIES, 2, AGES)).copy()
    spare = np.empty_like(pop)
    for _ in range(YEARS):
        project_step(pop, rates, out=spare)
        pop, spare = spare, pop
    vector_s = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    keep = ((1 - rates.out_migration) * (1 - rates.death)).tolist()
    fertility = rates.fertility.tolist()
    infant = (1 - 0.5 * rates.death[:, 0]).tolist()
    start = time.perf_counter()
    for d in range(args.loop_draws):
        for m in range(MUNICIPALITIES):
            p = list_projection(base[m].tolist(), fertility, keep, infant,
                                flows[d, m].tolist(), YEARS)
            assert np.allclose(p, pop[d, m])
    loop_s = (time.perf_counter() - start) * args.draws / args.loop_draws
    print(f"cohorts: {MUNICIPALITIES} municipalities x {AGES} ages x 2 sexes x {YEARS} years "
          f"x {args.draws} draws")
    print(f"vectorised: {vector_s:.2f} s, peak memory {peak / 2**20:.0f} MiB")
    print(f"plain-list loop (scaled from {args.loop_draws} draws): {loop_s:.1f} s")
    print(f"speed-up: {loop_s / vector_s:.0f}x")


if __name__ == "__main__":
    main()
