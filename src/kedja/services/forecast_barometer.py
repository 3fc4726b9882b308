"""Comparing the forecast with Arbetsförmedlingen's Yrkesbarometer, county by county."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from kedja.core.errors import InvalidInput
from kedja.demo.forecast_inputs import forecast_pack
from kedja.forecast.barometer import BarometerEntry, compare_with_barometer, parse_barometer
from kedja.services.forecast import ForecastRun, occupation_gaps, run_forecast

__all__ = ["REGION_COUNTIES", "barometer_comparison", "compare_barometer", "county_shortage",
           "read_barometer"]

REGION_COUNTIES = {"24": "Västerbottens län", "25": "Norrbottens län"}
OUTLOOK_YEARS = 5  # the barometer's outlook looks five years ahead


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InvalidInput(f"cannot read {path} as JSON: {error}", field="path", value=str(path),
                           hint="give the barometer and county files as exported") from error


def read_barometer(barometer: Path, counties: Path) -> tuple[list[BarometerEntry], dict[str, str]]:
    """Parse the barometer file with its county list (name → id)."""
    names: dict[str, str] = _json(counties)
    return parse_barometer(_json(barometer), names), names


def _read_key(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"barometer_id", "ssyk"} <= set(rows[0]):
        raise InvalidInput("the key lacks the columns barometer_id and ssyk", field="columns",
                           location=f"{path.name}, line 1", hint="give a header barometer_id,ssyk")
    return {r["barometer_id"].strip(): r["ssyk"].strip() for r in rows}


def county_shortage(run: ForecastRun, county_code: str, year: int) -> dict[str, float]:
    """The forecast's shortage index per occupation over a county's municipalities in ``year``."""
    balance = run.forecast.balance
    t = balance.inputs.years.index(year)
    rows = [m for m, code in enumerate(balance.inputs.municipalities)
            if code.startswith(county_code)]
    gap = balance.gap[t, rows].sum(axis=0)
    demand = balance.demand[t, rows].sum(axis=0)
    index = np.divide(gap, demand, out=np.zeros_like(gap), where=demand > 0)
    return dict(zip(balance.inputs.occupations, (float(v) for v in index), strict=True))


def barometer_comparison(engine: Engine, barometer: Path, counties: Path,
                         key: Path | None = None) -> dict[str, Any]:
    """Per county of the region: the barometer's levels and, given a key, rank agreement.

    The key (CSV ``barometer_id,ssyk``) maps the barometer's occupation ids to SSYK codes; the
    shared data holds no such correspondence, so without one only the barometer's own figures
    are returned.
    """
    entries, names = read_barometer(barometer, counties)
    run = run_forecast(engine)
    year = run.forecast.balance.inputs.years[0] + OUTLOOK_YEARS
    ssyk_of = _read_key(key) if key else {}
    result: dict[str, Any] = {"year": year, "counties": {},
                              "source": "JobTech/Arbetsförmedlingen (Yrkesbarometer)"}
    for code, name in REGION_COUNTIES.items():
        own = [e for e in entries if e.county_name == name]
        summary: dict[str, Any] = {
            "occupations": len(own),
            "opportunities": dict(sorted(Counter(e.opportunities for e in own).items())),
            "outlook": dict(sorted(Counter(e.outlook for e in own).items())),
        }
        if ssyk_of:
            summary["comparison"] = compare_with_barometer(
                entries, county_id=names[name], ssyk_of=ssyk_of,
                shortage=county_shortage(run, code, year))
        result["counties"][name] = summary
    return result


def _direction(value: float, *, neutral: float, tolerance: float) -> int:
    return 0 if abs(value - neutral) <= tolerance else (1 if value > neutral else -1)


def compare_barometer(engine: Engine, *, scenario_name: str = "as_announced",
                      years_ahead: int = OUTLOOK_YEARS, top: int = 10) -> dict[str, Any]:
    """Kedja's shortage per occupation and county against Yrkesbarometer (the forecast pack).

    Kedja's side is the shortage index (gap / demand) over the county's municipalities
    ``years_ahead`` after the labour base year; Arbetsförmedlingen's side is the barometer's
    job opportunities now (1 small = surplus of people, 2 medium, 3 large = shortage), mean
    over the barometer occupations of the SSYK group. The expansion path uses only the
    barometer's *outlook*, never the opportunities, so the comparison is not circular.
    Agreement: Spearman's rank correlation, and the share of occupations in the same
    direction (Kedja: a shortage index beyond the forecast's own error ``years_ahead`` years
    out, the back-test's root mean square percentage error of the population at that horizon
    in the forecast pack, is a shortage or a surplus, within it balance; barometer: the mean
    rounded to the nearest of its three levels, above 2.5 = shortage, below 1.5 = surplus).
    The disagreements with the largest shortage index differences are listed with Kedja's
    drivers (the reasons).
    """
    from scipy.stats import spearmanr  # imported here: scipy.stats is slow to load

    run = run_forecast(engine, scenario_name=scenario_name)
    year = run.forecast.balance.inputs.years[0] + years_ahead
    pack = forecast_pack()
    errors = pack.population_error
    tolerance = float(errors[min(years_ahead, len(errors) - 1)]) / 100.0
    result: dict[str, Any] = {"year": year, "scenario": scenario_name, "counties": {},
                              "balance_tolerance": round(tolerance, 4),
                              "source": "JobTech/Arbetsförmedlingen (Yrkesbarometer); Kedja"}
    for code, name in REGION_COUNTIES.items():
        shortage = county_shortage(run, code, year)
        drivers = {r["occupation"]: r for r in occupation_gaps(run, area=code, year=year)}
        cells = [(ssyk, now, shortage[ssyk]) for ssyk, (now, _) in
                 pack.barometer.get(code, {}).items() if ssyk in shortage]
        kedja_dir = [_direction(s, neutral=0.0, tolerance=tolerance) for _, _, s in cells]
        af_dir = [_direction(b, neutral=2.0, tolerance=0.5) for _, b, _ in cells]
        same = [k == a for k, a in zip(kedja_dir, af_dir, strict=True)]
        rho = spearmanr([b for _, b, _ in cells], [s for _, _, s in cells])
        disagreements = sorted(
            (i for i, ok in enumerate(same) if not ok),
            key=lambda i: -abs(cells[i][2] - (cells[i][1] - 2.0) / 10))[:top]
        result["counties"][name] = {
            "occupations": len(cells),
            "spearman_rho": round(float(rho[0]), 4), "p_value": round(float(rho[1]), 4),
            "share_same_direction": round(sum(same) / len(same), 4) if same else None,
            "disagreements": [_disagreement(cells[i], kedja_dir[i], af_dir[i], drivers,
                                            run.occupation_names) for i in disagreements],
        }
    return result


_WORDS = {1: "brist", 0: "balans", -1: "överskott"}


def _disagreement(cell: tuple[str, float, float], kedja: int, af: int,
                  drivers: dict[str, dict[str, Any]], names: dict[str, str]) -> dict[str, Any]:
    ssyk, opportunities, index = cell
    d = drivers.get(ssyk, {})
    reason = max(("replacement", "expansion", "establishments", "entrants"),
                 key=lambda k: abs(float(d.get(k, 0.0))))
    return {"ssyk": ssyk, "name": names.get(ssyk, ssyk), "kedja": _WORDS[kedja],
            "arbetsformedlingen": _WORDS[af], "shortage_index": round(index, 4),
            "barometer_opportunities": opportunities, "main_driver": reason,
            **{k: d.get(k) for k in ("replacement", "expansion", "establishments", "entrants")}}
