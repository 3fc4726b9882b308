"""JSON API for pathways and region-wide allocations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from kedja.core.access import Permission
from kedja.services import SignedIn, matching
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["matching"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in"},
    403: {"model": ErrorResponse, "description": "Not allowed for this role or organisation"},
    404: {"model": ErrorResponse, "description": "No such person or allocation"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
}


class PathwayPublic(BaseModel):
    """A recommended next step with its fit, breakdown and explanation."""

    opportunity_id: str
    kind: str
    title: str
    organisation_id: str
    municipality_code: str
    occupation_code: str | None
    fit: float
    factors: dict[str, float]
    travel_minutes: float
    explanation: dict[str, list[str]]
    remote: bool = False


class PathwayList(BaseModel):
    """A person's next steps, best first."""

    person_id: str
    items: list[PathwayPublic]


class AllocationPublic(BaseModel):
    """A stored allocation: summary, and the equal-treatment audit when asked for one."""

    id: str
    created_at: str
    scenario: str
    method: str
    summary: dict[str, Any]
    audit: dict[str, Any] | None = None


class AllocationList(BaseModel):
    """Stored allocations, newest first."""

    items: list[AllocationPublic]
    total: int


class AllocationRequest(BaseModel):
    """Parameters of an allocation run."""

    scenario: str = "huvudkörning"
    long_term_priority: float = 1.0
    band: Literal["gender", "age_band", "born_abroad", "disability"] | None = None
    band_floor: float = Field(0.8, ge=0.0, le=1.0)


PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
Allocator = Annotated[SignedIn, Depends(require(Permission.RUN_ALLOCATION))]


@router.get("/pathways/{person_id}", response_model=PathwayList, responses=ERRORS)
def pathways(person_id: str, engine: EngineDep, signed: PeopleReader,
             k: int = Query(10, ge=1, le=50)) -> PathwayList:
    """A person's best next steps, each with its breakdown and explanation in sv and en."""
    steps = matching.pathways_for_person(engine, person_id, k=k, principal=signed.principal)
    return PathwayList(person_id=person_id, items=[PathwayPublic(**s.__dict__) for s in steps])


@router.get("/allocations", response_model=AllocationList, responses=ERRORS)
def allocations(engine: EngineDep, signed: AggregateReader) -> AllocationList:
    """Stored allocations with their summaries."""
    items = [AllocationPublic(**a) for a in matching.list_allocations(engine, signed.principal)]
    return AllocationList(items=items, total=len(items))


@router.post("/allocations", response_model=AllocationPublic, status_code=201, responses=ERRORS)
def run_allocation(request: AllocationRequest, engine: EngineDep,
                   signed: Allocator) -> AllocationPublic:
    """Run the region-wide allocation now and store it."""
    summary = matching.run_allocation(engine, scenario=request.scenario,
                                      long_term_priority=max(1.0, request.long_term_priority),
                                      band=request.band, band_floor=request.band_floor,
                                      principal=signed.principal)
    return AllocationPublic(**matching.get_allocation(engine, summary["allocation_id"],
                                                      signed.principal))


@router.get("/allocations/{allocation_id}", response_model=AllocationPublic, responses=ERRORS)
def allocation(allocation_id: str, engine: EngineDep, signed: AggregateReader) -> AllocationPublic:
    """One allocation with its equal-treatment audit by group."""
    return AllocationPublic(**matching.get_allocation(engine, allocation_id, signed.principal))
