"""The forecast's JSON API under ``/api/v1/forecast``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from kedja.core.access import Permission
from kedja.services import forecast as forecasting
from kedja.services import forecast_exports as exports
from kedja.services.forecast_areas import area_balance
from kedja.services.forecast_collaboration import collaboration_ranking
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/forecast", tags=["forecast"],
                   dependencies=[Depends(require(Permission.READ_AGGREGATES))])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Unknown municipality or scenario"},
    422: {"model": ErrorResponse, "description": "Invalid parameter or inconsistent input"},
    500: {"model": ErrorResponse, "description": "Database error"},
}


@router.get("/scenarios", responses=ERRORS)
def scenarios() -> list[dict[str, Any]]:
    """List the named scenarios and what each changes."""
    return forecasting.list_scenarios()


@router.get("/scenarios/compare", responses=ERRORS)
def compare(engine: EngineDep, code: str = "2582",
            horizon: int = Query(2040, ge=2036, le=2070)) -> list[dict[str, Any]]:
    """Compare the municipality's total gap in 2030, 2035 and the horizon under every scenario."""
    return exports.compare_scenarios(engine, code, horizon=horizon)


@router.get("/gaps", responses=ERRORS)
def gaps(engine: EngineDep, scenario: str = "as_announced", year: int | None = None,
         limit: int = Query(100, ge=1, le=10_000)) -> dict[str, Any]:
    """Rank municipality × occupation pairs by their gap, largest first."""
    run = forecasting.run_forecast(engine, scenario_name=scenario)
    return {"scenario": scenario, "items": exports.gap_ranking(run, year=year, limit=limit),
            "sources": forecasting.SOURCES}


@router.get("/municipalities/{code}", responses=ERRORS)
def municipality(
    code: str,
    engine: EngineDep,
    scenario: str = "as_announced",
    horizon: int = Query(2040, ge=2025, le=2070),
    year: int | None = None,
    draws: int = Query(0, ge=0, le=200),
    seed: int = 42,
    top: int = Query(15, ge=1, le=131),
    establishment_spread: float | None = Query(
        None, ge=0.0, le=2.0,
        description="Your σ of the log headcount of the establishments in the draws; "
                    "default: the stated headcounts."),
) -> dict[str, Any]:
    """Population indicators and pyramid, and the largest gaps by occupation in one municipality."""
    run = forecasting.run_forecast(engine, scenario_name=scenario, horizon=horizon, draws=draws,
                                   seed=seed, establishment_spread=establishment_spread)
    return forecasting.municipality_forecast(run, code, year=year, top=top)


@router.get("/region", responses=ERRORS)
def region(engine: EngineDep, scenario: str = "as_announced",
           horizon: int = Query(2040, ge=2025, le=2070)) -> dict[str, Any]:
    """The region's population per year, and per municipality the gap at the horizon."""
    run = forecasting.run_forecast(engine, scenario_name=scenario, horizon=horizon)
    return {"scenario": scenario, "year": horizon,
            "population": forecasting.region_population(run),
            "municipalities": forecasting.region_gaps(run), "sources": forecasting.SOURCES}


@router.get("/collaboration", responses=ERRORS)
def collaboration(engine: EngineDep, scenario: str = "as_announced",
                  year: int | None = Query(None, ge=2024, le=2070),
                  limit: int | None = Query(None, ge=1, le=1000)) -> dict[str, Any]:
    """Where collaboration is needed most: municipality × occupation field, ranked with reasons."""
    return collaboration_ranking(engine, scenario=scenario, year=year, limit=limit)


@router.get("/decomposition", responses=ERRORS)
def decomposition(engine: EngineDep, area: str | None = None, scenario: str = "as_announced",
                  year: int | None = Query(None, ge=2024, le=2070)) -> dict[str, Any]:
    """The gap of a municipality, county or the region split into its four drivers."""
    run = forecasting.run_forecast(engine, scenario_name=scenario)
    return forecasting.gap_decomposition(run, area=area, year=year)


@router.get("/areas", responses=ERRORS)
def areas(engine: EngineDep, scenario: str = "as_announced",
          year: int | None = Query(None, ge=2024, le=2070)) -> list[dict[str, Any]]:
    """The balance per functional labour-market area (FA region), with commuting shares."""
    run = forecasting.run_forecast(engine, scenario_name=scenario)
    return area_balance(run, year=year)
