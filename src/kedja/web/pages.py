"""Server-rendered pages (Jinja2), Swedish first with English on every page."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kedja import services
from kedja.web import i18n
from kedja.web.deps import EngineDep

__all__ = ["render", "router", "templates"]

LANG_COOKIE = "kedja_lang"

environment = Environment(
    loader=FileSystemLoader(str(resources.files("kedja.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
environment.globals.update(number=i18n.format_number, share=i18n.format_share)
templates = Jinja2Templates(env=environment)

router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    """Render page ``name`` in the request's locale, remembering an explicit choice."""
    requested = request.query_params.get("lang")
    locale = i18n.choose_locale(requested, request.cookies.get(LANG_COOKIE))
    i18n.use_locale(locale)
    response = templates.TemplateResponse(request, name, {"locale": locale, **context})
    if requested == locale:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax",
                            httponly=True)
    response.headers["Content-Language"] = locale
    return response


@router.get("/", response_class=HTMLResponse)
def region_page(request: Request, engine: EngineDep) -> HTMLResponse:
    """The region page: the municipalities and their figures."""
    overview = services.region_overview(engine)
    return render(request, "region.html", {
        "active": "region",
        "overview": overview,
        "county_names": {c.code: c.name for c in overview.counties},
        "area_names": {a.code: a.name for a in overview.areas},
    })
