"""Matching per FA region on Dask: the national instance on 1 and 2 workers against one process.

The national instance (``kedja.scale.national``: 290 municipalities, 60 FA regions,
population-proportional job seekers and places) is allocated three ways in the same run:
single-process (candidates on two threads, one min-cost flow), and per FA region on a
LocalCluster of 1 and 2 worker processes followed by the reconciliation across regions.
Prints the speed-up against the single-process run, the total-fit gap, the per-area figures
(people, arcs, seconds, input bytes, worker memory) and the paper plan for 10 million job
seekers that ``docs/scale.md`` quotes. Chain planning and forecasts per region run on the same
clusters. Cluster start-up is timed apart (a real cluster is started once, not per run).
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from kedja.matching import AllocationProblem, is_feasible_allocation, optimal_allocation
from kedja.matching.scoring import generate_candidates
from kedja.scale import PartitionedAllocation, national_instance, open_runner, partitioned_allocation
from kedja.scale.national import national_forecast_inputs
from kedja.scale.regional import forecasts_by_area, planned_chains_by_area

PLAN_JOB_SEEKERS = 10_000_000
PLAN_LARGEST_AREA = 600_000
"""Job seekers in the largest commuting zone of the EU plan (Île-de-France is about 600,000)."""


def peak_mib() -> float:
    """Peak resident memory of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mib() -> float:
    """Resident memory now in MiB (a worker inherits its parent's peak, so not ru_maxrss)."""
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def single_process(instance) -> tuple[float, float, float, int]:  # type: ignore[no-untyped-def]
    """Seconds on two threads, seconds on one, the optimal total fit and the arcs."""
    data = instance.scoring
    seconds = []
    for threads in (2, 1):
        start = time.perf_counter()
        c = generate_candidates(data, workers=threads)
        problem = AllocationProblem(len(data.people.ids), data.opportunities.capacity.astype(np.int64),
                                    c.person, c.opportunity, c.fit)
        best = optimal_allocation(problem)
        seconds.append(time.perf_counter() - start)
        assert is_feasible_allocation(problem, best)
    return seconds[0], seconds[1], best.total_fit, len(c)


def report_areas(run: PartitionedAllocation, worker_peaks: dict[str, float]) -> dict[str, float]:
    areas = sorted(run.areas, key=lambda a: -a.people)
    people = np.array([a.people for a in run.areas], dtype=float)
    seconds = np.array([a.seconds for a in run.areas])
    arcs = np.array([a.arcs for a in run.areas], dtype=float)
    in_bytes = np.array([a.input_bytes for a in run.areas], dtype=float)
    print("  largest areas: " + "; ".join(
        f"FA {a.area}: {a.people:,} people, {a.opportunities:,} opps in reach, {a.arcs:,} arcs "
        f"({a.cross_arcs / max(a.arcs, 1):.0%} across), {a.seconds:.2f} s, {a.input_bytes / 2**20:.1f} MiB in"
        for a in areas[:3]))
    figures = {
        "ms_per_person": 1000 * seconds.sum() / people.sum(),
        "arcs_per_person": arcs.sum() / people.sum(),
        "input_bytes_per_person": in_bytes.sum() / people.sum(),
        "largest_area_seconds": float(seconds.max()),
        "worker_peak_mib": max(max(worker_peaks.values()), max(a.worker_mib for a in run.areas)),
        "client_peak_mib": peak_mib(),
    }
    print(f"  per area: {figures['ms_per_person']:.3f} ms per job seeker, "
          f"{figures['arcs_per_person']:.1f} arcs and {figures['input_bytes_per_person']:.0f} input bytes "
          f"per job seeker; slowest area {figures['largest_area_seconds']:.2f} s; worker "
          f"{figures['worker_peak_mib']:.0f} MiB, client peak {figures['client_peak_mib']:.0f} MiB")
    return figures


