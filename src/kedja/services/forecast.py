"""Forecast use cases: the regional forecast over the database, municipality views, back-test.

Reads only aggregates (employed counted by municipality and occupation, establishments), so
no person's data is read and no audit entry is needed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.core.errors import InvalidInput, NotFound
from kedja.core.establishments import Establishment
from kedja.core.spreadsheets import safe_record
from kedja.demo import load_region_pack
from kedja.demo.forecast_inputs import pack_demography, pack_occupations
from kedja.forecast.backtest import backtest
from kedja.forecast.jsonstat import load_jsonstat
from kedja.forecast.kolada import read_kolada
from kedja.forecast.projection import DemographicRates, project
from kedja.forecast.regional import RegionalForecast, RegionInputs, regional_forecast
from kedja.forecast.scb_population import population_from_cube
from kedja.forecast.scenarios import SCENARIOS, scenario
from kedja.forecast.structure import indicators, pyramid
from kedja.services.cache import cached
from kedja.store import session_scope
from kedja.store.forecasting import employed_counts, job_seeker_counts, list_establishments

__all__ = [
    "ESTABLISHMENT_MUNICIPALITIES",
    "ForecastRun",
    "backtest_kolada",
    "list_scenarios",
    "municipality_forecast",
    "project_scb_population",
    "region_gaps",
    "region_population",
    "run_forecast",
]

ESTABLISHMENT_MUNICIPALITIES = ("2482", "2580", "2582", "2523", "2584")
SOURCES = "Källa: Kolada; Källa: SCB (YREG54BAS); Kedja demo region (synthetic employment mix)"


@dataclass(frozen=True)
class ForecastRun:
    """A forecast with the names that label it."""

    forecast: RegionalForecast
    names: dict[str, str]
    occupation_names: dict[str, str]
    establishments: list[Establishment]
    baseline: RegionalForecast  # the same forecast without establishments


def _grid(counts: dict[tuple[str, str], int], codes: tuple[str, ...],
          occupations: tuple[str, ...]) -> np.ndarray:
    m_index = {c: i for i, c in enumerate(codes)}
    o_index = {c: i for i, c in enumerate(occupations)}
    grid = np.zeros((len(codes), len(occupations)))
    for (m, o), n in counts.items():
        if m in m_index and o in o_index:
            grid[m_index[m], o_index[o]] += n
    return grid


def _mix(grid: np.ndarray) -> np.ndarray:
    grid = grid.copy()
    regional = grid.sum(axis=0)
    empty = grid.sum(axis=1) == 0
    grid[empty] = regional if regional.sum() else 1.0
    return grid / grid.sum(axis=1, keepdims=True)


def _seekers_per_employed(seekers: np.ndarray, employed: np.ndarray) -> np.ndarray:
    totals = employed.sum(axis=1, keepdims=True)
    return np.divide(seekers, totals, out=np.zeros_like(seekers), where=totals > 0)


def _inputs(engine: Engine, horizon: int, exit_age: int, employment_rate: float,
            matchable_share: float) -> tuple[RegionInputs, list[Establishment]]:
    with session_scope(engine) as session:
        counts = employed_counts(session)
        seekers = job_seeker_counts(session)
        establishments = list_establishments(session)
    demography, occupations = pack_demography(), pack_occupations()
    employed = _grid(counts, demography.codes, occupations.codes)
    return RegionInputs(
        municipalities=demography.codes, base_year=demography.base_year,
        base_population=demography.base, net_migration=demography.net,
        occupations=occupations.codes,
        occupation_mix=_mix(employed),
        age_bands=occupations.bands, trend=occupations.trend, horizon=horizon,
        exit_age=exit_age, employment_rate=employment_rate, matchable_share=matchable_share,
        job_seekers_per_employed=_seekers_per_employed(
            _grid(seekers, demography.codes, occupations.codes), employed),
    ), establishments


def run_forecast(engine: Engine, *, scenario_name: str = "as_announced", horizon: int = 2040,
                 draws: int = 0, seed: int = 42, exit_age: int = 65,
                 employment_rate: float = 0.80, matchable_share: float = 0.5) -> ForecastRun:
    """The regional forecast over the database's establishments and employment mix.

    Raises:
        NotFound: an unknown scenario.
        InvalidInput: inconsistent inputs (an establishment with an unknown occupation, ...).

    """
    key = f"forecast:{scenario_name}:{horizon}:{draws}:{seed}:{exit_age}:{employment_rate}:" \
          f"{matchable_share}"
    return cached(engine, key, lambda: _run_forecast(
        engine, scenario_name, horizon, draws, seed, exit_age, employment_rate, matchable_share))


def _run_forecast(engine: Engine, scenario_name: str, horizon: int, draws: int, seed: int,
                  exit_age: int, employment_rate: float, matchable_share: float) -> ForecastRun:
    chosen = scenario(scenario_name)
    inputs, establishments = _inputs(engine, horizon, exit_age, employment_rate,
                                     matchable_share)
    forecast = regional_forecast(inputs, establishments, chosen, draws=draws, seed=seed)
    baseline = regional_forecast(inputs, [], chosen)
    return ForecastRun(forecast, dict(zip(pack_demography().codes, pack_demography().names,
                                          strict=True)),
                       pack_occupations().names, establishments, baseline)


def list_scenarios() -> list[dict[str, Any]]:
    """The named scenarios and what each changes."""
    return [{"name": s.name, "label": s.label, "establishment_delay": s.establishment_delay,
             "establishment_scale": s.establishment_scale,
             "in_migration_factor": s.in_migration_factor} for s in SCENARIOS.values()]


def _index(run: ForecastRun, code: str) -> int:
    codes = run.forecast.inputs.municipalities
    if code not in codes:
        raise NotFound(f"no municipality {code!r} in the forecast", field="code", value=code,
                       hint="use a code of the region, for instance 2580 (Luleå)")
    return codes.index(code)


def _population_view(run: ForecastRun, m: int) -> dict[str, Any]:
    path = run.forecast.population[:, m]
    years = run.forecast.population_years
    return {
        "years": [{"year": y, **{k: round(v, 4) for k, v in indicators(path[i]).items()}}
                  for i, y in enumerate(years)],
        "pyramid": {"base": pyramid(path[0]), "horizon": pyramid(path[-1]),
                    "base_year": years[0], "horizon_year": years[-1]},
    }


def _gap_rows(run: ForecastRun, m: int, t: int, top: int) -> list[dict[str, Any]]:
    f, base = run.forecast.balance, run.baseline.balance
    order = np.argsort(-f.gap[t, m])[:top]
    rows = []
    for o in order:
        code = run.forecast.inputs.occupations[o]
        row = {"occupation": code, "name": run.occupation_names.get(code, code),
               "demand": round(float(f.demand[t, m, o]), 1),
               "supply": round(float(f.supply[t, m, o]), 1),
               "gap": round(float(f.gap[t, m, o]), 1),
               "gap_ageing_only": round(float(base.gap[t, m, o]), 1),
               "establishment_effect": round(float(f.gap[t, m, o] - base.gap[t, m, o]), 1),
               "retirements": round(float(f.retirements[t, m, o]), 1),
               "matchable_job_seekers": round(float(f.matched_job_seekers[m, o]), 1),
               "gap_after_matching": round(float(f.gap_after_matching[t, m, o]), 1),
               "shortage_index": round(float(f.shortage_index[t, m, o]), 4)}
        if run.forecast.gap_low is not None and run.forecast.gap_high is not None:
            row["gap_p10"] = round(float(run.forecast.gap_low[t, m, o]), 1)
            row["gap_p90"] = round(float(run.forecast.gap_high[t, m, o]), 1)
        rows.append(row)
    return rows


def municipality_forecast(run: ForecastRun, code: str, *, year: int | None = None,
                          top: int = 15) -> dict[str, Any]:
    """Population indicators, pyramid and the largest gaps by occupation in one municipality."""
    m = _index(run, code)
    years = run.forecast.balance.inputs.years
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise InvalidInput(f"{chosen} is outside the labour balance {years[0]}–{years[-1]}",
                           field="year", value=chosen, hint=f"choose {years[0]}–{years[-1]}")
    t = years.index(chosen)
    own = [e for e in run.establishments if e.municipality_code == code]
    return {
        "code": code, "name": run.names[code], "scenario": run.forecast.scenario.name,
        "year": chosen, "establishments": [{"id": e.id, "name": e.name} for e in own],
        "driver": "establishments" if own else "ageing",
        "population": _population_view(run, m), "gaps": _gap_rows(run, m, t, top),
        "gap_total": round(float(run.forecast.balance.gap[t, m].sum()), 1),
        "gap_total_ageing_only": round(float(run.baseline.balance.gap[t, m].sum()), 1),
        "sources": SOURCES,
    }


def project_scb_population(path: Path, *, year: str, horizon: int = 2040
                           ) -> dict[str, list[dict[str, float]]]:
    """Project every region of an SCB population cube (JSON-stat 2) with national schedules.

    No migration: the result shows the natural change and ageing of today's population.
    """
    regions, base = population_from_cube(load_jsonstat(path), year=year)
    steps = horizon - int(year)
    if steps < 1:
        raise InvalidInput(f"horizon {horizon} is not after {year}", field="--horizon",
                           value=horizon, hint="choose a later horizon")
    path_ = project(base, DemographicRates.national(), steps)
    return {region: [{"year": int(year) + t, **{k: round(v, 4) for k, v in
                                                indicators(path_[t, r]).items()}}
                     for t in range(steps + 1)]
            for r, region in enumerate(regions)}


def backtest_kolada(folder: Path, *, fit_until: int = 2009, target: int = 2019,
                    details: Path | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Back-test on Kolada's files in ``folder``: upper Norrland's 29 and all municipalities.

    With ``details``, also write each municipality's percentage error per method as CSV.
    """
    history = read_kolada(folder)
    result = backtest(history, fit_until=fit_until, target=target)
    if details is not None:
        _write_details(result.per_municipality(), details)
    region = {m.name for m in load_region_pack().municipalities}
    mask = np.array([n in region for n in history.names])
    if mask.sum() != len(region):
        raise InvalidInput(f"found {int(mask.sum())} of the region's {len(region)} municipalities "
                           "in the Kolada files", field="--kolada", value=str(folder),
                           hint="export all 290 municipalities from Kolada")
    return {"upper_norrland": result.summary(mask), "all": result.summary()}


