"""The web application: a JSON API (OpenAPI at ``/openapi.json``) and server-rendered pages."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from kedja import __version__
from kedja.web import api, api_forecast, api_matching, occupations_api, pages, pages_forecast
from kedja.web.errors import install_error_handlers

__all__ = ["create_app"]


def create_app(engine: Engine) -> FastAPI:
    """The Kedja web app serving the database behind ``engine``."""
    app = FastAPI(
        title="Kedja",
        version=__version__,
        description="Regional competence supply and labour-market inclusion: JSON API.",
    )
    app.state.engine = engine
    install_error_handlers(app)
    static = resources.files("kedja.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(api_matching.router)
    app.include_router(occupations_api.router)
    app.include_router(pages.router)
    app.include_router(api_forecast.router)
    app.include_router(pages_forecast.router)
    return app
