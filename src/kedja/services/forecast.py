"""Forecast use cases: the regional forecast over the database, municipality views, back-test.

Reads only aggregates (employed counted by municipality and occupation, establishments), so
no person's data is read and no audit entry is needed.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.core.errors import InvalidInput, NotFound
from kedja.core.establishments import Establishment
from kedja.core.spreadsheets import safe_record
from kedja.demo import load_region_pack
from kedja.demo.forecast_inputs import (
    expansion_growth,
    forecast_pack,
    pack_demography,
    pack_occupations,
)
from kedja.forecast.age_backtest import scb_age_backtest
from kedja.forecast.backtest import METHODS, backtest
from kedja.forecast.jsonstat import load_jsonstat
from kedja.forecast.kolada import read_kolada
from kedja.forecast.projection import DemographicRates, project
from kedja.forecast.rates import EstimatedRates, estimate_rates
from kedja.forecast.regional import RegionalForecast, RegionInputs, regional_forecast
from kedja.forecast.scb_history import ScbHistory, read_scb_history
from kedja.forecast.scb_population import population_from_cube
from kedja.forecast.scenarios import SCENARIOS, scenario
from kedja.forecast.schedules import AGES
from kedja.forecast.structure import indicators, pyramid
from kedja.scale.national import national_pack
from kedja.services.cache import cached
from kedja.services.learned_transitions import learned_transitions, transition_probabilities
from kedja.store import session_scope
from kedja.store.forecasting import employed_counts, job_seeker_counts, list_establishments

__all__ = [
    "ESTABLISHMENT_MUNICIPALITIES",
    "ForecastRun",
    "backtest_kolada",
    "gap_decomposition",
    "home_municipality",
    "list_scenarios",
    "municipality_forecast",
    "occupation_gaps",
    "project_scb_population",
    "region_gaps",
    "region_population",
    "run_forecast",
    "transition_reach",
]

LOCAL_MULTIPLIER = 0.5
"""Local non-tradable jobs per new tradable-sector job in Swedish labour markets in the long run:
Moretti & Thulin (2013), *Local multipliers and human capital in the United States and Sweden*,
Industrial and Corporate Change 22(1), 339–362 (ten tradable jobs, about five local jobs)."""
FORECAST_CACHE_SECONDS = 6 * 3600.0
"""A forecast changes only when its inputs do, and imports clear the cache; keep it 6 hours."""
ESTABLISHMENT_MUNICIPALITIES = ("2482", "2580", "2582", "2523", "2584")
SOURCES = ("Källa: Kolada; Källa: SCB (YREG54BAS); "
           "Kedjas demoregion (syntetisk fördelning av de sysselsatta på yrken)")


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
    mixed: np.ndarray = grid / grid.sum(axis=1, keepdims=True)
    return mixed


def _seekers_per_employed(seekers: np.ndarray, employed: np.ndarray) -> np.ndarray:
    totals = employed.sum(axis=1, keepdims=True)
    ratio: np.ndarray = np.divide(seekers, totals, out=np.zeros_like(seekers), where=totals > 0)
    return ratio


def _inputs(engine: Engine, horizon: int, exit_age: int,
            establishment_spread: float | None) -> tuple[RegionInputs, list[Establishment]]:
    with session_scope(engine) as session:
        counts = employed_counts(session)
        seekers = job_seeker_counts(session)
        establishments = list_establishments(session)
    demography, occupations, pack = pack_demography(), pack_occupations(), forecast_pack()
    employed = _grid(counts, demography.codes, occupations.codes)
    counties = tuple(c[:2] for c in demography.codes)
    return RegionInputs(
        rates=pack.rates, counties=counties, employment_by_age=pack.employment_by_age,
        population_error_by_horizon=pack.population_error,
        induced_multiplier=LOCAL_MULTIPLIER,
        trend_by_demand={level: expansion_growth(pack, counties, occupations.codes, level)
                         for level in ("central", "high", "low")},
        municipalities=demography.codes, base_year=demography.base_year,
        base_population=demography.base, net_migration=demography.net,
        occupations=occupations.codes,
        occupation_mix=_mix(employed),
        age_bands=occupations.bands, trend=occupations.trend, horizon=horizon,
        exit_age=exit_age, establishment_spread=establishment_spread,
        reach=transition_reach(occupations.codes),
        entry_paths=pack.entry_matrix(occupations.codes),
        age_net=np.array([pack.age_net.get(c, np.zeros(AGES)) for c in demography.codes]),
        job_seekers_per_employed=_seekers_per_employed(
            _grid(seekers, demography.codes, occupations.codes), employed),
    ), establishments


def run_forecast(engine: Engine, *, scenario_name: str = "as_announced", horizon: int = 2040,
                 draws: int = 0, seed: int = 42, exit_age: int | None = None,
                 establishment_spread: float | None = None) -> ForecastRun:
    """The regional forecast over the database's establishments and employment mix.

    ``exit_age`` defaults to the forecast pack's mean exit age from employment (SCB). Job
    seekers are matched to the short occupations they can reach (``transition_reach``). The
    Monte Carlo bands vary the population and the demand path by their evidence
    (``docs/forecast.md``) and the establishments' headcounts only by the user's own
    ``establishment_spread`` (σ of the log headcount); without it they keep the stated ones.

    Raises:
        NotFound: an unknown scenario.
        InvalidInput: inconsistent inputs (an establishment with an unknown occupation, ...).

    """
    age = forecast_pack().exit_age if exit_age is None else exit_age
    key = f"forecast:{scenario_name}:{horizon}:{draws}:{seed}:{age}:{establishment_spread}"
    return cached(engine, key, lambda: _run_forecast(
        engine, scenario_name, horizon, draws, seed, age, establishment_spread),
        seconds=FORECAST_CACHE_SECONDS)


def _run_forecast(engine: Engine, scenario_name: str, horizon: int, draws: int, seed: int,
                  exit_age: int, establishment_spread: float | None) -> ForecastRun:
    chosen = scenario(scenario_name)
    inputs, establishments = _inputs(engine, horizon, exit_age, establishment_spread)
    forecast = regional_forecast(inputs, establishments, chosen, draws=draws, seed=seed)
    baseline = regional_forecast(inputs, [], chosen)
    return ForecastRun(forecast, dict(zip(pack_demography().codes, pack_demography().names,
                                          strict=True)),
                       pack_occupations().names, establishments, baseline)


def transition_reach(occupations: tuple[str, ...]) -> np.ndarray:
    """``(O, O)``: whether a job seeker last in each occupation has a plausible path into another.

    A path is the occupation itself or a move whose calibrated probability in the learned
    transitions model (trained on SCB's observed occupation switches) reaches the model's
    threshold, the one chosen on held-out moves.
    """
    threshold = learned_transitions().threshold
    reach: np.ndarray = transition_probabilities(occupations) >= threshold
    return reach


def _area_index(run: ForecastRun, area: str | None) -> np.ndarray:
    """Municipality rows of ``area``: a municipality code, a county code (2 digits) or the region."""
    codes = run.forecast.inputs.municipalities
    if area is None:
        return np.arange(len(codes))
    if len(area) == 2:
        rows = np.array([i for i, c in enumerate(codes) if c.startswith(area)], dtype=int)
        if rows.size:
            return rows
    elif area in codes:
        return np.array([codes.index(area)])
    raise NotFound(f"no area {area!r} in the forecast", field="area", value=area,
                   hint="give a municipality code (2584), a county code (25) or nothing")


def _year_index(run: ForecastRun, year: int | None) -> tuple[int, int]:
    years = run.forecast.balance.inputs.years
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise InvalidInput(f"{chosen} is outside the labour balance {years[0]}–{years[-1]}",
                           field="year", value=chosen, hint=f"choose {years[0]}–{years[-1]}")
    return chosen, years.index(chosen)


def occupation_gaps(run: ForecastRun, *, area: str | None = None,
                    year: int | None = None) -> list[dict[str, Any]]:
    """The gap per occupation in ``area`` (municipality, county or region) and ``year``.

    Each row decomposes the gap: ``expansion`` (demand growth) + ``establishments`` (their
    direct headcount over the base year) + ``replacement`` (retirements) − ``entrants`` (new
    workers from the projected population) = ``gap`` (positive = people missing). Rows are
    sorted by gap, largest first; ``employed`` is the base year's employment.
    """
    rows_m = _area_index(run, area)
    chosen, t = _year_index(run, year)
    b = run.forecast.balance
    parts = {"expansion": b.expansion, "establishments": b.establishments,
             "replacement": b.retirements, "entrants": b.entrants, "gap": b.gap,
             "demand": b.demand, "supply": b.supply}
    sums = {k: v[t, rows_m].sum(axis=0) for k, v in parts.items()}
    employed = b.inputs.employed[rows_m].sum(axis=0)
    out = []
    for o in np.argsort(-sums["gap"]):
        code = run.forecast.inputs.occupations[o]
        out.append({"occupation": code, "name": run.occupation_names.get(code, code),
                    "year": chosen, "employed": round(float(employed[o]), 1),
                    **{k: round(float(v[o]), 1) for k, v in sums.items()}})
    return out


def gap_decomposition(run: ForecastRun, *, area: str | None = None,
                      year: int | None = None) -> dict[str, Any]:
    """The total gap of ``area`` in ``year`` split into its four drivers (see ``occupation_gaps``)."""
    rows = occupation_gaps(run, area=area, year=year)
    keys = ("expansion", "establishments", "replacement", "entrants", "gap", "employed")
    total = {k: round(sum(r[k] for r in rows), 1) for k in keys}
    return {"area": area or "region", "year": rows[0]["year"] if rows else year,
            "scenario": run.forecast.scenario.name, **total,
            "gap_per_1000_employed": round(1000 * total["gap"] / total["employed"], 1)
            if total["employed"] else 0.0}


def home_municipality(engine: Engine, organisation_id: str) -> str | None:
    """The municipality of the user's organisation, where the forecast page opens (or None)."""
    from kedja.store.tables import OrganisationRow

    with session_scope(engine) as session:
        row = session.get(OrganisationRow, organisation_id)
        return row.municipality_code if row is not None else None


def list_scenarios() -> list[dict[str, Any]]:
    """The named scenarios and what each changes."""
    return [{"name": s.name, "label": s.label, "establishment_delay": s.establishment_delay,
             "establishment_scale": s.establishment_scale,
             "in_migration_factor": s.in_migration_factor, "demand": s.demand}
            for s in SCENARIOS.values()]


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
    # Each property of the balance computes a whole (years, municipalities, occupations)
    # array: take this municipality's year once.
    gap, gap_base = f.gap[t, m], base.gap[t, m]
    after, index = f.gap_after_matching[t, m], f.shortage_index[t, m]
    matched = f.matched_job_seekers[t, m]
    order = np.argsort(-gap)[:top]
    rows = []
    for o in order:
        code = run.forecast.inputs.occupations[o]
        row = {"occupation": code, "name": run.occupation_names.get(code, code),
               "demand": round(float(f.demand[t, m, o]), 1),
               "supply": round(float(f.supply[t, m, o]), 1),
               "gap": round(float(gap[o]), 1),
               "gap_ageing_only": round(float(gap_base[o]), 1),
               "establishment_effect": round(float(gap[o] - gap_base[o]), 1),
               "retirements": round(float(f.retirements[t, m, o]), 1),
               "matchable_job_seekers": round(float(matched[o]), 1),
               "gap_after_matching": round(float(after[o]), 1),
               "shortage_index": round(float(index[o]), 4)}
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
        "year": chosen, "establishments": [{"id": e.id, "name": e.name,
                                            "headcount_basis": e.headcount_basis} for e in own],
        "driver": "establishments" if own else "ageing",
        "population": _population_view(run, m), "gaps": _gap_rows(run, m, t, top),
        "gap_total": round(float(run.forecast.balance.gap[t, m].sum()), 1),
        "gap_total_ageing_only": round(float(run.baseline.balance.gap[t, m].sum()), 1),
        "exit_age": run.forecast.balance.inputs.exit_age,
        "matched_share": _matched_share(run, m, t),
        "sources": SOURCES,
    }


