"""Chain planning and forecasts per FA region, as independent tasks on a runner.

Vacancy chains stay inside a commuting zone (an employee moves up where they work, the job
they free goes to a job seeker who can reach it), and the regional forecast is a sum over
municipalities, so both split by FA region with no reconciliation: each region's chain plan
is checked by :func:`kedja.chains.is_valid_chain_plan` on its worker, and the national figures
are the sums of the regions'. Inputs travel as one-row Arrow tables
(:func:`kedja.scale.arrow.arrays_to_table`).

Examples:
    >>> from kedja.scale.national import national_instance
    >>> from kedja.scale.cluster import open_runner
    >>> instance = national_instance(people=1_000, opportunities=250, places=350, seed=2)
    >>> with open_runner(None) as runner:
    ...     plans = planned_chains_by_area(instance.chains, runner)
    >>> len(plans), all(p["checker_ok"] for p in plans.values())
    (60, True)
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from kedja.chains.checker import is_valid_chain_plan
from kedja.chains.model import ChainProblem
from kedja.chains.optimise import optimise_chains
from kedja.forecast.regional import RegionInputs, regional_forecast
from kedja.forecast.scenarios import SCENARIOS
from kedja.scale.arrow import arrays_to_table, table_to_arrays
from kedja.scale.cluster import Runner

__all__ = ["forecast_area", "forecasts_by_area", "plan_area_chains", "planned_chains_by_area"]


def plan_area_chains(table: pa.Table) -> dict[str, Any]:
    """One region's planned chains, checked: counts and seconds."""
    start = time.perf_counter()
    problem = table_to_arrays(ChainProblem, table)
    plan = optimise_chains(problem)
    return {"employees": problem.n_employees, "seekers": problem.n_seekers, "moves": problem.n_moves,
            "chains": len(plan.chains), **{k: float(v) for k, v in plan.summary.items()},
            "checker_ok": bool(is_valid_chain_plan(problem, plan)),
            "seconds": time.perf_counter() - start}


def planned_chains_by_area(problems: Mapping[str, ChainProblem], runner: Runner) -> dict[str, dict[str, Any]]:
    """Each region's planned chains (see :func:`plan_area_chains`), by region code."""
    areas = sorted(problems)
    results = runner.map(plan_area_chains, [arrays_to_table(problems[a]) for a in areas])
    return dict(zip(areas, results, strict=True))


def forecast_area(table: pa.Table, scenario: str, draws: int, seed: int) -> dict[str, Any]:
    """One region's forecast: the gap per year summed over its municipalities and occupations."""
    start = time.perf_counter()
    inputs = table_to_arrays(RegionInputs, table)
    run = regional_forecast(inputs, [], SCENARIOS[scenario], draws=draws, seed=seed)
    gap = run.balance.gap.sum(axis=(1, 2))
    out: dict[str, Any] = {"municipalities": len(inputs.municipalities),
                           "years": list(run.balance.inputs.years), "gap": gap.round(1).tolist()}
    if run.gap_low is not None and run.gap_high is not None:
        out["gap_low"] = run.gap_low.sum(axis=(1, 2)).round(1).tolist()
        out["gap_high"] = run.gap_high.sum(axis=(1, 2)).round(1).tolist()
    out["seconds"] = time.perf_counter() - start
    return out


def forecasts_by_area(inputs: Mapping[str, RegionInputs], runner: Runner, *, scenario: str = "as_announced",
                      draws: int = 0, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Each region's forecast (see :func:`forecast_area`), by region code.

    Region ``i`` of the sorted codes draws with seed ``seed + i``.
    """
    areas = sorted(inputs)
    tables = [arrays_to_table(inputs[a]) for a in areas]
    seeds = np.arange(len(areas)) + seed
    results = runner.map(_forecast_item, list(zip(tables, seeds.tolist(), strict=True)), scenario, draws)
    return dict(zip(areas, results, strict=True))


def _forecast_item(item: tuple[pa.Table, int], scenario: str, draws: int) -> dict[str, Any]:
    return forecast_area(item[0], scenario, draws, item[1])