def paper_plan(figures: dict[str, float], reconciliation_s: float, people: int, cross_share: float,
               released: list[int]) -> None:
    """10 million job seekers, from the measured per-person figures (linear in people)."""
    core_hours = PLAN_JOB_SEEKERS * figures["ms_per_person"] / 1000 / 3600
    # a worker holds one area task: its input, its arcs (person, place, fit, 6 factors, minutes:
    # ~90 bytes each as Arrow, ~165 more in the flow) plus the libraries (the measured base)
    arc_bytes = 255 * figures["arcs_per_person"]
    largest_gib = PLAN_LARGEST_AREA * (figures["input_bytes_per_person"] + arc_bytes) / 2**30
    base_gib = figures["worker_peak_mib"] / 1024
    reconcile_s = reconciliation_s * PLAN_JOB_SEEKERS / people
    largest_min = PLAN_LARGEST_AREA * figures["ms_per_person"] / 1000 / 60
    print(f"  plan: {core_hours:.2f} core-hours of area tasks; the largest area alone "
          f"{largest_min:.1f} min; reconciliation {reconcile_s / 60:.1f} min on the client")
    for workers in (16, 64, 256):
        areas_min = max(core_hours * 60 / workers, largest_min)
        print(f"  plan, {PLAN_JOB_SEEKERS:,} job seekers on {workers} workers: areas {areas_min:.1f} min "
              f"+ reconciliation {reconcile_s / 60:.1f} min = {areas_min + reconcile_s / 60:.1f} min")
    print(f"  plan reconciliation: selective, released {released[0] / people:.1%} of job seekers in the "
          f"first round, {sum(released[1:]) / people:.1%} after; its flow grows with the released people")
    print(f"  plan memory: largest area ({PLAN_LARGEST_AREA:,} job seekers) needs about "
          f"{largest_gib:.1f} GiB over a {base_gib:.2f} GiB worker; the client holds all arcs: "
          f"{PLAN_JOB_SEEKERS * arc_bytes / 2**30:.0f} GiB ({cross_share:.0%} of arcs cross areas here)")


def run_cluster(instance, spec: str,  # type: ignore[no-untyped-def]
                single: tuple[float, float, float, int],
                plan_selective: bool = True) -> tuple[PartitionedAllocation, dict[str, float]]:
    start = time.perf_counter()
    with open_runner(spec) as runner:
        started = time.perf_counter() - start
        # a first, tiny task warms the workers' imports, as on a running cluster
        runner.map(len, [[0]] * runner.workers)
        start = time.perf_counter()
        run = partitioned_allocation(instance.scoring, instance.locality_area, runner)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        selective = partitioned_allocation(instance.scoring, instance.locality_area, runner, selective=True)
        selective_s = time.perf_counter() - start
        peaks = runner.run_on_workers(resident_mib)
        chains_start = time.perf_counter()
        plans = planned_chains_by_area(instance.chains, runner)
        chains_s = time.perf_counter() - chains_start
        forecast_start = time.perf_counter()
        forecasts_by_area(national_forecast_inputs(seed=1), runner, draws=20, seed=1)
        forecast_s = time.perf_counter() - forecast_start
    assert is_feasible_allocation(run.problem, run.allocation)
    assert is_feasible_allocation(selective.problem, selective.allocation)
    for name, r, s in (("broad", run, seconds), ("selective", selective, selective_s)):
        gap = 1 - r.allocation.total_fit / single[2]
        print(f"{spec}, {name} reconciliation: cluster up in {started:.1f} s; allocation {s:.1f} s "
              f"(partition {r.seconds['partition']:.1f}, areas {r.seconds['areas']:.1f}, "
              f"reconciliation {r.seconds['reconciliation']:.1f}); speed-up {single[0] / s:.2f}x "
              f"against one process on two threads, {single[1] / s:.2f}x against one thread; "
              f"total fit {r.allocation.total_fit:,.0f} vs {single[2]:,.0f}: gap {gap:.4%}; "
              f"feasible; released per round {r.released}")
    entering = sum(p["job_seekers_entering"] for p in plans.values())
    print(f"  chains per area {chains_s:.1f} s ({entering:,.0f} "
          f"job seekers enter by chains, all checked: {all(p['checker_ok'] for p in plans.values())}); "
          f"forecasts per area (20 draws) {forecast_s:.1f} s")
    return (selective if plan_selective else run), peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--places", type=int, default=75_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    start = time.perf_counter()
    instance = national_instance(people=args.people, opportunities=args.opportunities,
                                 places=args.places, seed=7)
    print(f"national instance: {args.people:,} job seekers, {args.opportunities:,} opportunities, "
          f"{args.places:,} places over 290 municipalities in {len(instance.areas)} FA regions "
          f"(built in {time.perf_counter() - start:.1f} s; {os.cpu_count()} cores)")
    single = single_process(instance)
    print(f"single process: {single[0]:.1f} s on two threads, {single[1]:.1f} s on one; {single[3]:,} arcs, "
          f"total fit {single[2]:,.0f}, peak {peak_mib():.0f} MiB")
    figures: dict[str, float] = {}
    for workers in args.workers:
        run, peaks = run_cluster(instance, f"local:{workers}", single)
        figures = report_areas(run, peaks)
    cross = sum(a.cross_arcs for a in run.areas) / max(sum(a.arcs for a in run.areas), 1)
    # the plan reconciles selectively: its residual flows stay small at any scale
    paper_plan(figures, run.seconds["reconciliation"], args.people, cross, run.released)


if __name__ == "__main__":
    main()
