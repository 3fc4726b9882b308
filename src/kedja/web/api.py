"""The JSON API under ``/api/v1`` and the health endpoint."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from kedja import services
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import public

__all__ = ["MunicipalityPublic", "router"]

# Health and the region's published figures are public aggregates: open to anyone.
router = APIRouter(dependencies=[Depends(public())])
ERRORS: dict[int | str, dict[str, object]] = {
    500: {"model": ErrorResponse, "description": "Database error"},
}


class HealthPublic(BaseModel):
    """Whether the app and its database answer."""

    status: str
    database: str
    backend: str
    schema_revision: str | None
    schema_status: str


class MunicipalityPublic(BaseModel):
    """A municipality with its published figures."""

    code: str
    name: str
    county_code: str
    functional_area_code: str | None
    population: int | None
    population_year: int | None
    share_0_19: float | None
    share_20_64: float | None
    share_65_plus: float | None
    seat_lat: float
    seat_lon: float


class MunicipalityList(BaseModel):
    """The municipalities, with the source of their figures."""

    items: list[MunicipalityPublic]
    total: int
    source: str | None


@router.get("/health", response_model=HealthPublic, tags=["system"], responses=ERRORS)
def health(engine: EngineDep) -> HealthPublic:
    """Liveness and database status."""
    return HealthPublic(status="ok", **services.database_health(engine))  # type: ignore[arg-type]


@router.get("/api/v1/municipalities", response_model=MunicipalityList, tags=["region"],
            responses=ERRORS)
def list_municipalities(engine: EngineDep) -> MunicipalityList:
    """The region's municipalities with population and age structure (public aggregates)."""
    overview = services.region_overview(engine)
    items = [
        MunicipalityPublic(
            code=m.code, name=m.name, county_code=m.county_code,
            functional_area_code=m.functional_area_code, population=m.population,
            population_year=m.population_year,
            share_0_19=m.age_shares.age_0_19 if m.age_shares else None,
            share_20_64=m.age_shares.age_20_64 if m.age_shares else None,
            share_65_plus=m.age_shares.age_65_plus if m.age_shares else None,
            seat_lat=m.seat.lat, seat_lon=m.seat.lon,
        )
        for m in overview.municipalities
    ]
    return MunicipalityList(items=items, total=len(items), source=overview.source)
