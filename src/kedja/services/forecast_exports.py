"""Forecast use cases across municipalities: import establishments, rank gaps, compare scenarios."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from kedja.core.errors import Conflict, InvalidInput
from kedja.core.establishments import Establishment
from kedja.core.spreadsheets import safe_record, safe_row
from kedja.forecast.establishments_csv import parse_establishments
from kedja.forecast.scenarios import SCENARIOS
from kedja.services.cache import cached, invalidate
from kedja.services.forecast import (
    FORECAST_CACHE_SECONDS,
    SOURCES,
    ForecastRun,
    gap_decomposition,
    municipality_forecast,
    region_gaps,
    region_population,
    run_forecast,
)
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store.forecasting import known_codes

__all__ = ["RANKING_COLUMNS", "compare_scenarios", "gap_ranking", "import_establishments",
           "ranking_csv", "regional_report", "warm_forecasts", "write_ranking_xlsx"]

RANKING_COLUMNS = ("rank", "municipality", "name", "occupation", "occupation_name", "demand",
                   "supply", "gap", "gap_ageing_only", "gap_after_matching", "shortage_index")


def _check_known(items: list[Establishment], source: str, known: tuple[set[str], ...]) -> None:
    occupations, municipalities, ids = known
    for line, e in enumerate(items, start=2):
        location = f"{source}, line {line}"
        unknown = sorted(set(e.occupation_mix) - occupations)
        if unknown:
            raise InvalidInput(f"establishment {e.id} names unknown occupation code {unknown[0]!r}",
                               field="occupation_mix", value=unknown[0], location=location,
                               hint="use SSYK 2012 codes present in the taxonomy")
        if e.municipality_code not in municipalities:
            raise InvalidInput(f"establishment {e.id} is in unknown municipality "
                               f"{e.municipality_code!r}", field="municipality_code",
                               value=e.municipality_code, location=location,
                               hint="use a municipality code of the region")
        if e.id in ids:
            raise Conflict(f"establishment {e.id!r} already exists", field="id", value=e.id,
                           location=location, hint="give new ids, or remove the old ones first")


def import_establishments(engine: Engine, path: Path) -> list[Establishment]:
    """Import establishments from a CSV file in one transaction: all rows or none.

    Raises:
        InvalidInput: a malformed row, or an unknown occupation or municipality (file, line).
        Conflict: an id that the database already holds.

    """
    items = parse_establishments(path.read_text(encoding="utf-8-sig"), source=path.name)
    with session_scope(engine) as session:
        _check_known(items, path.name, known_codes(session))
        repo.save_establishments(session, items)
    invalidate(engine)
    return items


def gap_ranking(run: ForecastRun, *, year: int | None = None, limit: int | None = None
                ) -> list[dict[str, Any]]:
    """Every municipality × occupation with a positive gap, largest first."""
    balance, base = run.forecast.balance, run.baseline.balance
    years = balance.inputs.years
    t = years.index(year) if year in years else len(years) - 1
    inputs = run.forecast.inputs
    rows: list[dict[str, Any]] = [
        {"municipality": code, "name": run.names[code], "occupation": occ,
         "occupation_name": run.occupation_names.get(occ, occ),
         "demand": round(float(balance.demand[t, m, o]), 1),
         "supply": round(float(balance.supply[t, m, o]), 1),
         "gap": round(float(balance.gap[t, m, o]), 1),
         "gap_ageing_only": round(float(base.gap[t, m, o]), 1),
         "gap_after_matching": round(float(balance.gap_after_matching[t, m, o]), 1),
         "shortage_index": round(float(balance.shortage_index[t, m, o]), 4)}
        for m, code in enumerate(inputs.municipalities)
        for o, occ in enumerate(inputs.occupations) if balance.gap[t, m, o] > 0.5
    ]
    rows.sort(key=lambda r: -r["gap"])
    return [{"rank": i, **r} for i, r in enumerate(rows[:limit] if limit else rows, start=1)]


def ranking_csv(rows: list[dict[str, Any]]) -> str:
    """The ranking as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RANKING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_record(row) for row in rows)
    return buffer.getvalue()


def write_ranking_xlsx(rows: list[dict[str, Any]], path: Path, *, sources: str) -> None:
    """Write the ranking to an Excel workbook, with the sources on a second sheet."""
    from openpyxl import Workbook  # optional dependency (kedja[data])

    book = Workbook()
    sheet = book.active
    sheet.title = "gaps"
    sheet.append(list(RANKING_COLUMNS))
    for row in rows:
        sheet.append(safe_row(row[c] for c in RANKING_COLUMNS))
    book.create_sheet("sources").append(safe_row([sources]))
    book.save(path)


def compare_scenarios(engine: Engine, code: str | None, *, horizon: int = 2040,
                      years: tuple[int, ...] = (2030, 2035)) -> list[dict[str, Any]]:
    """What changes if: the total gap in ``years`` and the horizon, by scenario.

    ``code`` picks one municipality; ``None`` sums the whole region.
    """
    rows = []
    for name, s in SCENARIOS.items():
        run = run_forecast(engine, scenario_name=name, horizon=horizon)
        m: int | slice = slice(None)
        if code is not None:
            if code not in run.forecast.inputs.municipalities:
                municipality_forecast(run, code)  # raises NotFound naming the unknown code
            m = run.forecast.inputs.municipalities.index(code)
        gap = run.forecast.balance.gap
        labour_years = run.forecast.balance.inputs.years
        shown = [y for y in (*years, horizon) if y in labour_years]
        rows.append({"scenario": name, "label": s.label,
                     **{str(y): round(float(gap[labour_years.index(y), m].sum()), 1)
                        for y in shown}})
    return rows


def regional_report(engine: Engine, scenario: str = "as_announced") -> dict[str, Any]:
    """Everything the regional report page shows, computed once per scenario (cached)."""
    def compute() -> dict[str, Any]:
        run = run_forecast(engine, scenario_name=scenario)
        comparison = compare_scenarios(engine, None)
        population = region_population(run)
        return {
            "population": [row for row in population
                           if row["year"] % 5 == 0 or row is population[0]],
            "comparison": comparison,
            "comparison_years": [k for k in comparison[0] if k.isdigit()],
            "municipalities": region_gaps(run),
            "ranking": gap_ranking(run, limit=30),
            "decomposition": gap_decomposition(run),
            "sources": SOURCES,
        }
    return cached(engine, f"forecast_report:{scenario}", compute, seconds=FORECAST_CACHE_SECONDS)


def warm_forecasts(engine: Engine) -> None:
    """Compute every scenario's forecast and the regional report now (``kedja serve`` start)."""
    for name in SCENARIOS:
        run_forecast(engine, scenario_name=name)
    regional_report(engine)