def _write_details(rows: list[dict[str, Any]], path: Path) -> None:
    region = {m.name for m in load_region_pack().municipalities}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["name", "upper_norrland", "observed",
                                                    "model", "unchanged", "linear_trend"])
        writer.writeheader()
        writer.writerows(safe_record({**r, "upper_norrland": r["name"] in region}) for r in rows)


def region_population(run: ForecastRun) -> list[dict[str, float]]:
    """The whole region's population indicators per year (the 29 municipalities summed)."""
    total = run.forecast.population.sum(axis=1)
    return [{"year": y, **{k: round(v, 4) for k, v in indicators(total[i]).items()}}
            for i, y in enumerate(run.forecast.population_years)]


def region_gaps(run: ForecastRun) -> list[dict[str, Any]]:
    """Per municipality at the horizon: total gap, the ageing-only gap and the indicators."""
    f, base = run.forecast.balance, run.baseline.balance
    rows = []
    for m, code in enumerate(run.forecast.inputs.municipalities):
        last = indicators(run.forecast.population[-1, m])
        rows.append({
            "code": code, "name": run.names[code],
            "gap": round(float(f.gap[-1, m].sum()), 1),
            "gap_ageing_only": round(float(base.gap[-1, m].sum()), 1),
            "gap_per_1000_employed": round(1000 * float(f.gap[-1, m].sum())
                                           / max(float(f.inputs.employed[m].sum()), 1.0), 1),
            "population": round(last["population"]),
            "old_age_dependency": round(last["old_age_dependency"], 4),
            "driver": "establishments" if code in {e.municipality_code for e in run.establishments}
            else "ageing",
        })
    return sorted(rows, key=lambda r: -r["gap_per_1000_employed"])
