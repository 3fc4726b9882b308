"""Server-rendered pages (Jinja2 + htmx), Swedish first with English on every page."""

from __future__ import annotations

import json
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kedja import services
from kedja.core.access import Permission, Purpose, is_permitted
from kedja.services import SignedIn
from kedja.services.identity import person_names
from kedja.web import assets, charts, i18n
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
                           csrf_field=CSRF_FIELD, Permission=Permission)
templates = Jinja2Templates(env=environment)

router = APIRouter(include_in_schema=False)


def _json_script(value: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


environment.filters["json_script"] = _json_script


def render(request: Request, name: str, context: dict[str, Any], *,
           status_code: int = 200) -> HTMLResponse:
    """Render page ``name`` in the request's locale, remembering an explicit choice."""
    requested = request.query_params.get("lang")
    locale = i18n.choose_locale(requested, request.cookies.get(LANG_COOKIE))
    i18n.use_locale(locale)
    signed: SignedIn | None = getattr(request.state, "signed_in", None)
    response = templates.TemplateResponse(request, name, {
        "locale": locale, "signed": signed, "missing_assets": assets.missing_vendor_files(),
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
    return render(request, "region.html", {
        "active": "region", "overview": overview, "county_names": county_names,
        "area_names": {a.code: a.name for a in overview.areas}, "chart_spec": spec,
    })


PeopleReader = Annotated[SignedIn, Depends(require(Permission.READ_PEOPLE))]


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, engine: EngineDep, signed: PeopleReader,
                page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The people whose records the user's organisation may see."""
    result = services.list_people(engine, signed.principal, purpose=Purpose.CASE_MANAGEMENT,
                                  page=page, page_size=25)
    template = "people_rows.html" if request.headers.get("HX-Request") else "people.html"
    names = person_names(engine, signed.principal, [r.person.id for r in result.items],
                         purpose=Purpose.CASE_MANAGEMENT)  # issue 15: names, behind the same rules
    return render(request, template, {"active": "people", "result": result, "names": names})


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, engine: EngineDep, signed: PeopleReader, person_id: str,
                recorded: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    """One person's record, if the user's organisation may see it."""
    record = services.read_person(engine, signed.principal, person_id,
                                  purpose=Purpose.CASE_MANAGEMENT)
    name = person_names(engine, signed.principal, [person_id], purpose=Purpose.CASE_MANAGEMENT)
    return render(request, "person.html", {"active": "people", "record": record,
                                           "recorded": recorded, "name": name.get(person_id)})


ConsentWriter = Annotated[SignedIn, Depends(require(Permission.RECORD_CONSENT))]


@router.post("/people/{person_id}/consents")
def record_consent_form(engine: EngineDep, signed: ConsentWriter, person_id: str,
                        organisation_id: Annotated[str, Form(min_length=1, max_length=64)]
                        ) -> Response:
    """Record a consent from the person page's form (CSRF checked by the dependency)."""
    services.record_consent(engine, signed.principal, person_id, organisation_id.strip())
    return RedirectResponse(f"/people/{quote(person_id)}?recorded={quote(organisation_id)}",
                            status_code=303)


AuditReader = Annotated[SignedIn, Depends(require(Permission.READ_AUDIT))]


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, engine: EngineDep, signed: AuditReader,
               subject_id: Annotated[str | None, Query(max_length=255)] = None,
               actor: Annotated[str | None, Query(max_length=255)] = None,
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The audit log for administrators, filtered by subject or actor."""
    result = services.audit_page(engine, signed.principal, subject_id=subject_id or None,
                                 actor=actor or None, page=page)
    return render(request, "audit.html", {"active": "audit", "result": result,
                                          "subject_id": subject_id or "", "actor": actor or ""})


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
    return render(request, "person_log.html", {"active": "audit", "person_id": person_id,
                                               "entries": entries})


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, engine: EngineDep,
               signed: Annotated[SignedIn, Depends(require(Permission.MANAGE_USERS))]
               ) -> HTMLResponse:
    """The accounts, their organisations and roles (no secrets), for administrators."""
    users = services.list_users(engine, actor=signed.principal)
    return render(request, "users.html", {"active": "users", "users": users})
