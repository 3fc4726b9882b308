"""Pages for a person's pathways and the region-wide allocation with its equal-treatment audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kedja.core.access import Permission, Purpose
from kedja.services import SignedIn, matching
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
Allocator = Annotated[SignedIn, Depends(require(Permission.RUN_ALLOCATION))]
DIMENSIONS = ("gender", "age_band", "born_abroad", "disability")


@router.get("/people/{person_id}/pathways", response_class=HTMLResponse)
def pathways_page(request: Request, engine: EngineDep, signed: PeopleReader,
                  person_id: str) -> HTMLResponse:
    """A person's best next steps, with each step's breakdown and plain-language reasons."""
    steps = matching.pathways_for_person(engine, person_id, k=10, principal=signed.principal,
                                         purpose=Purpose.MATCHING)
    return render(request, "pathways.html", {"active": "people", "person_id": person_id,
                                             "steps": steps})


@router.get("/allocations", response_class=HTMLResponse)
def allocations_page(request: Request, engine: EngineDep, signed: AggregateReader) -> HTMLResponse:
    """Stored allocations of the region's places, newest first."""
    return render(request, "allocations.html", {
        "active": "allocations", "items": matching.list_allocations(engine, signed.principal),
        "dimensions": DIMENSIONS})


@router.post("/allocations")
def run_allocation_form(engine: EngineDep, signed: Allocator,
                        scenario: Annotated[str, Form(min_length=1, max_length=64)] = "baseline",
                        band: Annotated[str, Form(max_length=32)] = "") -> RedirectResponse:
    """Run the allocation now (with a band if one is chosen) and show it."""
    summary = matching.run_allocation(engine, scenario=scenario, band=band or None,
                                      principal=signed.principal)
    return RedirectResponse(f"/allocations/{summary['allocation_id']}", status_code=303)


@router.get("/allocations/{allocation_id}", response_class=HTMLResponse)
def allocation_page(request: Request, engine: EngineDep, signed: AggregateReader,
                    allocation_id: str) -> HTMLResponse:
    """One allocation: places by kind, against greedy, and the equal-treatment audit."""
    return render(request, "allocation.html", {
        "active": "allocations",
        "allocation": matching.get_allocation(engine, allocation_id, signed.principal)})
