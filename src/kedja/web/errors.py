"""One JSON error shape for the whole API.

Every error answers ``{"error": {"code", "message", "field", "value", "hint", "location"}}``
with the status of its :class:`~kedja.core.errors.KedjaError` class; a test pins the shape.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from kedja.core.errors import KedjaError

__all__ = ["ErrorBody", "ErrorResponse", "install_error_handlers"]


class ErrorBody(BaseModel):
    """The fields of an error."""

    code: str
    message: str
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    location: str | None = None


class ErrorResponse(BaseModel):
    """The shape of every error the API returns."""

    error: ErrorBody


def _respond(status: int, body: dict[str, object]) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": body})


def install_error_handlers(app: FastAPI) -> None:
    """Turn Kedja, HTTP and validation errors into the one error shape."""

    @app.exception_handler(KedjaError)
    async def kedja_error(_request: Request, error: KedjaError) -> JSONResponse:
        return _respond(error.status, error.as_dict())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        body = ErrorBody(code=f"http_{error.status_code}", message=str(error.detail))
        return _respond(error.status_code, body.model_dump())

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        body = ErrorBody(code="invalid_input", message=f"{first.get('msg', 'invalid input')}",
                         field=where or None, value=None if "input" not in first
                         else str(first["input"])[:200],
                         hint="correct the field named and send the request again")
        return _respond(422, body.model_dump())
