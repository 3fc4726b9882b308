"""The forecast page: a municipality's population outlook and gaps by occupation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services import forecast as forecasting
from kedja.services import forecast_collaboration as collaboration
from kedja.services import forecast_exports as exports
from kedja.web import i18n
from kedja.web.charts import choropleth_spec
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["decomposition_chart_spec", "gap_chart_spec", "pyramid_chart_spec", "router"]

router = APIRouter(include_in_schema=False,
                   dependencies=[Depends(require(Permission.READ_AGGREGATES))])
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]


def gap_chart_spec(view: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite bar chart of the gap by occupation: ageing-only part and establishments."""
    values = []
    for r in view["gaps"]:
        values.append({"occupation": r["name"], "part": i18n.gettext("Gap from ageing and trend"),
                       "people": r["gap_ageing_only"]})
        values.append({"occupation": r["name"], "part": i18n.gettext("Effect of establishments"),
                       "people": r["establishment_effect"]})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{i18n.gettext('Gap')} {view['name']} {view['year']}",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "occupation", "type": "nominal", "sort": "-x",
                  "title": i18n.gettext("Occupation")},
            "x": {"field": "people", "type": "quantitative", "stack": "zero",
                  "title": i18n.gettext("People")},
            "color": {"field": "part", "type": "nominal", "title": i18n.gettext("Driver")},
        },
    }


DRIVERS = (("expansion", "Expansion demand"), ("establishments", "Establishments"),
           ("replacement", "Retirements (replacement demand)"),
           ("entrants", "New workers (supply change)"))


def decomposition_chart_spec(decomposition: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite bar chart of the gap's four drivers (new workers count against it)."""
    values = [{"driver": i18n.gettext(label),
               "people": round(-decomposition[key] if key == "entrants" else decomposition[key])}
              for key, label in DRIVERS]
    values.append({"driver": i18n.gettext("Gap"), "people": round(decomposition["gap"])})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": i18n.gettext("Gap decomposition"), "width": "container",
        "data": {"values": values}, "mark": "bar",
        "encoding": {
            "y": {"field": "driver", "type": "nominal", "sort": None,
                  "title": i18n.gettext("Driver")},
            "x": {"field": "people", "type": "quantitative", "title": i18n.gettext("People")},
            "color": {"condition": {"test": "datum.people < 0", "value": "#2b8a3e"},
                      "value": "#1c5d99"},
        },
    }


def pyramid_chart_spec(view: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite population pyramid: men to the left, women to the right, base vs horizon."""
    pyramid = view["population"]["pyramid"]
    values = [
        {"ages": row["ages"], "year": str(pyramid[f"{when}_year"]),
         "sex": i18n.gettext("Men") if sex == "men" else i18n.gettext("Women"),
         "people": (-1 if sex == "men" else 1) * round(float(row[sex]))}
        for when in ("base", "horizon") for row in pyramid[when] for sex in ("women", "men")
    ]
    order = [row["ages"] for row in reversed(pyramid["base"])]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{i18n.gettext('Population pyramid')} {view['name']}",
        "width": "container",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "ages", "type": "ordinal", "sort": order,
                  "title": i18n.gettext("Ages")},
            "x": {"field": "people", "type": "quantitative", "stack": None,
                  "title": i18n.gettext("People")},
            "color": {"field": "sex", "type": "nominal", "title": i18n.gettext("Sex")},
            "opacity": {"field": "year", "type": "nominal", "title": i18n.gettext("Year")},
        },
    }


@router.get("/forecast/gaps.csv", response_class=PlainTextResponse)
def gaps_csv(engine: EngineDep, scenario: str = "as_announced") -> PlainTextResponse:
    """Download the ranking of gaps as CSV."""
    run = forecasting.run_forecast(engine, scenario_name=scenario)
    return PlainTextResponse(
        exports.ranking_csv(exports.gap_ranking(run)), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="kedja-gaps-{scenario}.csv"'})


@router.get("/forecast/collaboration.csv", response_class=PlainTextResponse)
def collaboration_csv(engine: EngineDep, scenario: str = "as_announced") -> PlainTextResponse:
    """Download the collaboration ranking as CSV."""
    ranking = collaboration.collaboration_ranking(engine, scenario=scenario)
    return PlainTextResponse(
        collaboration.collaboration_csv(ranking), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition":
                 f'attachment; filename="kedja-samverkan-{scenario}.csv"'})


@router.get("/forecast/collaboration", response_class=HTMLResponse)
def collaboration_page(request: Request, engine: EngineDep,
                       scenario: str = "as_announced") -> HTMLResponse:
    """Show where collaboration is needed most: a map of the region and the ranked list."""
    ranking = collaboration.collaboration_ranking(engine, scenario=scenario)
    best = collaboration.municipality_scores(ranking)
    return render(request, "forecast_collaboration.html", {
        "active": "forecast", "scenario": scenario, "ranking": ranking,
        "rows": ranking["rows"][:20], "best": best,
        "map_chart": choropleth_spec(
            best, collaboration.region_boundaries(), names=ranking["names"],
            title=i18n.gettext("Where collaboration is needed most"),
            legend=i18n.gettext("Collaboration score")),
    })


@router.get("/forecast/report", response_class=HTMLResponse)
def report_page(request: Request, engine: EngineDep,
                scenario: str = "as_announced") -> HTMLResponse:
    """Show the printable regional report: outlook, scenarios, municipalities, largest gaps."""
    report = exports.regional_report(engine, scenario)
    labels = {s["name"]: s["label"] for s in forecasting.list_scenarios()}
    return render(request, "forecast_report.html", {
        "active": "forecast", "scenario": scenario,
        "scenario_label": labels.get(scenario, scenario), **report})


@router.get("/forecast", response_class=HTMLResponse, response_model=None)
def forecast_home(engine: EngineDep, signed: AggregateReader) -> RedirectResponse:
    """Open on the user's own municipality, or on the region's report when it is outside."""
    code = forecasting.home_municipality(engine, signed.principal.organisation_id)
    run = forecasting.run_forecast(engine)
    if code in run.forecast.inputs.municipalities:
        return RedirectResponse(f"/forecast/{code}", status_code=303)
    return RedirectResponse("/forecast/report", status_code=303)


@router.get("/forecast/{code}", response_class=HTMLResponse)
def forecast_page(request: Request, engine: EngineDep, code: str,
                  scenario: str = "as_announced", draws: int = 0) -> HTMLResponse:
    """Show one municipality's forecast, scenario comparison and the region's ranking of gaps.

    ``draws`` (at most 200) adds the Monte Carlo 10–90 % band to the gap table.
    """
    run = forecasting.run_forecast(engine, scenario_name=scenario, draws=min(max(draws, 0), 200))
    view = forecasting.municipality_forecast(run, code)
    comparison = exports.compare_scenarios(engine, code)
    decomposition = forecasting.gap_decomposition(run, area=code)
    return render(request, "forecast.html", {
        "decomposition": decomposition,
        "decomposition_chart": decomposition_chart_spec(decomposition),
        "drivers": DRIVERS,
        "active": "forecast", "view": view, "region": forecasting.region_gaps(run),
        "scenarios": forecasting.list_scenarios(), "chart": gap_chart_spec(view),
        "pyramid_chart": pyramid_chart_spec(view),
        "comparison": comparison,
        "comparison_years": [k for k in comparison[0] if k.isdigit()],
    })
