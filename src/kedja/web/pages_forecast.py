"""The forecast page: a municipality's population outlook and gaps by occupation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from kedja.core.access import Permission
from kedja.services import forecast as forecasting
from kedja.services import forecast_exports as exports
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["gap_chart_spec", "pyramid_chart_spec", "router"]

router = APIRouter(include_in_schema=False,
                   dependencies=[Depends(require(Permission.READ_AGGREGATES))])


def gap_chart_spec(view: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite bar chart of the gap by occupation: ageing-only part and establishments."""
    values = []
    for r in view["gaps"]:
        values.append({"occupation": r["name"], "part": "ageing and trend",
                       "people": r["gap_ageing_only"]})
        values.append({"occupation": r["name"], "part": "establishments",
                       "people": r["establishment_effect"]})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"Gap by occupation in {view['name']} {view['year']}",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "occupation", "type": "nominal", "sort": "-x"},
            "x": {"field": "people", "type": "quantitative", "stack": "zero"},
            "color": {"field": "part", "type": "nominal"},
        },
    }


def pyramid_chart_spec(view: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite population pyramid: men to the left, women to the right, base vs horizon."""
    pyramid = view["population"]["pyramid"]
    values = [
        {"ages": row["ages"], "year": str(pyramid[f"{when}_year"]), "sex": sex,
         "people": (-1 if sex == "men" else 1) * round(float(row[sex]))}
        for when in ("base", "horizon") for row in pyramid[when] for sex in ("women", "men")
    ]
    order = [row["ages"] for row in reversed(pyramid["base"])]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"Population pyramid of {view['name']}",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "ages", "type": "ordinal", "sort": order},
            "x": {"field": "people", "type": "quantitative", "stack": None},
            "color": {"field": "sex", "type": "nominal"},
            "opacity": {"field": "year", "type": "nominal"},
        },
    }


@router.get("/forecast/gaps.csv", response_class=PlainTextResponse)
def gaps_csv(engine: EngineDep, scenario: str = "as_announced") -> PlainTextResponse:
    """Download the ranking of gaps as CSV."""
    run = forecasting.run_forecast(engine, scenario_name=scenario)
    return PlainTextResponse(
        exports.ranking_csv(exports.gap_ranking(run)), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="kedja-gaps-{scenario}.csv"'})


@router.get("/forecast/report", response_class=HTMLResponse)
def report_page(request: Request, engine: EngineDep,
                scenario: str = "as_announced") -> HTMLResponse:
    """Show the printable regional report: outlook, scenarios, municipalities, largest gaps."""
    report = exports.regional_report(engine, scenario)
    return render(request, "forecast_report.html", {
        "active": "forecast", "scenario": scenario, **report})


@router.get("/forecast", response_class=HTMLResponse)
@router.get("/forecast/{code}", response_class=HTMLResponse)
def forecast_page(request: Request, engine: EngineDep, code: str = "2482",
                  scenario: str = "as_announced", draws: int = 0) -> HTMLResponse:
    """Show one municipality's forecast, scenario comparison and the region's ranking of gaps.

    ``draws`` (at most 200) adds the Monte Carlo 10–90 % band to the gap table.
    """
    run = forecasting.run_forecast(engine, scenario_name=scenario, draws=min(max(draws, 0), 200))
    view = forecasting.municipality_forecast(run, code)
    comparison = exports.compare_scenarios(engine, code)
    return render(request, "forecast.html", {
        "active": "forecast", "view": view, "region": forecasting.region_gaps(run),
        "scenarios": forecasting.list_scenarios(), "chart": gap_chart_spec(view),
        "pyramid_chart": pyramid_chart_spec(view),
        "comparison": comparison,
        "comparison_years": [k for k in comparison[0] if k.isdigit()],
    })