def _matched_share(run: ForecastRun, m: int, t: int) -> float:
    """Share of municipality ``m``'s job seekers matched in year index ``t`` (0 without any)."""
    b = run.forecast.balance
    seekers = 0.0 if b.inputs.job_seekers is None else float(b.inputs.job_seekers[m].sum())
    if seekers <= 0:
        return 0.0
    return round(float(b.matched_job_seekers[t, m].sum()) / seekers, 4)


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


SCB_HISTORY_FOLDER = "scb_lulea_fa"
"""Folder beside the Kolada folder where ``backtest_kolada`` looks for SCB's single-age files."""
AGE_WINDOWS = ((2009, 2014), (2009, 2019), (2014, 2024))
"""The fit → target windows of the single-age back-test on SCB's history."""


def _scb_history(kolada: Path, scb: Path | None) -> ScbHistory | None:
    folder = scb if scb is not None else kolada.parent / SCB_HISTORY_FOLDER
    if scb is None and not (folder / "population_pre2025.csv").is_file():
        return None
    return read_scb_history(folder)


def _counties(names: tuple[str, ...]) -> list[str | None]:
    pack = national_pack()
    county = {unicodedata.normalize("NFC", n): c[:2]
              for n, c in zip(pack.names, pack.municipality_codes, strict=True)}
    return [county.get(n) for n in names]


