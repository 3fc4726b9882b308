"""Benchmark: project 290 municipalities x 101 ages x 2 sexes x 30 years x N Monte Carlo draws.

Vectorised NumPy (``kedja.forecast.projection.project_step``) against a straightforward
per-cohort Python loop measured in the same run. The loop is timed on a few draws and scaled
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


def loop_step(pop: np.ndarray, r: DemographicRates) -> np.ndarray:
    nxt = np.zeros_like(pop)
    for s in range(2):
        for x in range(AGES):
            survivors = pop[s, x] * (1 - r.out_migration[s, x]) * (1 - r.death[s, x])
            nxt[s, min(x + 1, AGES - 1)] += survivors
    births = 0.0
    for x in range(AGES):
        births += pop[0, x] * r.fertility[x]
    for s, share in enumerate((1 / 2.05, 1 - 1 / 2.05)):
        nxt[s, 0] = births * share * (1 - 0.5 * r.death[s, 0])
    return nxt + r.in_migrants


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
    for _ in range(YEARS):
        pop = project_step(pop, rates)
    vector_s = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    start = time.perf_counter()
    for d in range(args.loop_draws):
        for m in range(MUNICIPALITIES):
            one = DemographicRates(rates.fertility, rates.death, rates.out_migration, flows[d, m])
            p = base[m]
            for _ in range(YEARS):
                p = loop_step(p, one)
            assert np.allclose(p, pop[d, m])
    loop_s = (time.perf_counter() - start) * args.draws / args.loop_draws
    print(f"cohorts: {MUNICIPALITIES} municipalities x {AGES} ages x 2 sexes x {YEARS} years "
          f"x {args.draws} draws")
    print(f"vectorised: {vector_s:.2f} s, peak memory {peak / 2**20:.0f} MiB")
    print(f"loop (scaled from {args.loop_draws} draws): {loop_s:.1f} s")
    print(f"speed-up: {loop_s / vector_s:.0f}x")


if __name__ == "__main__":
    main()
