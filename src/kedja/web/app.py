"""The web application: a JSON API (OpenAPI at ``/openapi.json``) and server-rendered pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders

from kedja import __version__
from kedja.web import (  # issue 19c
    api,
    api_chains,
    api_forecast,
    api_hsds,
    api_hub,
    api_jobs,
    api_matching,
    api_people,
    assets,
    auth,
    occupations_api,
    pages,
    pages_caseload,
    pages_chains,
    pages_employer,
    pages_esf,
    pages_forecast,
    pages_hub,
    pages_loading,
    pages_matching,
    pages_occupations,
    pages_roster,
    privacy,
)
from kedja.web.errors import install_error_handlers
from kedja.web.limits import BodyLimit
from kedja.web.oidc import OidcClient, OidcSettings, oidc_settings_from_env
from kedja.web.openapi import install_openapi

__all__ = ["DATABASE_ENV", "DEFAULT_THREADS", "SECURITY_HEADERS", "THREADS_ENV",
           "app_from_environment", "create_app"]

DATABASE_ENV = "KEDJA_SERVE_DATABASE"
"""The database URL ``kedja serve --workers N`` hands to each server process."""
THREADS_ENV = "KEDJA_SERVE_THREADS"
DEFAULT_THREADS = 2
"""Requests one server process works on at once (``kedja serve --threads``).

The pages are Python work on a local database: a process runs one thread at a time (the GIL),
so more threads only take turns, and each request waits for the others' turns and for the
lock again after every database call. With AnyIO's default of 40, 100 users on two processes
(``bench/bench_load.py``) had a p95 of about 600 ms at 60 % of the cores; with 4 threads about
200 ms and with 2 about 110 ms, the same requests per second and less CPU per request. The
requests beyond wait their turn in order. More threads pay when requests wait on a network
(a remote PostgreSQL, a slow sign-on provider)."""

log = logging.getLogger("kedja.web")

# Vega compiles its expressions with the Function constructor, hence 'unsafe-eval'; no inline
# script runs (chart specifications travel as JSON data, not code).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
_NO_STORE = ("/api/", "/people", "/admin", "/login")


def app_from_environment() -> FastAPI:
    """The app over the database named by ``KEDJA_SERVE_DATABASE`` (one per server process)."""
    import os

    from kedja import services

    url = os.environ.get(DATABASE_ENV)
    if not url:
        from kedja.core.errors import ConfigurationError

        raise ConfigurationError(f"{DATABASE_ENV} is not set", field=DATABASE_ENV,
                                 hint="start the server with kedja serve --workers N")
    engine = services.prepare_database(url)
    services.warm_caches(engine)
    return create_app(engine, threads=int(os.environ.get(THREADS_ENV, DEFAULT_THREADS)))


def create_app(engine: Engine, *, oidc: OidcSettings | None = None,
               oidc_transport: Any = None, threads: int | None = None) -> FastAPI:
    """The Kedja web app serving the database behind ``engine``.

    Args:
        engine: the database.
        oidc: single sign-on settings; by default read from ``KEDJA_OIDC_*`` variables.
        oidc_transport: an HTTP transport for talking to the provider (tests use a stub), from
            ``httpx2`` (the client Authlib uses).
        threads: requests served at once (see ``DEFAULT_THREADS``); ``None`` leaves AnyIO's
            default (tests).
    """
    app = FastAPI(
        lifespan=None if threads is None else _thread_limit(threads),
        title="Kedja",
        version=__version__,
        docs_url=None,  # kedja.web.openapi serves Swagger UI from the app's own files
        redoc_url=None,
        description="Regional competence supply and labour-market inclusion: JSON API. "
                    "Sign in at /login; the session cookie then admits you to the API, and "
                    "unsafe methods need the X-CSRF-Token header (see /api/v1/me). Errors are RFC 9457 "
                    "problem details. The standard HSDS 3.0 API is under /hsds.",
    )
    app.state.engine = engine
    settings = oidc if oidc is not None else oidc_settings_from_env()
    app.state.oidc = OidcClient(settings, oidc_transport) if settings else None
    app.state.oidc_label = settings.label if settings else None
    install_error_handlers(app, page_error=pages.error_page)
    _add_security_headers(app)
    app.add_middleware(BodyLimit, engine=engine)  # outermost of ours: before any body is read
    static = resources.files("kedja.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for router in (api.router, api_people.router, auth.router, pages.router, api_matching.router,
                   occupations_api.router, api_forecast.router, pages_forecast.router,
                   pages_matching.router, api_chains.router, pages_chains.router, api_hub.router,
                   pages_hub.router, pages_loading.router, privacy.router, api_jobs.router,
                   pages_occupations.router, api_hsds.router, pages_employer.router,
                   pages_caseload.router, pages_roster.router, pages_esf.router,
                   pages_esf.api_router):
        app.include_router(router)
    install_openapi(app)
    missing = assets.missing_vendor_files()
    if missing:
        log.warning("Front-end assets missing (%s): pages work without charts and htmx. "
                    "Run 'make assets' (npm ci) to add them.", ", ".join(missing))
    return app


def _thread_limit(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that sets how many threads run the app's (synchronous) endpoints at once."""
    if threads < 1:
        from kedja.core.errors import ConfigurationError

        raise ConfigurationError(f"a server needs at least one thread, not {threads}",
                                 field="threads", value=threads, hint="give --threads 1 or more")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def _add_security_headers(app: FastAPI) -> None:
    app.add_middleware(_SecurityHeaders)


class _SecurityHeaders:
    """The security headers on every answer, and ``no-store`` on personal pages and the API.

    A plain ASGI middleware: it edits the response's start message, without the extra task and
    body streaming of Starlette's ``BaseHTTPMiddleware`` on every request.
    """

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = scope["path"].startswith(_NO_STORE)

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
