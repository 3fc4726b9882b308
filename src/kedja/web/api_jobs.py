"""Long jobs from the web: an allocation run or a chain simulation in the background, with progress."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from kedja import services
from kedja.core.access import Permission
from kedja.services import JobStatus, SignedIn
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 422)}
Allocator = Annotated[SignedIn, Depends(require(Permission.RUN_ALLOCATION))]
Reader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]


class ChainSimulationJobRequest(BaseModel):
    """Parameters of a background simulation of the three chain strategies."""

    years: int = Field(5, ge=1, le=10)
    runs: int = Field(10, ge=1, le=50)
    seed: int = Field(0, ge=0, le=2**31)


class AllocationJobRequest(BaseModel):
    """Parameters of a background allocation run."""

    scenario: str = Field("huvudkörning", max_length=64)
    long_term_priority: float = Field(1.0, ge=1.0, le=10.0)
    band: Literal["gender", "age_band", "born_abroad", "disability"] | None = None


class AllocationSummaryPublic(BaseModel):
    """What an allocation run found: places, total fit beside the greedy baseline, the audit.

    ``band`` and ``scale`` are present when the run kept a group band or ran per area.
    """

    model_config = ConfigDict(extra="allow")

    allocation_id: str
    people: int
    placed: int
    placed_by_kind: dict[str, int]
    total_fit: float
    method: str
    greedy_placed: int
    greedy_total_fit: float
    checker_ok: bool
    candidate_arcs: int
    group_ratios: dict[str, dict[str, float]] = Field(
        description="Per audit dimension, each group's share placed over the best group's.")
    flagged_groups: dict[str, list[str]] = Field(
        description="Per audit dimension, the groups below four fifths of the best group.")
    band: dict[str, Any] | None = None
    scale: dict[str, Any] | None = None


class JobPublic(BaseModel):
    """A job's state and progress (0 to 1); the result once it is done."""

    id: str
    kind: str
    state: str
    progress: float
    step: str
    created: datetime
    finished: datetime | None
    result: AllocationSummaryPublic | None
    error: str | None


def job_public(status: JobStatus) -> JobPublic:
    """The API form of a job's status."""
    return JobPublic(**status.__dict__)


@router.post("/allocation", response_model=JobPublic, status_code=202, responses=ERRORS)
def start_allocation(request: AllocationJobRequest, engine: EngineDep,
                     signed: Allocator) -> JobPublic:
    """Start the region-wide allocation in the background; poll ``GET /api/v1/jobs/{id}``."""
    return job_public(services.start_allocation_job(
        engine, signed.principal, scenario=request.scenario,
        long_term_priority=request.long_term_priority, band=request.band))


@router.post("/chains-simulation", response_model=JobPublic, status_code=202, responses=ERRORS)
def start_chain_simulation(request: ChainSimulationJobRequest, engine: EngineDep,
                           signed: Reader) -> JobPublic:
    """Simulate no upskilling, unplanned upskilling and planned chains in the background."""
    return job_public(services.jobs.start_chain_simulation_job(
        engine, signed.principal, years=request.years, runs=request.runs, seed=request.seed))


@router.get("/{job_id}", response_model=JobPublic, responses=ERRORS)
def job(job_id: str, engine: EngineDep, signed: Reader) -> JobPublic:
    """A job's state, progress and current step, with the result when done."""
    return job_public(services.job_status(engine, signed.principal, job_id))
