"""FastAPI dependencies shared by pages and API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

__all__ = ["EngineDep", "get_engine"]


def get_engine(request: Request) -> Engine:
    """The database engine the app was created with."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]
