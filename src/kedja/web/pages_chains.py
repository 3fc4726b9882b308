"""Pages for vacancy chains: the regional view, an employer's planner, saved plans, the simulation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kedja.core.access import Permission
from kedja.services import SignedIn, jobs
from kedja.services import chains_employer as planner
from kedja.services import chains_views as views
from kedja.web import charts_chains, i18n
from kedja.web.deps import EngineDep
from kedja.web.pages import LANG_COOKIE, render
from kedja.web.security import require

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[SignedIn, Depends(require(Permission.READ_AGGREGATES))]
Planner = Annotated[SignedIn, Depends(require(Permission.PLAN_WORKFORCE))]
OrganisationQuery = Annotated[str | None, Query(max_length=32)]


def _progress(request: Request, ready: bool, view: dict[str, object]) -> HTMLResponse:
    """The progress fragment polled while the region's plan is computed; reloads the page when ready."""
    if ready:
        return HTMLResponse("", headers={"HX-Refresh": "true"})
    return render(request, "chains_progress.html", {"view": view})


@router.get("/chains", response_class=HTMLResponse)
def chains_page(request: Request, engine: EngineDep, signed: Reader) -> HTMLResponse:
    """The region's chains against both counterfactuals, by occupation name and place, with charts."""
    view = views.regional_chain_view(engine, signed.principal, wait=False)
    if request.headers.get("HX-Request"):
        return _progress(request, bool(view["ready"]), view)
    context: dict[str, object] = {"active": "chains", "view": view}
    if view["ready"]:
        locale = i18n.choose_locale(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        i18n.use_locale(locale)
        _ = i18n.gettext
        context["diagram_spec"] = charts_chains.chain_diagram(
            view["patterns"], title=_("The most common chains, step by step"), step_title=_("Step"),
            seeker=_("job seeker"), asf=_("job seeker from an ASF placement"))
        context["map_spec"] = charts_chains.chain_map(
            view["places"], title=_("Where chains start and end"), starts=_("Start"), ends=_("End"))
    return render(request, "chains.html", context)


STEP_SAME = ("occupation_code", "occupation_name", "open_post", "course_id", "course_title", "weeks",
             "from", "to", "cost_sek")
"""What makes two of an employee's steps the same step to the reader (only the post differs)."""


def grouped_steps(steps: list[dict[str, object]]) -> list[tuple[dict[str, object], int]]:
    """An employee's steps, identical ones shown once with how many posts they lead to.

    Identical: the same course to the same occupation, only the post differing. A step in the
    region's plan stands for its group.

    Examples:
        >>> a = {"occupation_name": "x", "course_id": "c", "position": 1, "in_region_plan": False}
        >>> [(s["position"], n) for s, n in grouped_steps([a, {**a, "position": 2,
        ...                                                    "in_region_plan": True}])]
        [(2, 2)]
    """
    groups: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for step in steps:
        groups.setdefault(tuple(step.get(k) for k in STEP_SAME), []).append(step)
    return [(next((s for s in same if s.get("in_region_plan")), same[0]), len(same))
            for same in groups.values()]


@router.get("/chains/employer", response_class=HTMLResponse)
def employer_page(request: Request, engine: EngineDep, signed: Planner,
                  organisation_id: OrganisationQuery = None) -> HTMLResponse:
    """An employer's planner: staff by occupation, named consenting staff with their possible steps."""
    plan = planner.employer_chain_plan(engine, signed.principal, organisation_id, wait=False)
    if request.headers.get("HX-Request"):
        return _progress(request, bool(plan["ready"]), plan)
    return render(request, "chains_employer.html", {"active": "chains", "plan": plan,
                                                    "grouped_steps": grouped_steps})


@router.post("/chains/employer/plans")
def save_plan_form(engine: EngineDep, signed: Planner,
                   title: Annotated[str, Form(min_length=1, max_length=255)],
                   step: Annotated[list[str] | None, Form(max_length=300)] = None,
                   organisation_id: Annotated[str | None, Form(max_length=32)] = None) -> RedirectResponse:
    """Save the ticked steps as the employer's plan."""
    plan = planner.save_chain_plan(engine, signed.principal, title=title, steps=step or [],
                                   organisation_id=organisation_id or None)
    return RedirectResponse(f"/chains/plans#{plan['id']}", status_code=303)


@router.get("/chains/plans", response_class=HTMLResponse)
def plans_page(request: Request, engine: EngineDep, signed: Reader) -> HTMLResponse:
    """Saved workforce plans: the organisation's own, and those shared with it (without names)."""
    plans = planner.list_chain_plans(engine, signed.principal)
    return render(request, "chains_plans.html", {"active": "chains", "plans": plans})


@router.post("/chains/plans/{plan_id}/share")
def share_plan_form(engine: EngineDep, signed: Planner, plan_id: str) -> RedirectResponse:
    """Share a saved plan with the Employment Service office of the county."""
    planner.share_chain_plan(engine, signed.principal, plan_id)
    return RedirectResponse(f"/chains/plans#{plan_id}", status_code=303)


@router.get("/chains/simulate", response_class=HTMLResponse)
def simulate_page(request: Request, engine: EngineDep, signed: Reader,
                  job: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    """The simulation of the three strategies: start it, follow its progress, read the bands."""
    status = jobs.job_status(engine, signed.principal, job) if job else None
    if request.headers.get("HX-Request") and status is not None and status.state in ("done", "failed"):
        return HTMLResponse("", headers={"HX-Refresh": "true"})
    fragment = bool(request.headers.get("HX-Request"))
    template = "chains_simulate_progress.html" if fragment else "chains_simulate.html"
    return render(request, template, {"active": "chains", "job": status})


@router.post("/chains/simulate")
def start_simulation_form(engine: EngineDep, signed: Reader,
                          years: Annotated[int, Form(ge=1, le=10)] = 5,
                          runs: Annotated[int, Form(ge=1, le=50)] = 10) -> RedirectResponse:
    """Start the simulation as a background job."""
    status = jobs.start_chain_simulation_job(engine, signed.principal, years=years, runs=runs)
    return RedirectResponse(f"/chains/simulate?job={status.id}", status_code=303)
