"""The occupation explorer: search, an occupation's profile, its transitions and courses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from kedja import services
from kedja.services.occupation_explorer import occupation_profile
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import public

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(public())])


@router.get("/occupations", response_class=HTMLResponse)
def occupations_page(request: Request, engine: EngineDep,
                     q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
    """Search occupations by Swedish or English words (typos tolerated)."""
    hits = services.search_occupations(engine, q, limit=12, schemes=["ssyk"]) if q.strip() else []
    return render(request, "occupations.html", {"active": "occupations", "q": q, "hits": hits})


@router.get("/occupations/{code}", response_class=HTMLResponse)
def occupation_page(request: Request, engine: EngineDep,
                    code: Annotated[str, Path(pattern=r"^\d{4}$")]) -> HTMLResponse:
    """An occupation's profile: facts, demand in the region, employers, moves and courses."""
    return render(request, "occupation.html", {"active": "occupations",
                                               "p": occupation_profile(engine, code)})
