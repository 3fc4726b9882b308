"""Pages for a person's pathways and the region-wide allocation with its equal-treatment audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from kedja.core.access import Permission, Purpose
from kedja.services import SignedIn, matching
from kedja.services.case_file import asf_steps
from kedja.services.caseload import municipality_names
from kedja.services.identity import person_names
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
    asf = asf_steps(engine, signed.principal, person_id)  # issue 19a: ASFs that may serve them
    shown = {s.opportunity_id for s in steps}
    return render(request, "pathways.html", {
        "active": "people", "person_id": person_id, "steps": steps,
        "asf_steps": [a for a in asf if a.opportunity_id not in shown],
        "name": person_names(engine, signed.principal, [person_id],
                             purpose=Purpose.MATCHING).get(person_id),
        "municipalities": municipality_names(engine)})


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


@router.get("/reach", response_class=HTMLResponse)
def reach_page(request: Request, engine: EngineDep, signed: AggregateReader,
               place: Annotated[str, Query(alias="from", max_length=80)] = "Luleå",
               mode: Annotated[str, Query(pattern="^(car|transit)$")] = "transit") -> HTMLResponse:
    """What is within reach of a place: every locality's commute, on a map and in a table."""
    from kedja.services import reach
    from kedja.web import i18n
    from kedja.web.charts import REACH_BANDS, reach_band, reach_map
    from kedja.web.pages import LANG_COOKIE

    i18n.use_locale(i18n.choose_locale(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)))
    _ = i18n.gettext
    result = reach.locality_reach(engine, place, mode=mode)
    origin = result["from"]
    localities = [*sorted(row["name"] for row in result["destinations"]), origin["name"]]
    point = reach.locality_point(engine, origin["locality_id"])
    origin_point = {"name": origin["name"], "lat": point[0], "lon": point[1]}
    bands = {b: _("no public transport") if b == "none" else b for b in REACH_BANDS}
    spec = reach_map(result["destinations"], origin_point,
                     title=_("Commute from %(place)s") % {"place": origin["name"]}, band_titles=bands,
                     legend_title=_("Commute"))
    for row in result["destinations"]:
        row["band"] = bands[reach_band(row["minutes"])]
    timetable = result.get("timetable")
    if timetable and timetable.get("day"):
        from datetime import date

        from babel.dates import format_date

        timetable["day_text"] = format_date(date.fromisoformat(timetable["day"]), format="long",
                                            locale="sv_SE" if i18n.current_locale() == "sv" else "en_GB")
    return render(request, "reach.html", {"active": "allocations", "result": result, "chart_spec": spec,
                                          "place": origin["name"], "mode": mode,
                                          "localities": sorted(set(localities))})
