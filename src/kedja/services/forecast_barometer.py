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
from kedja.forecast.barometer import BarometerEntry, compare_with_barometer, parse_barometer
from kedja.services.forecast import ForecastRun, run_forecast

__all__ = ["REGION_COUNTIES", "barometer_comparison", "county_shortage", "read_barometer"]

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
