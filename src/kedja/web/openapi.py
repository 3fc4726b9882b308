"""The OpenAPI document as clients need it: security schemes, problem details, offline docs.

- **Security:** the session cookie (``kedja_session``, set by ``/login``) and the
  ``X-CSRF-Token`` header (from ``/api/v1/me``) are declared as ``securitySchemes``; every
  operation that needs a signed-in user requires the cookie, and an unsafe method the header
  too (read from each route's ``require()``/``public()`` declaration). Public operations
  declare no requirement.
- **Errors** answer RFC 9457 problem details (``application/problem+json``), see
  :mod:`kedja.web.errors`; the document says so for every error response.
- ``/docs`` serves Swagger UI from the app's own static files (``swagger-ui-dist`` from the npm
  registry, locked in ``package-lock.json``), so it works offline under the app's
  Content-Security-Policy (no inline script, nothing remote).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from kedja.web.errors import PROBLEM_MEDIA_TYPE
from kedja.web.security import CSRF_HEADER, SESSION_COOKIE, PublicDep, app_routes, route_access

__all__ = ["SECURITY_SCHEMES", "install_openapi"]

SECURITY_SCHEMES = {
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                      "description": "The session cookie /login sets (HttpOnly, SameSite=Lax)."},
    "csrfToken": {"type": "apiKey", "in": "header", "name": CSRF_HEADER,
                  "description": "The session's CSRF token (GET /api/v1/me): required on "
                                 "POST, PUT, PATCH and DELETE."},
}
UNSAFE = {"post", "put", "patch", "delete"}

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>
"""


def _requirements(app: FastAPI) -> dict[tuple[str, str], bool]:
    """(path, method) → whether the operation needs a signed-in user."""
    needs: dict[tuple[str, str], bool] = {}
    for route in app_routes(app):
        declared = route_access(route)
        signed_in = bool(declared) and not any(d.public for d in declared)
        for method in route.methods or ():
            needs[(route.path_format, method.lower())] = signed_in
    return needs


def _problem_content(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        if status[:1] in ("4", "5") and "application/json" in content:
            content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with security schemes and problem-details responses."""
    document = get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes)
    document.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    needs = _requirements(app)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _problem_content(operation)
            if needs.get((path, method)):
                operation["security"] = [{"sessionCookie": [], "csrfToken": []}
                                         if method in UNSAFE else {"sessionCookie": []}]
            else:
                operation["security"] = []
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at ``/openapi.json`` and Swagger UI at ``/docs``."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def docs(_anyone: PublicDep) -> HTMLResponse:
        return HTMLResponse(DOCS_HTML.format(title=app.title))