def backtest_kolada(folder: Path, *, fit_until: int = 2009, target: int = 2019,
                    details: Path | None = None, scb: Path | None = None) -> dict[str, Any]:
    """Back-test on Kolada's files in ``folder``: upper Norrland's 29 and all municipalities.

    Rates come from SCB's single-age history (``scb``, or ``scb_lulea_fa`` beside ``folder``)
    estimated up to ``fit_until``; without those files, the forecast pack's rates estimated
    the same way up to the latest fit year it keeps (2009, 2014) not after ``fit_until``;
    otherwise (a fit year before any of them) the parametric national schedules. With
    ``details``, also write each municipality's percentage error per method as CSV. The age
    back-test covers Kolada's ages 20–30 and, with SCB's history, single ages 20–64 and
    five-year bands over ``AGE_WINDOWS``.
    """
    history = read_kolada(folder)
    scb_history = _scb_history(folder, scb)
    rates, source = None, "parametric national schedules (docs/forecast.md)"
    if scb_history is not None and fit_until >= scb_history.years[0]:
        rates = estimate_rates(scb_history, fit_until)
        source = "SCB single-age history (BE0101), estimated up to the fit year"
    elif scb_history is None and (rates := forecast_pack().rates_until(fit_until)) is not None:
        source = (f"forecast pack: rates estimated from SCB's single-age history up to "
                  f"{rates.until} (scripts/build_forecast_pack.py)")
    result = backtest(history, fit_until=fit_until, target=target,
                      counties=_counties(history.names), rates=rates)
    if details is not None:
        _write_details(result.per_municipality(), details)
    region = {m.name for m in load_region_pack().municipalities}
    mask = np.array([n in region for n in history.names])
    if mask.sum() != len(region):
        raise InvalidInput(f"found {int(mask.sum())} of the region's {len(region)} municipalities "
                           "in the Kolada files", field="--kolada", value=str(folder),
                           hint="export all 290 municipalities from Kolada")
    ages: dict[str, Any] = {"kolada_ages_20_30": {"upper_norrland": result.ages_summary(mask),
                                                  "all": result.ages_summary()}}
    if scb_history is not None:
        ages["scb_single_ages"] = [scb_age_backtest(scb_history, fit_until=f, target=t)
                                   for f, t in AGE_WINDOWS
                                   if f in scb_history.years and t in scb_history.years]
    return {"upper_norrland": result.summary(mask), "all": result.summary(), "ages": ages,
            "rates": _rates_note(rates, source)}


def _rates_note(rates: EstimatedRates | None, source: str) -> dict[str, Any]:
    if rates is None:
        return {"source": source}
    return {"source": source,
            "years": [rates.years_used[0], rates.years_used[-1]],
            "tfr": round(float(rates.fertility.sum()), 3),
            "mortality_improvement": round(rates.mortality_improvement, 4),
            "county_fertility": {k: round(v, 3) for k, v in rates.county_fertility.items()},
            "county_mortality": {k: round(v, 3) for k, v in rates.county_mortality.items()},
            "international_share_in": round(rates.international_in_share, 3),
            "international_share_out": round(rates.international_out_share, 3)}


def _write_details(rows: list[dict[str, Any]], path: Path) -> None:
    region = {m.name for m in load_region_pack().municipalities}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["name", "upper_norrland", "observed",
                                                    *METHODS])
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
