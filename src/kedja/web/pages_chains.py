"""Pages for vacancy chains: the regional view and an employer's planner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from kedja.core.access import Permission
from kedja.services import SignedIn
from kedja.services import chains as chain_service
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/chains", response_class=HTMLResponse)
def chains_page(request: Request, engine: EngineDep,
                signed: Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]) -> HTMLResponse:
    """The region's chains: figures against the unplanned strategy, chain patterns, job rotation."""
    view = chain_service.regional_chain_view(engine, signed.principal)
    return render(request, "chains.html", {"active": "chains", "view": view})


@router.get("/chains/employer", response_class=HTMLResponse)
def employer_page(request: Request, engine: EngineDep,
                  signed: Annotated[SignedIn, Depends(require(Permission.PLAN_WORKFORCE))],
                  organisation_id: Annotated[str | None, Query(max_length=32)] = None) -> HTMLResponse:
    """An employer's planner: my staff, their possible moves, the chains my moves start."""
    plan = chain_service.employer_chain_plan(engine, signed.principal, organisation_id)
    return render(request, "chains_employer.html", {"active": "chains", "plan": plan})
