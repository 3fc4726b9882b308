"""Matching per FA region on Dask against one process: from which size the cluster pays.

For each size (national instances from ``kedja.scale.national``: 290 municipalities, 60 FA
regions; opportunities a quarter and places three eighths of the job seekers, as in
``bench_matching_national``) the same instance is allocated, best of ``--repeat`` runs each:

* **in process** (the baseline, what ``kedja match`` does without ``--cluster``): candidates on
  the default threads (two on two cores) or on one, whichever is faster in the same run, then
  one min-cost flow;
* **on a LocalCluster** of ``--workers`` single-threaded worker processes, the regions grouped
  into ``--bundles`` bundles of about equal people (default two per worker), in the two
  modes of ``partitioned_allocation``: *exact* (the workers score, the client solves one flow
  over the union: the single-process optimum) and *selective* (the workers also allocate
  their bundle's quotas; the client reconciles the people whose reach crosses bundles).

It prints a table per size: in-process seconds, cluster seconds (warm cluster), the ratio,
the fit gap to the in-process optimum of the same run, and the end-to-end time a user sees
when the command also starts its cluster (start-up measured in the same run). With
``--plan`` it also runs one task per FA region (the per-area figures, chains and forecasts
per region, and the paper plan for 10 million job seekers that ``docs/scale.md`` quotes).
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


def _burn(_: int) -> float:
    """Seconds of a fixed pure-Python loop (one core's speed)."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def free_cores(workers: int) -> float:
    """How many cores ``workers`` processes get together right now: the same loop alone, then in
    ``workers`` processes at once (2.0 for two workers on two idle cores; less when other work
    runs on the machine). Printed beside every timing: the cluster needs the cores, one process
    does not."""
    import multiprocessing

    alone = min(_burn(0) for _ in range(2))
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        together = pool.map(_burn, range(workers))
    return workers * alone / max(together)


def single_process(instance, repeat: int, threads: int | None = None) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Best-of seconds in process (scoring on ``threads`` threads, default as ``kedja match``:
    one per core up to two; and one flow), the optimal total fit and the arcs."""
    data = instance.scoring
    best_s = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        c = generate_candidates(data, workers=threads)
        problem = AllocationProblem(len(data.people.ids), data.opportunities.capacity.astype(np.int64),
                                    c.person, c.opportunity, c.fit)
        best = optimal_allocation(problem)
        best_s = min(best_s, time.perf_counter() - start)
        assert is_feasible_allocation(problem, best)
    return best_s, best.total_fit, len(c)


def on_cluster(instance, runner, repeat: int, **mode: object) -> tuple[float, PartitionedAllocation]:  # type: ignore[no-untyped-def]
    """Best-of seconds of ``partitioned_allocation`` on a warm ``runner`` and the last run."""
    best_s = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run = partitioned_allocation(instance.scoring, instance.locality_area, runner, **mode)  # type: ignore[arg-type]
        best_s = min(best_s, time.perf_counter() - start)
        assert is_feasible_allocation(run.problem, run.allocation)
    return best_s, run


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


def plan_run(instance, spec: str) -> None:  # type: ignore[no-untyped-def]
    """One task per FA region (selective), chains and forecasts per region, and the paper plan."""
    with open_runner(spec) as runner:
        runner.map(len, [[0]] * runner.workers)
        start = time.perf_counter()
        run = partitioned_allocation(instance.scoring, instance.locality_area, runner, selective=True)
        seconds = time.perf_counter() - start
        peaks = runner.run_on_workers(resident_mib)
        chains_start = time.perf_counter()
        plans = planned_chains_by_area(instance.chains, runner)
        chains_s = time.perf_counter() - chains_start
        forecast_start = time.perf_counter()
        forecasts_by_area(national_forecast_inputs(seed=1), runner, draws=20, seed=1)
        forecast_s = time.perf_counter() - forecast_start
    people = len(instance.scoring.people.ids)
    print(f"{spec}, one task per FA region ({len(run.areas)}), selective: {seconds:.1f} s "
          f"(areas {run.seconds['areas']:.1f}, reconciliation {run.seconds['reconciliation']:.1f}); "
          f"released per round {run.released}")
    figures = report_areas(run, peaks)
    entering = sum(p["job_seekers_entering"] for p in plans.values())
    print(f"  chains per area {chains_s:.1f} s ({entering:,.0f} "
          f"job seekers enter by chains, all checked: {all(p['checker_ok'] for p in plans.values())}); "
          f"forecasts per area (20 draws) {forecast_s:.1f} s")
    cross = sum(a.cross_arcs for a in run.areas) / max(sum(a.arcs for a in run.areas), 1)
    paper_plan(figures, run.seconds["reconciliation"], people, cross, run.released)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 100_000, 200_000, 400_000],
                        help="job seekers per instance")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bundles", type=int, default=None, help="default: two per worker")
    parser.add_argument("--repeat", type=int, default=2, help="runs per mode; the best counts")
    parser.add_argument("--plan", action="store_true", help="also the per-region run and the paper plan")
    args = parser.parse_args()
    bundles = args.bundles or 2 * args.workers
    spec = f"local:{args.workers}"
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start; "
          f"{spec}, {bundles} bundles of FA regions; best of {args.repeat}")
    rows = []
    for people in args.sizes:
        instance = national_instance(people=people, opportunities=people // 4,
                                     places=people * 3 // 8, seed=7)
        # the baseline is the faster of the default (two scoring threads) and one thread: the
        # threads share the interpreter's lock, and at small sizes one thread can be faster
        default_s, optimum, arcs = single_process(instance, args.repeat)
        one_s, _, _ = single_process(instance, args.repeat, threads=1)
        single_s = min(default_s, one_s)
        print(f"{people:,} job seekers in process: {default_s:.1f} s with two scoring threads, "
              f"{one_s:.1f} s with one; the baseline is {single_s:.1f} s", flush=True)
        cores = free_cores(args.workers)
        start = time.perf_counter()
        with open_runner(spec) as runner:
            runner.map(len, [[0]] * runner.workers)  # the workers' imports, as on a running cluster
            up_s = time.perf_counter() - start
            for mode in ("exact", "selective"):
                seconds, run = on_cluster(instance, runner, args.repeat, bundles=bundles,
                                          **{mode: True})
                gap = 1 - run.allocation.total_fit / optimum
                rows.append((people, mode, single_s, seconds, up_s, gap, cores))
                print(f"{people:,} job seekers ({arcs:,} arcs), {mode}: in process {single_s:.1f} s, "
                      f"cluster {seconds:.1f} s (partition {run.seconds['partition']:.1f}, areas "
                      f"{run.seconds['areas']:.1f}, client flow {run.seconds['reconciliation']:.1f}; "
                      f"bundles {sum(a.seconds for a in run.areas):.1f} s of work, slowest "
                      f"{max(a.seconds for a in run.areas):.1f} s), "
                      f"{single_s / seconds:.2f}x; gap {gap:.4%}; cluster up in {up_s:.1f} s; "
                      f"load average {os.getloadavg()[0]:.1f}, {cores:.1f} cores free for "
                      f"{args.workers} processes", flush=True)
    print(f"\n| job seekers | mode | in process | cluster ({spec}) | ratio | fit gap | "
          "end to end with start-up | ratio end to end | cores free |")
    print("|---|---|---|---|---|---|---|---|---|")
    for people, mode, single_s, seconds, up_s, gap, cores in rows:
        print(f"| {people:,} | {mode} | {single_s:.1f} s | {seconds:.1f} s | {single_s / seconds:.2f}x | "
              f"{gap:.3%} | {seconds + up_s:.1f} s | {single_s / (seconds + up_s):.2f}x | {cores:.1f} |")
    for mode in ("exact", "selective"):
        mine = [r for r in rows if r[1] == mode and r[5] < 0.01]  # within 1 % of the optimum
        faster = [r[0] for r in mine if r[3] < r[2]]
        # the smallest size from which every larger size measured is faster too
        since = next((r[0] for i, r in enumerate(mine) if all(q[3] < q[2] for q in mine[i:])), None)
        start = f"from {since:,} job seekers on" if since is not None else "from no size on"
        print(f"{mode} mode faster than in process (warm cluster) at: "
              f"{', '.join(f'{p:,}' for p in faster) or 'no size'} job seekers; {start}")
    if args.plan:
        plan_run(instance, spec)


if __name__ == "__main__":
    main()
