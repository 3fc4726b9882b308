"""Pages for a person's pathways and the region-wide allocation with its equal-treatment audit."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kedja.core.access import ACTIVE_REFERRAL_STATES, Permission, Purpose, is_permitted
from kedja.services import SignedIn, jobs, matching
from kedja.services import allocation_results as results
from kedja.services.case_file import asf_steps
from kedja.services.caseload import municipality_names
from kedja.services.identity import person_names
from kedja.services.matching import AUDIT_DIMENSIONS
from kedja.web import i18n
from kedja.web.deps import EngineDep
from kedja.web.pages import render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]
AggregateReader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
Allocator = Annotated[SignedIn, Depends(require(Permission.RUN_ALLOCATION))]
CaseWorker = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]


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
        "dimensions": AUDIT_DIMENSIONS})


@router.post("/allocations")
def run_allocation_form(engine: EngineDep, signed: Allocator,
                        scenario: Annotated[str, Form(min_length=1, max_length=64)] = "huvudkörning",
                        band: Annotated[str, Form(max_length=32)] = "") -> RedirectResponse:
    """Start the allocation as a background job (with a band if one is chosen); follow it."""
    status = jobs.start_allocation_job(engine, signed.principal, scenario=scenario,
                                       band=band or None)
    return RedirectResponse(f"/allocations/jobs/{quote(status.id)}", status_code=303)


@router.get("/allocations/jobs/{job_id}", response_class=HTMLResponse)
def allocation_job_page(request: Request, engine: EngineDep, signed: Allocator,
                        job_id: str) -> Response:
    """An allocation run's progress (polled by htmx); the allocation itself once it is done."""
    status = jobs.job_status(engine, signed.principal, job_id)
    done = status.state == "done" and status.result is not None
    if done:
        target = f"/allocations/{quote(str(status.result['allocation_id']))}"  # type: ignore[index]
        if request.headers.get("HX-Request"):
            return HTMLResponse("", headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    template = "allocation_job_progress.html" if request.headers.get("HX-Request") else "allocation_job.html"
    return render(request, template, {"active": "allocations", "job": status})


def _use_request_locale(request: Request) -> None:
    from kedja.web.pages import LANG_COOKIE

    i18n.use_locale(i18n.choose_locale(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)))


def _filters(municipality: str, kind: str, organisation: str, band: str) -> results.ResultFilters:
    return results.ResultFilters(municipality_code=municipality or None, kind=kind or None,
                                 organisation_id=organisation or None, band=band or None)


FilterParam = Annotated[str, Query(max_length=64)]


@router.get("/allocations/{allocation_id}", response_class=HTMLResponse)
def allocation_page(request: Request, engine: EngineDep, signed: AggregateReader,
                    allocation_id: str, view: Annotated[str, Query(pattern="^(people|places)$")] = "people",
                    municipality: FilterParam = "", kind: FilterParam = "", organisation: FilterParam = "",
                    band: FilterParam = "", page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                    referred: FilterParam = "") -> HTMLResponse:
    """One allocation: who got which place (filtered, paginated), places by kind, the audit."""
    allocation = matching.get_allocation(engine, allocation_id, signed.principal)
    context: dict[str, object] = {
        "active": "allocations", "allocation": allocation, "view": view, "referred": referred,
        "chosen": {"municipality": municipality, "kind": kind, "organisation": organisation,
                   "band": band}}
    if is_permitted(signed.principal, Permission.READ_PEOPLE):
        filters = _filters(municipality, kind, organisation, band)
        if view == "places":
            context["places"] = results.allocation_places(engine, signed.principal, allocation_id,
                                                          filters=filters, page=page)
        else:
            context["people"] = results.allocation_people(engine, signed.principal, allocation_id,
                                                          filters=filters, page=page)
        context["choices"] = results.result_choices(engine, signed.principal, allocation_id)
        context["query"] = {k: v for k, v in (("view", view), ("municipality", municipality),
                                              ("kind", kind), ("organisation", organisation),
                                              ("band", band)) if v}
        context["export_query"] = {k: v for k, v in context["query"].items() if k != "view"}  # type: ignore[attr-defined]
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "allocation_results.html", context)
    return render(request, "allocation.html", context)


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/allocations/{allocation_id}/export")
def allocation_export(request: Request, engine: EngineDep, signed: PeopleReader, allocation_id: str,
                      fmt: Annotated[str, Query(alias="format", pattern="^(csv|xlsx)$")] = "csv",
                      municipality: FilterParam = "", kind: FilterParam = "",
                      organisation: FilterParam = "", band: FilterParam = "") -> Response:
    """The per-person list (filtered) as CSV or XLSX, with column names in the page's language."""
    _use_request_locale(request)
    labels = {c: i18n.gettext(EXPORT_LABELS[c]) for c in results.EXPORT_COLUMNS}
    labels |= {k: i18n.gettext(k) for k in (*results.BANDS, "job", "asf_placement", "training",
                                            "internship", "rotation_substitute",
                                            *ACTIVE_REFERRAL_STATES, "completed", "ended")}
    labels["sheet"] = i18n.gettext("Allocation")
    data = results.export_allocation(engine, signed.principal, allocation_id, fmt=fmt,
                                     filters=_filters(municipality, kind, organisation, band),
                                     labels=labels)
    name = f"kedja-{allocation_id}.{fmt}"
    return Response(data, media_type=EXPORT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


EXPORT_LABELS = {"person_id": "Person id", "name": "Name", "person_municipality": "Lives in",
                 "opportunity_id": "Place id", "place": "Allocated place", "kind": "Kind of place",
                 "organisation": "Organisation", "place_municipality": "Place's municipality",
                 "fit": "Fit", "fit_band": "Fit band", "referral_state": "Referral"}
"""Export column names (message ids; the catalogue gives them in the reader's language)."""


@router.post("/allocations/{allocation_id}/refer")
def refer_from_row(request: Request, engine: EngineDep, signed: CaseWorker, allocation_id: str,
                   person_id: Annotated[str, Form(min_length=1, max_length=64)],
                   back: Annotated[str, Form(max_length=500)] = "") -> RedirectResponse:
    """Refer the row's person to their allocated place; back to the same list, the row marked."""
    _use_request_locale(request)
    purpose = i18n.gettext("Allocated place, from allocation %(id)s") % {"id": allocation_id}
    view = results.refer_from_allocation(engine, signed.principal, allocation_id,
                                         person_id.strip(), purpose=purpose)
    page = f"/allocations/{quote(allocation_id)}"
    target = back if back.startswith(page + "?") and "//" not in back else page + "?"
    target = re.sub(r"&?referred=[^&]*", "", target)
    return RedirectResponse(f"{target}&referred={quote(view.id)}#row-{quote(person_id.strip())}",
                            status_code=303)


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
