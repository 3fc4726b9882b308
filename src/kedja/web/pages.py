"""Server-rendered pages (Jinja2 + htmx), Swedish first with English on every page."""

from __future__ import annotations

import json
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kedja import services
from kedja.core.access import Permission, is_permitted
from kedja.services import SignedIn, audit
from kedja.services.forecast_collaboration import region_boundaries
from kedja.web import assets, case_labels, charts, i18n
from kedja.web.deps import EngineDep
from kedja.web.errors import ErrorBody
from kedja.web.security import CSRF_FIELD, PublicDep, require

__all__ = ["error_page", "render", "router", "templates"]

LANG_COOKIE = "kedja_lang"

environment = Environment(
    loader=FileSystemLoader(str(resources.files("kedja.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    auto_reload=False,  # the templates ship with the package: no stat of each file per page
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
environment.globals.update(number=i18n.format_number, share=i18n.format_share, date=i18n.format_date,
                           csrf_field=CSRF_FIELD, Permission=Permission,
                           label=case_labels.label, label_options=case_labels.options,
                           language=case_labels.language)
templates = Jinja2Templates(env=environment)

router = APIRouter(include_in_schema=False)


def _json_script(value: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


environment.filters["json_script"] = _json_script
i18n.install_filters(environment.filters)  # number, decimal, percent, day, moment (sv-SE first)


def render(request: Request, name: str, context: dict[str, Any], *,
           status_code: int = 200) -> HTMLResponse:
    """Render page ``name`` in the request's locale, remembering an explicit choice."""
    requested = request.query_params.get("lang")
    locale = i18n.choose_locale(requested, request.cookies.get(LANG_COOKIE))
    i18n.use_locale(locale)
    signed: SignedIn | None = getattr(request.state, "signed_in", None)
    response = templates.TemplateResponse(request, name, {
        "locale": locale, "signed": signed, "missing_assets": assets.missing_vendor_files(),
        "organisation_name": signed.organisation_name or None if signed is not None else None,
        "can": (lambda p: signed is not None and is_permitted(signed.principal, p)),
        "oidc_label": getattr(request.app.state, "oidc_label", None),
        **context}, status_code=status_code)
    if requested == locale:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax",
                            httponly=True)
    response.headers["Content-Language"] = locale
    return response


def error_page(request: Request, status: int, body: ErrorBody) -> Response:
    """An error as a page: sign-in for 401, a readable explanation otherwise."""
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return render(request, "error.html", {"status": status, "error": body},
                  status_code=status)


@router.get("/", response_class=HTMLResponse)
def region_page(request: Request, engine: EngineDep, _anyone: PublicDep) -> HTMLResponse:
    """The region page: the municipalities, their figures and a chart of population."""
    overview = services.region_overview(engine)
    county_names: dict[str, str] = {c.code: c.name for c in overview.counties}
    locale = i18n.choose_locale(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    i18n.use_locale(locale)
    spec = charts.population_chart(
        overview.municipalities, title=i18n.gettext("Population by municipality"),
        x_title=i18n.gettext("Population"), y_title=i18n.gettext("Municipality"),
        county_title=i18n.gettext("County"), county_names=county_names)
    spread = services.people_and_places(engine)
    names: dict[str, str] = {m.code: m.name for m in overview.municipalities}
    _ = i18n.gettext
    places = [{"name": m.name, "lat": m.seat.lat, "lon": m.seat.lon,
               "count": spread.places.get(m.code, 0)} for m in overview.municipalities
              if spread.places.get(m.code)]
    map_spec = charts.count_map(
        spread.job_seekers, region_boundaries(), names=names,
        title=_("Job seekers and places per municipality"), legend=_("Job seekers"),
        area_title=_("Municipality"), points=places, point_legend=_("Places"),
        point_title=_("Municipality")) if overview.municipalities else None
    return render(request, "region.html", {
        "active": "region", "overview": overview, "county_names": county_names,
        "area_names": {a.code: a.name for a in overview.areas}, "chart_spec": spec,
        "map_spec": map_spec, "spread": spread,
    })


PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]


AuditReader = Annotated[SignedIn, Depends(require(Permission.READ_AUDIT))]


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, engine: EngineDep, signed: AuditReader,
               subject_id: Annotated[str | None, Query(max_length=255)] = None,
               actor: Annotated[str | None, Query(max_length=255)] = None,
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The audit log for administrators, filtered by subject or actor."""
    result = services.audit_page(engine, signed.principal, subject_id=subject_id or None,
                                 actor=actor or None, page=page)
    return render(request, "audit.html", {
        "active": "audit", "result": result, "subject_id": subject_id or "", "actor": actor or "",
        "organisation_names": audit.organisation_names(engine, (e.organisation_id or ""
                                                                for e in result.items))})


@router.get("/audit/organisation", response_class=HTMLResponse)
def organisation_log_page(request: Request, engine: EngineDep, signed: PeopleReader,
                          subject_id: Annotated[str | None, Query(max_length=255)] = None,
                          page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The reads and changes of people's records made by the user's own organisation."""
    result = audit.organisation_reads(engine, signed.principal, subject_id=subject_id or None,
                                      page=page)
    return render(request, "audit_organisation.html", {
        "active": "audit", "result": result, "subject_id": subject_id or "",
        "organisation_name": audit.organisation_names(
            engine, [signed.principal.organisation_id or ""]).get(
            signed.principal.organisation_id or "", signed.principal.organisation_id),
        "organisation_names": audit.organisation_names(engine, [signed.principal.organisation_id
                                                                or ""])})


@router.get("/admin/audit.csv")
def audit_export(engine: EngineDep, signed: AuditReader,
                 subject_id: Annotated[str | None, Query(max_length=255)] = None,
                 actor: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    """The audit log as a CSV file."""
    text = services.audit_csv(engine, signed.principal, subject_id=subject_id or None,
                              actor=actor or None)
    return PlainTextResponse(text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="kedja-audit-log.csv"'})


@router.get("/admin/audit/people/{person_id}", response_class=HTMLResponse)
def person_log_page(request: Request, engine: EngineDep, signed: AuditReader,
                    person_id: str) -> HTMLResponse:
    """A person's access log, for a GDPR access request."""
    entries = services.person_access_log(engine, signed.principal, person_id)
    return render(request, "person_log.html", {
        "active": "audit", "person_id": person_id, "entries": entries,
        "organisation_names": audit.organisation_names(engine, (e.organisation_id or ""
                                                                for e in entries))})


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, engine: EngineDep,
               signed: Annotated[SignedIn, Depends(require(Permission.MANAGE_USERS))]
               ) -> HTMLResponse:
    """The accounts, their organisations and roles (no secrets), for administrators."""
    users = services.list_users(engine, actor=signed.principal)
    return render(request, "users.html", {
        "active": "users", "users": users,
        "organisation_names": audit.organisation_names(engine, (u.organisation_id for u in users))})
