"""JSON API for vacancy chains: the regional view (aggregates), an employer's planner, saved plans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services import chains_employer as planner
from kedja.services import chains_views as views
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorResponse
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["chains"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in"},
    403: {"model": ErrorResponse, "description": "Not allowed for this role or organisation"},
    404: {"model": ErrorResponse, "description": "No such plan of yours"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
}
Planner = Annotated[SignedIn, Depends(require(Permission.PLAN_WORKFORCE))]
Reader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]


class RegionalChains(BaseModel):
    """The region's planned chains against no upskilling and unplanned upskilling, as aggregates.

    ``multiplier`` is White's: moves set off per open post (mean chain length).
    """

    model_config = ConfigDict(extra="allow")

    upskilled: int
    job_seekers_entering: int
    no_upskilling_job_seekers_entering: int
    unplanned_job_seekers_entering: int
    net_entrants_vs_no_upskilling: int
    cost_per_net_entrant_sek: float | None
    expected_entrants_after_displacement: float
    multiplier: float
    checker_ok: bool
    patterns: list[dict[str, Any]]
    places: list[dict[str, Any]]
    rotation: dict[str, Any]


class EmployerChains(BaseModel):
    """An employer's planner: staff by occupation, named consenting staff with their possible steps.

    Counts under five read "<5"; an employee is named only with their consent.
    """

    model_config = ConfigDict(extra="allow")

    organisation_id: str
    staff: int | str
    occupations: list[dict[str, Any]]


class ChainPlanCreate(BaseModel):
    """Steps to keep (each ``person_id|course_id|position`` from the planner) and a title."""

    title: str = Field(min_length=1, max_length=255)
    steps: list[str] = Field(min_length=1, max_length=300)


class ChainPlanPublic(BaseModel):
    """A saved plan (without names when it was shared with the reader's organisation)."""

    model_config = ConfigDict(extra="allow")

    id: str
    organisation_id: str
    title: str
    steps: list[dict[str, Any]]
    shared_with: str | None


@router.get("/chains", response_model=RegionalChains, responses=ERRORS)
def regional_chains(engine: EngineDep, signed: Reader) -> dict[str, Any]:
    """The region's planned chains, without naming anyone; counts under five read "<5"."""
    return views.regional_chain_view(engine, signed.principal)


@router.get("/chains/employer", response_model=EmployerChains, responses=ERRORS)
def employer_chains(engine: EngineDep, signed: Planner,
                    organisation_id: Annotated[str | None, Query(max_length=32)] = None) -> dict[str, Any]:
    """My staff by occupation, consenting staff's possible steps (each named read audited)."""
    return planner.employer_chain_plan(engine, signed.principal, organisation_id)


@router.post("/chains/plans", response_model=ChainPlanPublic, status_code=201, responses=ERRORS)
def save_plan(body: ChainPlanCreate, engine: EngineDep, signed: Planner) -> dict[str, Any]:
    """Save chosen steps of my staff as a plan."""
    return planner.save_chain_plan(engine, signed.principal, title=body.title, steps=body.steps)


@router.get("/chains/plans", response_model=list[ChainPlanPublic], responses=ERRORS)
def list_plans(engine: EngineDep, signed: Reader) -> list[dict[str, Any]]:
    """Plans my organisation saved, and plans shared with it (without names)."""
    return planner.list_chain_plans(engine, signed.principal)


@router.post("/chains/plans/{plan_id}/share", response_model=ChainPlanPublic, responses=ERRORS)
def share_plan(plan_id: str, engine: EngineDep, signed: Planner) -> dict[str, Any]:
    """Share my plan with the Employment Service office of the county."""
    return planner.share_chain_plan(engine, signed.principal, plan_id)
