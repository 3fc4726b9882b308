"""Vacancy chains for a synthetic region: 60,000 employees, 5,000 open positions, 15,000 job seekers.

Run: ``python bench/bench_chains.py [--seed 42] [--seats N] [--budget SEK] [--max-length L] [--runs R]``.
Prints the planning time and job-seeker entries planned vs unplanned (the ratio). Bound: < 60 s
for building, planning, the baseline and the checker. Then (outside the bound) a five-year
simulation of the three strategies over ``--runs`` seeded runs (0 to skip).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kedja.chains import is_valid_chain_plan, optimise_chains, synthetic_chain_problem, unplanned_chains
from kedja.chains.counterfactuals import no_upskilling_plan
from kedja.chains.simulate import STRATEGIES, SimulationSettings, simulate_strategies

BOUND_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seats", type=int, default=None, help="seats per course (default: unlimited)")
    parser.add_argument("--budget", type=float, default=None, help="training budget in SEK")
    parser.add_argument("--max-length", type=int, default=None, help="maximum chain length")
    parser.add_argument("--runs", type=int, default=3, help="simulation runs (0: no simulation)")
    args = parser.parse_args()
    started = time.perf_counter()
    problem = synthetic_chain_problem(np.random.default_rng(args.seed), n_employees=60_000, n_open=5_000,
                                      n_seekers=15_000, seats_per_course=args.seats, budget=args.budget,
                                      max_chain_length=args.max_length)
    built = time.perf_counter()
    planned = optimise_chains(problem)
    solved = time.perf_counter()
    unplanned = unplanned_chains(problem)
    none = no_upskilling_plan(problem)
    done = time.perf_counter()
    ok = all(is_valid_chain_plan(problem, plan) for plan in (planned, unplanned, none))
    p, u, n = planned.summary, unplanned.summary, none.summary
    print(f"instance: {problem.n_employees} employees, {int(problem.open_position.sum())} open positions, "
          f"{problem.n_seekers} job seekers, {problem.n_moves} moves, {problem.seeker.size} seeker arcs "
          f"(built in {built - started:.1f} s)")
    print(f"planned ({planned.method}): {solved - built:.1f} s; both counterfactuals (optimal matching): "
          f"{done - solved:.1f} s; checker ok: {ok}")
    for name, s in (("planned", p), ("unplanned", u), ("none", n)):
        print(f"  {name:9s} entering {s['job_seekers_entering']:6d}  upskilled {s['upskilled']:6d}  "
              f"into freed jobs {s['job_seekers_into_freed_jobs']:5d}  "
              f"multiplier {s['multiplier']:.2f}  cost/entrant {s['cost_per_entrant']:,.0f} SEK  "
              f"shortage filled {s['shortage_positions_filled']}  chains {s['chains']}")
    ratio = p["job_seekers_entering"] / max(u["job_seekers_entering"], 1)
    print(f"job-seeker entries planned/unplanned: {ratio:.2f}; planned/no upskilling: "
          f"{p['job_seekers_entering'] / max(n['job_seekers_entering'], 1):.2f}; net of no upskilling "
          f"{p['job_seekers_entering'] - n['job_seekers_entering']}")
    total = done - started
    verdict = "OK" if total < BOUND_SECONDS else "TOO SLOW"
    print(f"total {total:.1f} s (bound {BOUND_SECONDS:.0f} s): {verdict}")
    if args.runs:
        simulate(problem, args.runs, args.seed)


def simulate(problem: object, runs: int, seed: int) -> None:
    """Five years of the three strategies: people into work, mean and 10–90 % band."""
    started = time.perf_counter()
    result = simulate_strategies(problem, SimulationSettings(years=5, runs=runs, seed=seed))  # type: ignore[arg-type]
    print(f"simulation, 5 years x {runs} runs ({time.perf_counter() - started:.1f} s, "
          f"checker ok: {result.checker_ok}); into work per year, mean [p10-p90]:")
    totals = {}
    for strategy in STRATEGIES:
        yearly = result.yearly[strategy]
        cells = "  ".join(f"{b['mean']:.0f} [{b['p10']:.0f}-{b['p90']:.0f}]" for b in yearly["entered_work"])
        totals[strategy] = yearly["entered_work_cumulative"][-1]["mean"]
        print(f"  {strategy:17s} {cells}  in all {totals[strategy]:.0f}")
    planned = totals["planned_rotation"]
    print(f"five-year entries planned+rotation/unplanned: {planned / totals['unplanned']:.2f}; "
          f"/no upskilling: {planned / totals['no_upskilling']:.2f}")


if __name__ == "__main__":
    main()
