"""Where collaboration is needed most: areas × occupation fields ranked by four reasons.

Each row is a municipality × occupation field (SSYK 2012 major group, SCB's names). The
reasons, all for the chosen year of the forecast:

1. **relative gap**: the gap per 1,000 employed in the field today;
2. **ageing pressure**: the share of today's workers in the field who retire by then;
3. **job seekers with a plausible path**: the registered job seekers matched to the field's
   short occupations (their last occupation or a plausible transition from it, at most the
   gap; ``labour.LabourBalance.matched_job_seekers``), per 1,000 employed;
4. **actors present**: employers with open vacancies in the field, course providers with
   courses in it, and ASFs with placements in the municipality.

Only rows with a positive gap are ranked. The score is the mean of the four percentile ranks
(equal weights: no evidence favours one reason, and an analyst reads each reason beside the
score). Reads aggregates and organisations only, never a person.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

import numpy as np
from scipy.stats import rankdata
from sqlalchemy import Engine

from kedja.core.opportunities import OpportunityKind
from kedja.demo.forecast_inputs import region_boundaries
from kedja.services.cache import cached
from kedja.services.forecast import FORECAST_CACHE_SECONDS, run_forecast
from kedja.store import session_scope
from kedja.store.forecasting import actors_by_place

__all__ = ["COLLABORATION_COLUMNS", "FIELDS", "collaboration_csv", "collaboration_ranking",
           "municipality_scores", "region_boundaries"]

FIELDS = {
    "0": "Militärt arbete", "1": "Chefsyrken",
    "2": "Yrken med krav på fördjupad högskolekompetens",
    "3": "Yrken med krav på högskolekompetens eller motsvarande",
    "4": "Yrken inom administration och kundtjänst",
    "5": "Service-, omsorgs- och försäljningsyrken",
    "6": "Yrken inom lantbruk, trädgård, skogsbruk och fiske",
    "7": "Yrken inom byggverksamhet och tillverkning",
    "8": "Yrken inom maskinell tillverkning och transport m.m.",
    "9": "Yrken med krav på kortare utbildning eller introduktion",
}
"""SSYK 2012 major groups (SCB, *SSYK 2012*), the occupation fields of the ranking."""
COLLABORATION_COLUMNS = ("rank", "municipality", "name", "field", "field_name", "score",
                         "gap", "gap_per_1000", "ageing_pressure", "path_job_seekers",
                         "employers", "course_providers", "asfs", "top_occupations", "reasons")
_REASONS = {"gap_per_1000": "stort gap per 1 000 sysselsatta",
            "ageing_pressure": "många pensionsavgångar",
            "path_seekers_per_1000": "arbetssökande med en rimlig väg in",
            "actors": "aktörer finns på plats"}


def _actors(engine: Engine) -> dict[tuple[str, str], dict[str, set[str]]]:
    with session_scope(engine) as session:
        rows = actors_by_place(session)
    out: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"employers": set(), "course_providers": set(), "asfs": set()})
    for municipality, kind, occupation, name, capacity in rows:
        if kind == OpportunityKind.ASF_PLACEMENT.value and capacity > 0:
            for field in FIELDS:
                out[(municipality, field)]["asfs"].add(name)
        elif occupation and kind == OpportunityKind.JOB.value:
            out[(municipality, occupation[0])]["employers"].add(name)
        elif occupation and kind == OpportunityKind.TRAINING.value:
            out[(municipality, occupation[0])]["course_providers"].add(name)
    return out


def _cells(engine: Engine, scenario: str, year: int | None) -> tuple[list[dict[str, Any]], int]:
    run = run_forecast(engine, scenario_name=scenario)
    b = run.forecast.balance
    years = b.inputs.years
    t = years.index(year) if year in years else len(years) - 1
    fields = np.array([o[0] for o in run.forecast.inputs.occupations])
    seekers = b.matched_job_seekers[t]
    actors = _actors(engine)
    rows = []
    for m, code in enumerate(run.forecast.inputs.municipalities):
        for field in FIELDS:
            pick = fields == field
            employed = float(b.inputs.employed[m, pick].sum())
            gap = float(b.gap[t, m, pick].sum())
            if not pick.any() or employed <= 0 or gap <= 0:
                continue
            top = np.flatnonzero(pick)[np.argsort(-b.gap[t, m, pick])[:3]]
            present = actors[(code, field)]
            rows.append({
                "municipality": code, "name": run.names[code], "field": field,
                "field_name": FIELDS[field], "gap": round(gap, 1),
                "gap_per_1000": round(1000 * gap / employed, 1),
                "ageing_pressure": round(float(b.retirements[t, m, pick].sum()) / employed, 4),
                "path_job_seekers": round(min(float(seekers[m, pick].sum()), gap), 1),
                "employers": len(present["employers"]),
                "course_providers": len(present["course_providers"]),
                "asfs": len(present["asfs"]),
                "actor_names": sorted(present["employers"] | present["course_providers"]
                                      | present["asfs"])[:3],
                "top_occupations": [{"occupation": run.forecast.inputs.occupations[o],
                                     "name": run.occupation_names.get(
                                         run.forecast.inputs.occupations[o], ""),
                                     "gap": round(float(b.gap[t, m, o]), 1)}
                                    for o in top if b.gap[t, m, o] > 0],
                "employed": employed,
            })
    return rows, years[t]


def collaboration_ranking(engine: Engine, *, scenario: str = "as_announced",
                          year: int | None = None, limit: int | None = None) -> dict[str, Any]:
    """The ranked list with its reasons and the actors to bring together (cached)."""
    def compute() -> dict[str, Any]:
        rows, chosen = _cells(engine, scenario, year)
        if rows:
            criteria = {
                "gap_per_1000": [r["gap_per_1000"] for r in rows],
                "ageing_pressure": [r["ageing_pressure"] for r in rows],
                "path_seekers_per_1000": [1000 * r["path_job_seekers"] / r["employed"]
                                          for r in rows],
                "actors": [r["employers"] + r["course_providers"] + r["asfs"] for r in rows],
            }
            ranks = {k: rankdata(v) / len(v) for k, v in criteria.items()}
            for i, r in enumerate(rows):
                own = {k: float(v[i]) for k, v in ranks.items()}
                r["score"] = round(float(np.mean(list(own.values()))), 4)
                r["reasons"] = [_REASONS[k] for k, v in sorted(own.items(), key=lambda x: -x[1])
                                if v >= 0.75][:3]
                del r["employed"]
        rows.sort(key=lambda r: (-r["score"], -r["gap"]))
        for i, r in enumerate(rows, start=1):
            r["rank"] = i
        run = run_forecast(engine, scenario_name=scenario)
        return {"year": chosen, "scenario": scenario, "rows": rows, "names": run.names,
                "method": "mean percentile rank of four reasons (docs/forecast.md)"}
    result: dict[str, Any] = cached(engine, f"collaboration:{scenario}:{year}", compute,
                                    seconds=FORECAST_CACHE_SECONDS)
    if limit is not None:
        return {**result, "rows": result["rows"][:limit]}
    return result


def municipality_scores(ranking: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each municipality's best-ranked row (for the map)."""
    best: dict[str, dict[str, Any]] = {}
    for r in ranking["rows"]:
        best.setdefault(r["municipality"], r)
    return best


def collaboration_csv(ranking: dict[str, Any]) -> str:
    """The ranking as CSV (one row per municipality × field; lists joined with '; ')."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLLABORATION_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in ranking["rows"]:
        writer.writerow({**r, "top_occupations": "; ".join(
            f"{o['name']} ({o['gap']:.0f})" for o in r["top_occupations"]),
            "reasons": "; ".join(r["reasons"])})
    return buffer.getvalue()
