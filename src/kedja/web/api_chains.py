"""JSON API for vacancy chains: the regional view (aggregates) and an employer's planner."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services import chains as chain_service
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["chains"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in"},
    403: {"model": ErrorResponse, "description": "Not allowed for this role or organisation"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
}


class RegionalChains(BaseModel):
    """The region's planned chains as aggregates: figures, chain patterns, job rotation."""

    upskilled: int
    job_seekers_entering: int
    multiplier: float
    cost_per_entrant: float
    shortage_positions_filled: int
    job_seekers_into_freed_jobs: int
    direct_hires: int
    unplanned_job_seekers_entering: int
    unplanned_multiplier: float
    unplanned_job_seekers_into_freed_jobs: int
    method: str
    checker_ok: bool
    patterns: list[dict[str, Any]]
    rotation: dict[str, Any]


class EmployerChains(BaseModel):
    """An employer's planner: staff by occupation, possible moves, the chains their moves start.

    Counts under five read "<5"; an employee is named only with their consent.
    """

    organisation_id: str
    staff: int | str
    occupations: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    chains: list[dict[str, Any]]


@router.get("/chains", response_model=RegionalChains, responses=ERRORS)
def regional_chains(
    engine: EngineDep, signed: Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))],
) -> dict[str, Any]:
    """The region's planned chains, without naming anyone; counts under five read "<5"."""
    return chain_service.regional_chain_view(engine, signed.principal)


@router.get("/chains/employer", response_model=EmployerChains, responses=ERRORS)
def employer_chains(engine: EngineDep,
                    signed: Annotated[SignedIn, Depends(require(Permission.PLAN_WORKFORCE))],
                    organisation_id: Annotated[str | None, Query(max_length=32)] = None) -> dict[str, Any]:
    """My staff, their possible moves and the chains my moves start (each named read audited)."""
    return chain_service.employer_chain_plan(engine, signed.principal, organisation_id)
